"""Server-rendered chart images for readers without JavaScript (see chart_render)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control

from . import chart_render


# The address names the content (a digest of the spec), so browsers may keep it for good.
@cache_control(public=True, max_age=31536000, immutable=True)
def chart_svg(request: HttpRequest, digest: str) -> HttpResponse:
    """One chart as SVG, rendered from a spec a page registered; 404 when unknown."""
    svg = chart_render.svg_for_digest(digest)
    if svg is None:
        raise Http404("No chart with that name")
    response = HttpResponse(svg, content_type="image/svg+xml")
    # Opened on its own, the SVG may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
