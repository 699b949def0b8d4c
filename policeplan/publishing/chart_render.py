"""Render Vega-Lite chart specs to SVG on the server, for readers without JavaScript.

A page registers each chart's spec (cheap: a hash and a cache write) and links to
``/charts/<digest>.svg`` inside ``<noscript>``; the SVG itself is rendered with vl-convert only
when a browser without JavaScript asks for it, then cached. See
docs/adr/0005-charts-without-javascript.md.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
import re
from importlib import metadata
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder

logger = logging.getLogger(__name__)

# "width": "container" means "as wide as the page" in the browser; a server has no page.
SERVER_WIDTH = 640
CACHE_SECONDS = 7 * 24 * 60 * 60
DIGEST_PATTERN = re.compile(r"^[0-9a-f]{32}$")

# The theme frontend/src/js/app.mjs gives vega-embed, so both renderings look alike.
CHART_CONFIG: dict[str, Any] = {
    "font": "arial, sans-serif",
    "background": "#ffffff",
    "mark": {"color": "#1d70b8"},
    "title": {"fontSize": 19, "color": "#0b0c0c", "anchor": "start"},
    "axis": {
        "labelFontSize": 14,
        "titleFontSize": 14,
        "labelColor": "#0b0c0c",
        "titleColor": "#0b0c0c",
        "domainColor": "#505a5f",
        "tickColor": "#505a5f",
        "gridColor": "#b1b4b6",
    },
    "legend": {
        "labelFontSize": 14,
        "titleFontSize": 14,
        "labelColor": "#0b0c0c",
        "titleColor": "#0b0c0c",
        "labelLimit": 320,
    },
    "text": {"fontSize": 14, "color": "#0b0c0c"},
    "range": {
        "category": [
            "#1d70b8",
            "#f47738",
            "#00703c",
            "#4c2c92",
            "#d4351c",
            "#28a197",
            "#912b88",
            "#505a5f",
        ]
    },
}


@functools.cache
def _renderer_version() -> str:
    """Part of every digest, so upgrading vl-convert never serves an old rendering."""
    try:
        return metadata.version("vl-convert-python")
    except metadata.PackageNotFoundError:
        return "absent"


def _canonical_json(spec: dict[str, Any]) -> str:
    # Same encoder as the json_script filter, so dates and decimals serialise as on the page.
    return json.dumps(spec, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))


def spec_digest(spec: dict[str, Any]) -> str:
    """A stable 32-hex-digit name for a spec as rendered here (spec, theme and renderer)."""
    payload = _canonical_json(
        {"spec": spec, "config": CHART_CONFIG, "width": SERVER_WIDTH, "vl": _renderer_version()}
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def uses_remote_data(spec: Any) -> bool:
    """True when any data in the spec is fetched from a URL (the LSOA map's boundaries).

    Such specs are not rendered on the server: it would mean the server fetching URLs.
    """
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and "url" in data:
            return True
        return any(uses_remote_data(value) for value in spec.values())
    if isinstance(spec, list):
        return any(uses_remote_data(value) for value in spec)
    return False


def _server_spec(spec: dict[str, Any]) -> dict[str, Any]:
    server_spec: dict[str, Any] = json.loads(_canonical_json(spec))
    if server_spec.get("width") == "container":
        server_spec["width"] = SERVER_WIDTH
    return server_spec


def render_svg(spec: dict[str, Any]) -> str | None:
    """The chart as an SVG document, or None when it cannot be drawn on the server.

    Results are cached by digest. Failures are logged and give None, so a page without its
    fallback image still shows the chart's data table and text summary.
    """
    if uses_remote_data(spec):
        return None
    key = f"chart-svg:{spec_digest(spec)}"
    svg: str | None = cache.get(key)
    if svg is not None:
        return svg
    try:
        import vl_convert

        svg = vl_convert.vegalite_to_svg(
            _server_spec(spec), config=copy.deepcopy(CHART_CONFIG), allowed_base_urls=[]
        )
    except Exception:
        logger.warning("Could not render chart %r to SVG", spec.get("title"), exc_info=True)
        return None
    cache.set(key, svg, CACHE_SECONDS)
    return svg


def register_spec(spec: dict[str, Any]) -> str | None:
    """Keep a spec where the SVG endpoint can find it; its digest, or None if not renderable."""
    if uses_remote_data(spec):
        return None
    digest = spec_digest(spec)
    cache.set(f"chart-spec:{digest}", _canonical_json(spec), CACHE_SECONDS)
    return digest


def svg_for_digest(digest: str) -> str | None:
    """The SVG for a registered spec, rendering it on first request; None if unknown."""
    if not DIGEST_PATTERN.match(digest):
        return None
    svg: str | None = cache.get(f"chart-svg:{digest}")
    if svg is not None:
        return svg
    spec_json: str | None = cache.get(f"chart-spec:{digest}")
    if spec_json is None:
        return None
    return render_svg(json.loads(spec_json))
