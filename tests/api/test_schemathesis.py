"""Property-based tests from the OpenAPI document: whatever schemathesis sends, valid or not,
the API never answers with a server error. Bounded so the run stays well under a minute."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application

# Fetching the document needs no database, so it can be loaded when the module is collected
# (schemathesis' lazy fixture loader does not support this pytest version).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(db: None, case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
