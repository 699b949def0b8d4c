"""The area map for "places near you": the force's neighbourhoods (LSOA 2011 boundaries held by
``geography``) drawn as an SVG image the reader clicks. The page sends it as an
``<input type="image">``, so the click comes back as pixel coordinates without any JavaScript,
and :func:`point_at` turns them back into longitude and latitude with the same projection.
No geocoder: the point is placed in its local authority by point-in-polygon."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings

from policeplan.geography import shapes
from policeplan.geography.models import Area, AreaKind

WIDTH = 640
COLOURS = ["#d2e2f1", "#cce2d8", "#e2dcef", "#fce0cc", "#f4e2c4", "#d5ebea", "#f2d3d3"]


@dataclass(frozen=True)
class Frame:
    """An equirectangular projection of the force's bounding box onto WIDTH pixels (longitude
    scaled by the cosine of the middle latitude, so shapes keep their proportions)."""

    west: float
    south: float
    east: float
    north: float

    @property
    def scale(self) -> float:
        return WIDTH / ((self.east - self.west) * self._squash)

    @property
    def _squash(self) -> float:
        return math.cos(math.radians((self.north + self.south) / 2))

    @property
    def height(self) -> int:
        return round((self.north - self.south) * self.scale)

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.west) * self._squash * self.scale, (self.north - lat) * self.scale)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(longitude, latitude) of a pixel."""
        return (self.west + x / (self._squash * self.scale), self.north - y / self.scale)


def _lsoas() -> list[Area]:
    return list(
        Area.objects.filter(
            kind=AreaKind.LSOA, vintage="2011", force=settings.POLICEPLAN_FORCE
        ).exclude(geometry=None)
    )


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [polygon[0] for polygon in polygons]


def frame() -> Frame | None:
    xs: list[float] = []
    ys: list[float] = []
    for area in _lsoas():
        for ring in _rings(area.geometry or {}):
            xs += [p[0] for p in ring]
            ys += [p[1] for p in ring]
    if not xs:
        return None
    return Frame(min(xs), min(ys), max(xs), max(ys))


def svg(places: list[tuple[str, float, float]], chosen: tuple[float, float] | None = None) -> str:
    """The map: neighbourhoods shaded by local authority, places as dots, a chosen point."""
    box = frame()
    if box is None:
        return ""
    colours: dict[int | None, str] = {}
    paths = []
    for area in _lsoas():
        colour = colours.setdefault(area.parent_id, COLOURS[len(colours) % len(COLOURS)])
        for ring in _rings(area.geometry or {}):
            points = " ".join(f"{x:.0f},{y:.0f}" for x, y in _thinned(box, ring))
            paths.append(f'<polygon points="{points}" fill="{colour}" stroke="{colour}"/>')
    dots = []
    for name, lon, lat in places:
        x, y = box.pixel(lon, lat)
        dots.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#1d70b8" stroke="#ffffff">'
            f"<title>{escape(name)}</title></circle>"
        )
    if chosen is not None:
        x, y = box.pixel(*chosen)
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="#d4351c" stroke="#0b0c0c"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{box.height}" '
        f'viewBox="0 0 {WIDTH} {box.height}"><rect width="100%" height="100%" fill="#ffffff"/>'
        + "".join(paths)
        + "".join(dots)
        + "</svg>"
    )


def _thinned(box: Frame, ring: list[list[float]]) -> list[tuple[float, float]]:
    """The ring in pixels without vertices closer than a pixel to the last one kept: the
    boundaries are for choosing a point, and this keeps the image small."""
    kept: list[tuple[float, float]] = []
    for vertex in ring:
        x, y = box.pixel(vertex[0], vertex[1])
        if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 2.5:
            kept.append((x, y))
    return kept


def point_at(x: float, y: float) -> tuple[float, float] | None:
    """The (longitude, latitude) clicked on the map image, or None off the map."""
    box = frame()
    if box is None or not (0 <= x <= WIDTH and 0 <= y <= box.height):
        return None
    return box.point(x, y)


def local_authority_at(lon: float, lat: float) -> Area | None:
    """The local authority whose neighbourhood contains the point (point-in-polygon)."""
    for area in _lsoas():
        if area.geometry and shapes.contains(area.geometry, (lon, lat)):
            return area.parent
    return None
