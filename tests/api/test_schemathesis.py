"""Property-based tests from the OpenAPI document: whatever schemathesis sends, valid or not,
the API never answers with a server error. Bounded so the run stays well under a minute."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application

# Fetching the document needs no database, so it can be loaded when the module is collected
# (schemathesis' lazy fixture loader does not support this pytest version).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


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
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(wsgi_in_test_transaction: None, case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
