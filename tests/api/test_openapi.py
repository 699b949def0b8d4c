"""The OpenAPI document is valid, the docs page works offline, and /api/ explains the API."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

from policeplan.api.examples import examples

pytestmark = pytest.mark.django_db

LIST_PATHS = [
    "/api/v1/plans",
    "/api/v1/metrics",
    "/api/v1/observations",
    "/api/v1/areas",
    "/api/v1/exceptions",
    "/api/v1/import-runs",
    "/api/v1/coverage",
    "/api/v1/reports",
    # The accountability registers (issue 15)
    *(f"/api/v1/{kind}" for kind in ("meetings", "actions", "recommendations", "decisions",
                                     "documents", "finance", "places", "grants", "teams")),
]  # fmt: skip


def _document(client: Client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def test_openapi_document_is_valid(client: Client) -> None:
    document = _document(client)
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["info"]["license"]["name"] == "Open Government Licence v3.0"


def test_openapi_lists_every_endpoint_with_csv_and_problems(client: Client) -> None:
    paths = _document(client)["paths"]
    expected = {
        *LIST_PATHS,
        "/api/v1/plans/{slug}",
        "/api/v1/metrics/{slug}",
        "/api/v1/areas/{code}",
        "/api/v1/areas/{code}.geojson",
        "/api/v1/import-runs/{run_id}",
        "/api/v1/reports/{report_id}",
        "/api/v1/downloads/observations.zip",
    }
    assert set(paths) == expected
    for path in LIST_PATHS:
        operation = paths[path]["get"]
        assert "text/csv" in operation["responses"]["200"]["content"], path
        assert "application/problem+json" in operation["responses"]["400"]["content"], path
        assert "format" in {p["name"] for p in operation["parameters"]}, path


def test_docs_page_works_offline(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '"url": "/api/v1/openapi.json"' in html
    assert '"validatorUrl": null' in html  # no call to validator.swagger.io
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), f"{asset} is not served by this site"
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a bundled file"


def test_api_page_explains_the_api(client: Client) -> None:
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<h1[^>]*>Open data API</h1>", html)
    assert 'class="govuk-footer"' in html  # the site's GOV.UK layout
    for link in ["/api/v1/docs", "/api/v1/openapi.json", "/api/v1/downloads/observations.zip"]:
        assert f'href="{link}"' in html
    for path in _document(client)["paths"]:
        assert f"GET {path}" in html
    assert "Open Government Licence v3.0" in html
    assert "120/minute" in html or "requests" in html


def test_every_example_query_works_and_says_what_it_returns(client: Client) -> None:
    guide = client.get("/api/").content.decode()
    found = examples()
    assert len(found) >= 9
    for example in found:
        response = client.get(example.url)
        assert response.status_code == 200, (example.label, response.content[:300])
        assert f'href="{example.url.replace("&", "&amp;")}"' in guide
    monthly = next(e for e in found if e.label.startswith("Monthly figures"))
    # The bundled data holds January to December 2025: the example asks for exactly those and
    # says how many rows come back (the old 2024/25 example silently returned three).
    assert "from=2025-01&to=2025-12" in monthly.url
    assert monthly.note == "12 rows, one per month held."
    assert len(client.get(monthly.url).json()["results"]) == 12


def test_geojson_endpoint_declares_only_the_content_type_it_sends(client: Client) -> None:
    """Issue 11 row 11: the document said application/json, the endpoint sends geo+json."""
    operation = _document(client)["paths"]["/api/v1/areas/{code}.geojson"]["get"]
    assert list(operation["responses"]["200"]["content"]) == ["application/geo+json"]
    response = client.get("/api/v1/areas/E01025631.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == "E01025631"
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_empty_month_filters_mean_no_limit(client: Client) -> None:
    """Issue 11 row 11: an empty from= (as an HTML form sends) was refused although the
    document allowed it; now it means no limit, and the document's pattern says so."""
    url = "/api/v1/observations?metric=burglary&area=E23000021&period_kind=month&limit=5000"
    everything = client.get(url).json()
    with_empty = client.get(url + "&from=&to=")
    assert with_empty.status_code == 200
    assert with_empty.json()["count"] == everything["count"] >= 12
    parameters = _document(client)["paths"]["/api/v1/observations"]["get"]["parameters"]
    pattern = next(p["schema"]["pattern"] for p in parameters if p["name"] == "from")
    assert re.fullmatch(pattern, "") and re.fullmatch(pattern, "2025-03")
    assert not re.fullmatch(pattern, "2025-13") and not re.fullmatch(pattern, " 2025-03")
    refused = client.get(url + "&from=%202025-03")
    assert refused.status_code == 400
    assert refused.json()["type"].endswith("#invalid-month")


def test_free_text_parameters_declare_that_nul_is_refused(client: Client) -> None:
    parameters = _document(client)["paths"]["/api/v1/areas"]["get"]["parameters"]
    force = next(p for p in parameters if p["name"] == "force")["schema"]["anyOf"][0]
    assert not re.fullmatch(force["pattern"], "leicester\x00shire")
    assert re.fullmatch(force["pattern"], "leicestershire")
    refused = client.get("/api/v1/areas?force=leicester%00shire")
    assert refused.status_code == 400
