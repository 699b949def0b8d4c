"""Areas: list and filters (JSON, CSV, GeoJSON), detail by code or slug, boundaries."""

from __future__ import annotations

import pytest
from django.test import Client

from policeplan.geography.models import Area

from .conftest import assert_csv_matches_json, get_json

pytestmark = pytest.mark.django_db

LSOA = "E01025631"


def test_areas_list_and_csv(client: Client) -> None:
    page = get_json(client, "/api/v1/areas?limit=10")
    assert page["count"] == Area.objects.count()
    assert "geometry" not in page["results"][0]
    assert_csv_matches_json(client, "/api/v1/areas?limit=50")


def test_areas_filter_by_kind_force_and_parent(client: Client) -> None:
    url = "/api/v1/areas?kind=local_authority&force=leicestershire"
    results = assert_csv_matches_json(client, url)
    expected = Area.objects.filter(kind="local_authority", force="leicestershire")
    assert sorted(r["code"] for r in results) == sorted(a.code for a in expected)
    assert "Blaby" in {r["name"] for r in results}
    assert {r["parent"] for r in results} == {"E23000021"}
    children = get_json(client, "/api/v1/areas?parent=E07000129&limit=5000")
    assert children["count"] == Area.objects.filter(parent__code="E07000129").count() > 0
    forces = get_json(client, "/api/v1/areas?kind=force&limit=100")
    assert forces["count"] == Area.objects.filter(kind="force").count()


def test_area_detail_by_code_and_by_slug(client: Client) -> None:
    by_code = get_json(client, "/api/v1/areas/E07000129")
    by_slug = get_json(client, "/api/v1/areas/blaby")
    assert by_code == by_slug
    assert by_code["name"] == "Blaby"
    assert by_code["kind"] == "local_authority"


def test_area_boundary_as_geojson_two_ways(client: Client) -> None:
    area = Area.objects.get(code=LSOA, vintage="2021")  # the newest vintage of the code
    response = client.get(f"/api/v1/areas/{LSOA}.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["geometry"] == area.geometry
    assert feature["properties"]["code"] == LSOA
    assert feature["properties"]["imd2019_decile"] == area.imd2019_decile
    assert client.get(f"/api/v1/areas/{LSOA}?format=geojson").json() == feature
    detail = get_json(client, f"/api/v1/areas/{LSOA}")
    assert detail["geometry"] == area.geometry and detail["has_geometry"]


def test_areas_list_as_geojson_feature_collection(client: Client) -> None:
    response = client.get("/api/v1/areas?kind=lsoa&limit=5&format=geojson")
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert collection["count"] == Area.objects.filter(kind="lsoa").count()
    assert len(collection["features"]) == 5
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in collection["features"])
