"""Template filter linking a chart spec to its server-rendered SVG (for pages without JS)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from policeplan.publishing import chart_render

register = template.Library()


@register.filter
def chart_svg_url(spec: dict[str, Any] | None) -> str:
    """The ``/charts/<digest>.svg`` address for a spec, or "" when it has no server rendering."""
    if not spec:
        return ""
    digest = chart_render.register_spec(spec)
    return reverse("chart-svg", args=[digest]) if digest else ""
