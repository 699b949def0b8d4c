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
]


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
