"""HTTP behaviour: conditional GET, caching, CORS, HEAD, read-only methods, rate limiting."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.http import http_date

from policeplan.api.throttling import parse_rate
from policeplan.metrics.models import Observation
from policeplan.metrics.readside import rebuild

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/plans",
    "/api/v1/observations?metric=burglary&limit=5",
    "/api/v1/observations?metric=burglary&limit=5&format=csv",
    "/api/v1/areas/E07000129",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("url", URLS)
def test_etag_and_if_none_match_give_304(client: Client, url: str) -> None:
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    assert first["Cache-Control"] == "public, max-age=300"
    assert client.get(url)["ETag"] == etag  # the same body, the same tag
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_last_modified_is_the_latest_computation(client: Client) -> None:
    url = "/api/v1/observations?metric=burglary&limit=5"
    response = client.get(url)
    latest = max(Observation.objects.values_list("computed_at", flat=True))
    assert response["Last-Modified"] == http_date(int(latest.timestamp()))
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    earlier = http_date(int(latest.timestamp()) - 3600)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_new_data_changes_etag_and_last_modified(client: Client) -> None:
    url = "/api/v1/observations?metric=burglary&area=E23000021&limit=5000"
    before = client.get(url)
    observation = Observation.objects.filter(metric__slug="burglary", area__code="E23000021")[0]
    observation.value += 1
    observation.computed_at = timezone.now()
    observation.save()
    rebuild()  # as compute_metrics does after writing figures: the data version moves
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]


def test_cors_on_api_responses_only(client: Client) -> None:
    for url in ["/api/v1/plans", "/api/v1/nothing-here", "/api/"]:
        response = client.get(url)
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/about/")


def test_cors_preflight(client: Client) -> None:
    response = client.options(
        "/api/v1/observations",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="If-None-Match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "If-None-Match"


def test_head_gives_the_get_headers_without_a_body(client: Client) -> None:
    get = client.get("/api/v1/plans")
    head = client.head("/api/v1/plans")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == get["Content-Type"]


def test_the_api_is_read_only(client: Client) -> None:
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/v1/plans")
        assert response.status_code == 405
        assert response["Content-Type"] == "application/problem+json"
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert "read-only" in response.json()["detail"]


def test_rate_limit_answers_429_with_retry_after(client: Client) -> None:
    with override_settings(POLICEPLAN_API_RATE_LIMIT="3/hour"):
        statuses = [client.get("/api/v1/plans").status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        limited = client.get("/api/v1/plans")
        assert limited.status_code == 429
        assert limited["Content-Type"] == "application/problem+json"
        assert 1 <= int(limited["Retry-After"]) <= 3600
        problem = limited.json()
        assert problem["status"] == 429 and problem["title"] == "Too many requests"
        assert "More than 3 requests in 3600 seconds" in problem["detail"]
        assert limited["Access-Control-Allow-Origin"] == "*"
        # A made-up X-Forwarded-For does not buy a new allowance...
        spoofed = client.get("/api/v1/plans", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert spoofed.status_code == 429
        # ...but another address has its own; pages outside /api/ are not limited.
        assert client.get("/api/v1/plans", REMOTE_ADDR="192.0.2.9").status_code == 200
        assert client.get("/about/").status_code == 200


def test_rate_limit_can_be_switched_off(client: Client) -> None:
    with override_settings(POLICEPLAN_API_RATE_LIMIT="off"):
        statuses = {client.get("/api/v1/plans").status_code for _ in range(5)}
    with override_settings(POLICEPLAN_API_RATE_LIMIT="2/hour"):
        limited = [client.get("/api/v1/plans").status_code for _ in range(3)]
    assert statuses == {200}
    assert limited == [200, 200, 429]


def test_rate_parsing() -> None:
    assert parse_rate("120/minute") == (120, 60)
    assert parse_rate("5/s") == (5, 1)
    assert parse_rate("1000 / day") == (1000, 86400)
    assert parse_rate("") is None and parse_rate("off") is None
    with pytest.raises(Exception, match="not a rate"):
        parse_rate("lots")
