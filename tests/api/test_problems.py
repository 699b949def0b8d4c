"""Every bad request gets an RFC 9457 problem with a plain-English detail."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

OBSERVATIONS = "/api/v1/observations"

CASES = [
    (f"{OBSERVATIONS}?metric=burglar", 404, "unknown-metric", "No metric 'burglar'"),
    (f"{OBSERVATIONS}?metric=burglar", 404, "unknown-metric", "Did you mean 'burglary'?"),
    (f"{OBSERVATIONS}?metric=burglar", 404, "unknown-metric", "Known metrics: "),
    (f"{OBSERVATIONS}?area=atlantis", 404, "unknown-area", "No area 'atlantis'"),
    (f"{OBSERVATIONS}?from=2025-13", 400, "invalid-month", "'2025-13' is not a month (YYYY-MM)"),
    (f"{OBSERVATIONS}?to=March", 400, "invalid-month", "'March' is not a month (YYYY-MM)"),
    (
        f"{OBSERVATIONS}?from=2025-06&to=2025-01",
        400,
        "invalid-range",
        "from 2025-06 is after to 2025-01",
    ),
    (f"{OBSERVATIONS}?period_kind=weekly", 400, "invalid-parameter", "'period_kind'"),
    (f"{OBSERVATIONS}?period_kind=weekly", 400, "invalid-parameter", "'rolling_12'"),
    (f"{OBSERVATIONS}?format=xml", 400, "invalid-parameter", "'json' or 'csv' (got 'xml')"),
    (f"{OBSERVATIONS}?limit=0", 400, "invalid-parameter", "Query parameter 'limit'"),
    (f"{OBSERVATIONS}?limit=many", 400, "invalid-parameter", "Query parameter 'limit'"),
    (f"{OBSERVATIONS}?metrc=burglary", 400, "invalid-parameter", "Unknown query parameter 'metrc'"),
    (
        f"{OBSERVATIONS}?metric=burglary&series=ons",
        400,
        "invalid-parameter",
        "Metric 'burglary' has no series 'ons'",
    ),
    (f"{OBSERVATIONS}?plan=llr-2030", 404, "unknown-plan", "No published plan 'llr-2030'"),
    ("/api/v1/plans?format=pdf", 400, "invalid-parameter", "'format'"),
    ("/api/v1/plans/nope", 404, "unknown-plan", "No published plan 'nope'"),
    ("/api/v1/metrics/burglar", 404, "unknown-metric", "No metric 'burglar'"),
    ("/api/v1/areas/atlantis", 404, "unknown-area", "No area 'atlantis'"),
    ("/api/v1/areas/atlantis.geojson", 404, "unknown-area", "No area 'atlantis'"),
    ("/api/v1/areas?kind=planet", 400, "invalid-parameter", "'kind'"),
    ("/api/v1/areas/E07000129?format=csv", 400, "invalid-parameter", "'format'"),
    ("/api/v1/import-runs/999999", 404, "unknown-import-run", "No import run 999999"),
    ("/api/v1/exceptions?area=atlantis", 404, "unknown-area", "No area 'atlantis'"),
    ("/api/v1/nothing", 404, "not-found", "no API endpoint at /api/v1/nothing"),
    ("/api/v2/plans", 404, "not-found", "no API endpoint at /api/v2/plans"),
    ("/api/v1/plans/", 404, "not-found", "Did you mean /api/v1/plans?"),
    ("/api/v1/areas/%00", 400, "invalid-parameter", "NUL"),
    (f"{OBSERVATIONS}?metric=%00", 400, "invalid-parameter", "NUL"),
]


@pytest.mark.parametrize(("url", "status", "slug", "words"), CASES)
def test_problem_details(client: Client, url: str, status: int, slug: str, words: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert set(problem) == {"type", "title", "status", "detail", "instance"}
    assert problem["status"] == status
    assert problem["type"] == f"http://testserver/api/#{slug}"
    assert problem["instance"] == url
    assert words in problem["detail"]


def test_problem_types_are_explained_on_the_api_page(client: Client) -> None:
    html = client.get("/api/").content.decode()
    for slug, *_ in {(case[2],) for case in CASES}:
        assert f'id="{slug}"' in html
