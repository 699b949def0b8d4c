"""Browser tests: Debian's Chromium, driven by Playwright, against a live copy of the site.

How the site is served, and why not pytest-django's ``live_server``: that fixture pulls in
``transactional_db``, which empties every table after each test, so it would delete the plans,
geography and police.uk records that tests/conftest.py loads once for the whole session and
every later test relies on. Instead ``site_url`` runs Django's own ``LiveServerThread`` against
the session database as it stands, with no per-test transaction: the pages only read (GET), so
there is nothing to undo. An in-memory SQLite test database lives in one connection, which is
handed to the server thread exactly as Django's LiveServerTestCase does; on PostgreSQL the
server's request threads open their own connections and close them after each request, so the
test database can still be dropped at the end.

Playwright's own browser download is never used (``make browser-deps`` installs Debian's
``chromium``). Without Playwright or Chromium these tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS_DIR = REPO_ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
# Generous for a loaded 2-core machine; a healthy page takes well under a second.
TIMEOUT_MS = 15_000


def _missing(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


def _served_as_is(app: Any) -> Any:
    # WhiteNoise (with finders in development settings) already serves /static/.
    return app


@pytest.fixture(autouse=True)
def _database_open_to_server(django_db_blocker: Any) -> Iterator[None]:
    """Let the server thread read the database while a browser test runs.

    pytest-django's block is process-wide, so it would refuse the server thread too; this
    test code itself never touches the ORM (Playwright's sync API runs an event loop, and
    Django refuses ORM calls from inside one).
    """
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="package")
def site_url(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The address of the site, served from the session database in a background thread."""
    with django_db_blocker.unblock():
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        server = LiveServerThread("127.0.0.1", _served_as_is, shared, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


@pytest.fixture(scope="package")
def browser(site_url: str) -> Iterator[Any]:
    """One headless Chromium for all the browser tests (started after the server)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed: pip install -r requirements.lock")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _missing(f"{CHROMIUM} is missing: run `make browser-deps`")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


def _new_page(browser: Any, site_url: str, *, javascript: bool) -> Iterator[Any]:
    context = browser.new_context(
        base_url=site_url, viewport=VIEWPORT, java_script_enabled=javascript
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser: Any, site_url: str) -> Iterator[Any]:
    """A fresh browser tab with JavaScript on; fails the test on any uncaught page error."""
    yield from _new_page(browser, site_url, javascript=True)


@pytest.fixture
def no_js_page(browser: Any, site_url: str) -> Iterator[Any]:
    """A fresh browser tab with JavaScript switched off."""
    yield from _new_page(browser, site_url, javascript=False)


@pytest.fixture(scope="package")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        _missing(f"{AXE_SCRIPT} is missing: run `make frontend` (npm ci installs axe-core)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """Save a PNG of the page to docs/screenshots/ when POLICEPLAN_SCREENSHOTS=1."""

    def take(page: Any, name: str) -> None:
        if os.environ.get("POLICEPLAN_SCREENSHOTS") != "1":
            return
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS_DIR / f"{name}.png"), full_page=True)

    return take
