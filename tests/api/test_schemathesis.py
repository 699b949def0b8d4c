"""Property-based tests from the OpenAPI document, with every schemathesis check: whatever it
sends, valid or not, the API never answers with a server error, answers in the status codes,
content types, headers and schemas the document declares, accepts what the document allows
and refuses what it does not. Bounded so the run stays around a minute."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

from config.wsgi import application

# Fetching the document needs no database, so it can be loaded when the module is collected
# (schemathesis' lazy fixture loader does not support this pytest version).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

load_all_checks()
POSITIVE_DATA_ACCEPTANCE: Any = CHECKS.get_one("positive_data_acceptance")


def reversed_range(case: schemathesis.Case) -> bool:
    """from after to: a rule across two parameters that OpenAPI cannot express, refused with
    the documented problem invalid-range."""
    query = case.query or {}
    first, last = query.get("from"), query.get("to")
    return bool(first) and bool(last) and str(first) > str(last)


def positive_data_acceptance(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """schemathesis' check, except that a reversed from/to range may be refused, and only
    with the invalid-range problem."""
    refused_as_reversed = response.status_code == 400 and response.json()["type"].endswith(
        "#invalid-range"
    )
    if refused_as_reversed:
        assert reversed_range(case), response.text
        return None
    result: bool | None = POSITIVE_DATA_ACCEPTANCE(ctx, response, case)
    return result


ALL_CHECKS = [check for check in CHECKS.get_all() if check is not POSITIVE_DATA_ACCEPTANCE] + [
    positive_data_acceptance
]


def test_every_builtin_check_runs() -> None:
    names = {check.__name__ for check in ALL_CHECKS}
    assert names == set(CHECKS.get_all_names())
    assert {"response_schema_conformance", "content_type_conformance"} <= names
    assert {"negative_data_rejection", "positive_data_acceptance"} <= names


@pytest.fixture
def wsgi_in_test_transaction(db: None) -> Iterator[None]:
    """The real WSGI app closes the database connection after each request (Django's test
    client stops it, as here), which would end the test's transaction on PostgreSQL."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=int(__import__("os").environ.get("SCHEMATHESIS_EXAMPLES", "40")),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(
    wsgi_in_test_transaction: None, case: schemathesis.Case
) -> None:
    # The WSGI transport hands back the body as sent, without undoing Content-Encoding, so ask
    # for it unencoded (gzip to clients that accept it: tests/staff/test_page_cache.py).
    response = case.call(headers={"Accept-Encoding": "identity"})
    case.validate_response(response, checks=ALL_CHECKS)
