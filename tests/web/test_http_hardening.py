"""How the site answers at the HTTP level, whatever the page: too many parameters, security
headers on every response, the health check, the cache table that migrate makes."""

from __future__ import annotations

import importlib
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from ninja.conf import settings as ninja_settings

from policeplan.web import health
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db

TOO_MANY = "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
PAGES = ["/", "/performance-framework/", "/plans/llr-2024-2029/metrics/burglary/", "/nowhere/"]
API = ["/api/", "/api/v1/plans", "/api/v1/observations", "/api/v1/nowhere"]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
@pytest.mark.parametrize("path", PAGES)
def test_too_many_query_parameters_is_a_400_page(client: Client, path: str, debug: bool) -> None:
    """Issue 11 row 10: 1,001 parameters gave Django's debug page (500) in development."""
    with override_settings(DEBUG=debug):
        response = client.get(f"{path}?{TOO_MANY}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    text = response.content.decode()
    assert "Sorry, there is a problem with the address" in text
    assert "more than 1,000 parameters" in text
    assert "Traceback" not in text and "TooManyFieldsSent" not in text
    assert "Content-Security-Policy" in response


@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
@pytest.mark.parametrize("path", API)
def test_too_many_query_parameters_is_a_problem_under_the_api(
    client: Client, path: str, debug: bool
) -> None:
    with override_settings(DEBUG=debug):
        response = client.get(f"{path}?{TOO_MANY}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["type"].endswith("/api/#invalid-parameter")
    assert "more than 1,000 parameters" in problem["detail"]


def test_a_form_with_too_many_fields_is_a_400_page(client: Client) -> None:
    with override_settings(DEBUG=True):
        response = client.post(
            "/admin/login/", TOO_MANY, content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 400
    assert "Sorry, there is a problem with the address" in response.content.decode()


def test_a_thousand_parameters_are_still_allowed(client: Client) -> None:
    fine = "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS))
    assert client.get(f"/about/?{fine}").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/", "/about/", "/nowhere/", "/api/v1/plans", "/api/v1/nowhere", "/api/v1/docs",
     "/static/css/app.css", "/healthz", f"/about/?{TOO_MANY}"],
)  # fmt: skip
def test_every_response_carries_the_security_policies(client: Client, path: str) -> None:
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "geolocation", "microphone", "payment", "usb"):
        assert f"{feature}=()" in permissions


def test_head_sends_the_headers_of_get_and_no_body(client: Client) -> None:
    get = client.get("/about/")
    head = client.head("/about/")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(get.content))


# --- health ----------------------------------------------------------------------------------


@pytest.fixture
def fresh_health_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(health, "_migrations_known_applied", False)
    yield


def test_health_is_ok_with_the_database_up_and_migrated(
    client: Client, fresh_health_check: None
) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["database"]["vendor"] == connection.vendor
    assert body["checks"]["migrations"] == {"status": "ok", "unapplied": 0}


def test_health_fails_with_a_migration_not_applied(
    client: Client, fresh_health_check: None
) -> None:
    MigrationRecorder.Migration.objects.filter(app="web", name="0001_cache_table").delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["migrations"]["first"] == ["web.0001_cache_table"]


def test_health_is_exempt_from_the_https_redirect(client: Client) -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz").status_code == 200
        assert client.get("/about/").status_code == 301


# --- cache table -----------------------------------------------------------------------------

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "policeplan_cache",
    }
}


def test_migrate_makes_the_cache_table_production_uses(client: Client) -> None:
    """Issue 11 row 13: without `createcachetable` every API request was a 500."""
    migration = importlib.import_module("policeplan.web.migrations.0001_cache_table")
    assert DATABASE_CACHE["default"]["LOCATION"] == migration.CACHE_TABLE
    assert migration.CACHE_TABLE in connection.introspection.table_names()
    with override_settings(CACHES=DATABASE_CACHE, POLICEPLAN_API_RATE_LIMIT="100/minute"):
        caches["default"].clear()
        response = client.get("/api/v1/plans")
        assert response.status_code == 200
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM policeplan_cache")
            (entries,) = cursor.fetchone()
        assert entries >= 1  # the rate limiter's record of this address


def test_production_settings_use_the_migrated_table() -> None:
    script = "from django.conf import settings; print(settings.CACHES['default']['LOCATION'])"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings",
             "POLICEPLAN_ENV": "production", "DJANGO_SECRET_KEY": "x" * 60},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == DATABASE_CACHE["default"]["LOCATION"]


# --- request log -----------------------------------------------------------------------------


def _logged(client: Client, caplog: pytest.LogCaptureFixture, *paths: str, **extra: str) -> list:
    logger = logging.getLogger("policeplan.request")
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="policeplan.request"):
            for path in paths:
                client.get(path, **extra)  # type: ignore[arg-type]
    finally:
        logger.setLevel(level)
    return [r for r in caplog.records if r.name == "policeplan.request"]


def test_every_request_is_one_log_record_with_status_and_duration(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    records = _logged(client, caplog, "/about/", "/nowhere/")
    assert [(r.method, r.path, r.status) for r in records] == [  # type: ignore[attr-defined]
        ("GET", "/about/", 200),
        ("GET", "/nowhere/", 404),
    ]
    assert all(r.duration_ms > 0 and r.bytes > 0 for r in records)  # type: ignore[attr-defined]


def test_the_logged_client_is_the_address_the_trusted_proxy_saw(
    client: Client, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    forwarded = {"HTTP_X_FORWARDED_FOR": "198.51.100.66, 203.0.113.5", "REMOTE_ADDR": "10.0.0.2"}
    (direct,) = _logged(client, caplog, "/about/", **forwarded)
    assert direct.client == "10.0.0.2"  # type: ignore[attr-defined]
    caplog.clear()
    monkeypatch.setattr(ninja_settings, "NUM_PROXIES", 1)  # POLICEPLAN_PROXIES=1
    (proxied,) = _logged(client, caplog, "/about/", **forwarded)
    assert proxied.client == "203.0.113.5"  # type: ignore[attr-defined]


def test_an_unknown_host_is_a_400_not_an_error(client: Client) -> None:
    for path in ("/about/", "/api/v1/plans"):
        response = client.get(path, HTTP_HOST="attacker.example")
        assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The Host header is not one this site serves."
