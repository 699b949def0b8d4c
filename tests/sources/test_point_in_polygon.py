"""The hand-written point-in-polygon test (police_uk_api_support.point_in_polygon) agrees with
shapely, the well-kept geometry library, on random polygons and points. shapely is a test
dependency only: at run time it would bring GEOS and numpy (about 80 MB) for one function
(ADR 0009)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from policeplan.sources.police_uk_api_support import point_in_polygon

# Points within this distance (degrees, about 1 cm) of an edge may fall either way.
EDGE = 1e-7


@st.composite
def star_polygons(draw: st.DrawFn) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """A simple (non-self-intersecting) polygon, often far from convex, and its centre: vertices
    at increasing angles round a centre in England, each at its own distance."""
    lat0 = draw(st.floats(50.0, 55.0))
    lng0 = draw(st.floats(-3.0, 1.0))
    count = draw(st.integers(4, 40))
    # Every angular gap under half a turn keeps the centre inside, so the polygon is simple.
    steps = draw(st.lists(st.floats(0.4, 1.0), min_size=count, max_size=count))
    angles = [2 * math.pi * sum(steps[:i]) / sum(steps) for i in range(count)]
    radii = draw(st.lists(st.floats(0.005, 0.2), min_size=count, max_size=count))
    polygon = [
        (lat0 + r * math.sin(a), lng0 + r * math.cos(a)) for a, r in zip(angles, radii, strict=True)
    ]
    return polygon, (lat0, lng0)


@settings(max_examples=300, deadline=None)
@given(shape_and_centre=star_polygons(), u=st.floats(-0.2, 0.2), v=st.floats(-0.2, 0.2))
def test_point_in_polygon_agrees_with_shapely(
    shape_and_centre: tuple[list[tuple[float, float]], tuple[float, float]], u: float, v: float
) -> None:
    polygon, (lat0, lng0) = shape_and_centre
    shape = Polygon([(lng, lat) for lat, lng in polygon])
    assert shape.is_valid
    lat, lng = lat0 + u, lng0 + v
    point = Point(lng, lat)
    if shape.exterior.distance(point) < EDGE:
        return
    assert point_in_polygon(lat, lng, polygon) == shape.contains(point)


def test_a_concave_polygon_and_its_notch() -> None:
    # A "U": the notch between the arms is outside, the arms inside.
    u_shape = [(0.0, 0.0), (0.0, 3.0), (3.0, 3.0), (3.0, 2.0), (1.0, 2.0), (1.0, 1.0),
               (3.0, 1.0), (3.0, 0.0)]  # fmt: skip
    assert point_in_polygon(2.0, 1.5, u_shape) is False
    assert point_in_polygon(2.0, 0.5, u_shape) is True
    assert point_in_polygon(0.5, 1.5, u_shape) is True
    assert point_in_polygon(5.0, 1.5, u_shape) is False
