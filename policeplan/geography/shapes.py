"""Small pure geometry for GeoJSON polygons (longitude/latitude): enough to match vintages.

Hand-written rather than a GIS library: the only question asked is whether a polygon contains
a point (ray casting), on a few hundred generalised LSOA polygons at load time.
"""

from __future__ import annotations

from typing import Any

Point = tuple[float, float]


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"not a polygon: {geometry['type']}")


def _in_ring(point: Point, ring: list[list[float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(geometry: dict[str, Any], point: Point) -> bool:
    """Whether ``point`` is inside the (multi)polygon: in an outer ring and in none of its holes."""
    for rings in _polygons(geometry):
        if _in_ring(point, [p[:2] for p in rings[0]]) and not any(
            _in_ring(point, [p[:2] for p in hole]) for hole in rings[1:]
        ):
            return True
    return False


def interior_point(geometry: dict[str, Any]) -> Point:
    """A point inside the first polygon: its vertex centroid if inside, else a ring midpoint."""
    ring = [p[:2] for p in _polygons(geometry)[0][0]]
    centroid = (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    if contains(geometry, centroid):
        return centroid
    # A concave shape: try midpoints between the centroid and each vertex.
    for vertex in ring:
        candidate = ((centroid[0] + vertex[0]) / 2, (centroid[1] + vertex[1]) / 2)
        if contains(geometry, candidate):
            return candidate
    return (ring[0][0], ring[0][1])
