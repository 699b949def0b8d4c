"""The production server, for real: granian (config/serve.py) with production settings, on a
database that only `migrate` prepared (no createcachetable), static files collected and served
by WhiteNoise, JSON logs. Runs on SQLite, and on PostgreSQL when the suite does (a database of
its own)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
from django.db import connection

from config.serve import REQUEST_HEAD_LIMIT, ServerSettings, settings_from
from tests.conftest import REPO_ROOT

HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating proxy in front would send
TOO_MANY = "&".join(["p=1"] * 1001)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A DATABASE_URL the server alone uses: a new SQLite file, or a new PostgreSQL database
    beside the test database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.sqlite3'}"
        return
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'policeplan'}_server"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    vendor: str

    def logs(self) -> list[dict[str, object]]:
        """Stop the server and read what it logged: one JSON object a line."""
        self.process.send_signal(signal.SIGTERM)
        _, stderr = self.process.communicate(timeout=60)
        return [json.loads(line) for line in stderr.splitlines() if line.strip()]


def _kill(process: subprocess.Popen[str]) -> None:
    """The server and its worker processes (one process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def server(server_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not (REPO_ROOT / "frontend" / "build" / "css" / "app.css").exists():
        pytest.fail("frontend/build is missing: run `make frontend`")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "POLICEPLAN_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "POLICEPLAN_ENV": "production",
        "DJANGO_SECRET_KEY": "server-test-only-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": server_database,
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "POLICEPLAN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("LOG_FORMAT", None)
    env.pop("LOG_REQUESTS", None)
    for command in (["migrate", "--no-input"], ["load_plans"], ["collectstatic", "--no-input"]):
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=REPO_ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "config.serve"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its workers are killed with it, and release the pipes
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.3)
    else:
        _kill(process)
        pytest.fail(f"the server did not answer: {process.communicate()[1][-2000:]}")
    vendor = "postgresql" if server_database.startswith("postgres") else "sqlite"
    yield Server(url, process, vendor)
    if process.poll() is None:
        _kill(process)
        process.communicate()


def test_the_production_server_serves_the_site_its_api_and_static_files(server: Server) -> None:
    assert connection.vendor in {"sqlite", "postgresql"}
    with httpx.Client(base_url=server.url, headers=HTTPS, timeout=30) as http:
        health = httpx.get(f"{server.url}/healthz", timeout=30)  # plain HTTP, no proxy header
        assert health.status_code == 200
        assert health.json()["checks"]["database"]["vendor"] == server.vendor
        assert health.json()["checks"]["migrations"] == {"status": "ok", "unapplied": 0}

        assert httpx.get(f"{server.url}/about/").status_code == 301  # to https
        home = http.get("/")
        assert home.status_code == 200
        assert "script-src 'self'" in home.headers["Content-Security-Policy"]
        assert "geolocation=()" in home.headers["Permissions-Policy"]
        assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        # Hashed static names, served by WhiteNoise with a far-future cache lifetime.
        stylesheet = next(
            part.split('"')[0] for part in home.text.split('href="')[1:] if "/css/app." in part
        )
        assert stylesheet != "/static/css/app.css"
        css = http.get(stylesheet)
        assert css.status_code == 200 and "app-chart" in css.text
        assert "immutable" in css.headers["Cache-Control"]

        # No createcachetable was run: the rate limiter's database cache table is migrate's.
        plans = http.get("/api/v1/plans")
        assert plans.status_code == 200, plans.text
        assert plans.json()["count"] >= 1

        too_many = http.get(f"/about/?{TOO_MANY}")
        assert too_many.status_code == 400
        assert "Sorry, there is a problem with the address" in too_many.text
        assert http.get("/no-such-page/").status_code == 404
        # A request head (address and headers) past about 64 KiB is refused before Django.
        huge = http.get("/about/", headers={"X-Padding": "a" * 2 * REQUEST_HEAD_LIMIT})
        assert huge.status_code == 431
        assert http.get("/about/?q=" + "a" * 20_000).status_code == 200
        assert http.get(f"/api/v1/plans?{TOO_MANY}").headers["Content-Type"] == (
            "application/problem+json"
        )

    records = server.logs()
    requests = [r for r in records if r.get("logger") == "policeplan.request"]
    seen = {(r["method"], r["path"], r["status"]) for r in requests}
    assert {("GET", "/healthz", 200), ("GET", "/", 200), ("GET", "/about/", 301),
            ("GET", "/api/v1/plans", 200), ("GET", "/about/", 400),
            ("GET", "/no-such-page/", 404)} <= seen  # fmt: skip
    assert all(float(str(r["duration_ms"])) >= 0 and r["time"] for r in requests)
    assert any(r.get("logger") == "_granian" for r in records), "the server's own log lines"
    assert not [r for r in records if r.get("level") == "ERROR"]


def test_server_settings_come_from_the_environment_with_clear_errors() -> None:
    assert settings_from({}) == ServerSettings()
    production = settings_from(
        {"POLICEPLAN_BIND": "0.0.0.0:9000", "WEB_CONCURRENCY": "4", "POLICEPLAN_ENV": "production"}
    )
    assert (production.address, production.port, production.workers) == ("0.0.0.0", 9000, 4)
    assert production.json_logs and not settings_from({"LOG_FORMAT": "text"}).json_logs
    assert str(settings_from({"POLICEPLAN_BIND": "unix:/run/pp.sock"}).uds) == "/run/pp.sock"
    for env, message in (
        ({"POLICEPLAN_BIND": "127.0.0.1"}, "POLICEPLAN_BIND must be HOST:PORT or unix:PATH"),
        ({"POLICEPLAN_BIND": "a:1,b:2"}, "POLICEPLAN_BIND must be HOST:PORT or unix:PATH"),
        ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY must be a whole number of at least 1"),
        ({"SERVER_THREADS": "two"}, "SERVER_THREADS must be a whole number of at least 1"),
    ):
        with pytest.raises(ValueError, match=message):
            settings_from(env)
