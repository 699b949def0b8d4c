"""Fixtures for the API tests: a generous rate limit (one test sets a small one) and helpers
that fetch JSON and CSV and check the basics every response shares."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings


@pytest.fixture(autouse=True)
def generous_rate_limit() -> Iterator[None]:
    """Counters live in the cache across tests; start each test with none and a high limit."""
    cache.clear()
    with override_settings(POLICEPLAN_API_RATE_LIMIT="100000/minute"):
        yield
    cache.clear()


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    expected = "application/json" if status < 400 else "application/problem+json"
    assert response["Content-Type"] == expected, url
    return response.json()


def get_csv(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith('.csv"')
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def csv_cell(value: Any) -> str:
    """A JSON value as the API's CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(csv_cell(v) for v in value)
    return str(value)


def assert_csv_matches_json(client: Client, url: str) -> list[dict[str, Any]]:
    """The CSV of ``url`` has the JSON results' fields as its header and the same rows."""
    page = get_json(client, url)
    rows = get_csv(client, url + ("&" if "?" in url else "?") + "format=csv")
    assert len(rows) == len(page["results"])
    if page["results"]:
        assert list(rows[0]) == list(page["results"][0])
    for row, result in zip(rows, page["results"], strict=True):
        assert row == {key: csv_cell(value) for key, value in result.items()}
    return list(page["results"])
