"""Browser tests: Debian's Chromium, driven by Playwright, against a live copy of the site.

How the site is served, and why not pytest-django's ``live_server``: that fixture pulls in
``transactional_db``, which empties every table after each test, so it would delete the plans,
geography and police.uk records that tests/conftest.py loads once for the whole session and
every later test relies on. Instead ``site_url`` runs Django's own ``LiveServerThread`` against
the session database as it stands, and each test takes the ordinary ``db`` fixture (a
transaction rolled back at the end, never a flush): the pages only read (GET). An in-memory
SQLite test database lives in one connection, which is handed to the server thread exactly as
Django's LiveServerTestCase does; on PostgreSQL the server's request threads open their own
connections, see the committed session data, and close them after each request, so the test
database can still be dropped at the end.

Playwright's own browser download is never used (``make browser-deps`` installs Debian's
``chromium``). Without Playwright or Chromium these tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
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
SCREENSHOT_HEIGHT = 1400
# Generous for a loaded 2-core machine; a healthy page takes well under a second.
TIMEOUT_MS = 15_000


def _missing(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


def _served_as_is(app: Any) -> Any:
    # WhiteNoise (with finders in development settings) already serves /static/, as in
    # `make run`; Django's test static handler would not (it guesses .mjs types differently).
    return app


@dataclass(frozen=True)
class LiveSite:
    url: str
    # In-memory SQLite connections the server thread shares with the test code.
    shared_connections: dict[str, BaseDatabaseWrapper]


@pytest.fixture(scope="package")
def live_site(django_db_setup: None, django_db_blocker: Any) -> Iterator[LiveSite]:
    """The site, served from the session database by Django's LiveServerThread."""
    with django_db_blocker.unblock():
        shared: dict[str, BaseDatabaseWrapper] = {
            conn.alias: conn
            for conn in connections.all()
            if isinstance(conn, SQLiteDatabaseWrapper) and conn.is_in_memory_db()
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        static_handler: Any = _served_as_is
        server = LiveServerThread("127.0.0.1", static_handler, shared, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield LiveSite(f"http://127.0.0.1:{server.port}", shared)
        finally:
            server.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


@pytest.fixture(scope="package")
def site_url(live_site: LiveSite) -> str:
    return live_site.url


@pytest.fixture(autouse=True)
def _database_beside_playwright(
    monkeypatch: pytest.MonkeyPatch, live_site: LiveSite
) -> Iterator[None]:
    """Let the ``db`` fixture work on the main thread while Playwright runs.

    Playwright's sync API keeps an asyncio loop running on the main thread. Django then
    refuses ORM calls (here only ``db``'s BEGIN and ROLLBACK), and keeps database connections
    per async context rather than per thread, so ``db`` would open a second connection that
    nothing closes (and PostgreSQL could not drop the test database). So: the guard is off
    for these tests only (nothing runs concurrently on that thread); an in-memory SQLite
    database is the one connection the server also uses, as in Django's LiveServerTestCase;
    and other connections opened here are closed after each test.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    for alias, conn in live_site.shared_connections.items():
        connections[alias] = conn
    yield
    connections.close_all()  # closing in-memory SQLite is a no-op in Django


@pytest.fixture(autouse=True)
def _test_database(_database_beside_playwright: None, db: None) -> None:
    """Each browser test uses the test database, never the development one.

    pytest-django creates the test database only when some collected test asks for one, so
    without ``db`` a run of tests/browser alone would serve (and tests/conftest.py would load
    its data into) var/policeplan.sqlite3. ``db`` also lifts pytest-django's process-wide
    block on database access, which would refuse the server thread too. It wraps the test in
    a transaction rolled back at the end, never a flush; the pages only read.
    """


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
def screenshot() -> Callable[..., None]:
    """Save a PNG of the top of the page to docs/screenshots/ when POLICEPLAN_SCREENSHOTS=1.

    The picture runs down to the bottom of ``until`` (a locator) when given, else to
    ``SCREENSHOT_HEIGHT``: enough to show the page in the README without megabytes of table.
    """

    def take(page: Any, name: str, until: Any = None) -> None:
        if os.environ.get("POLICEPLAN_SCREENSHOTS") != "1":
            return
        height = SCREENSHOT_HEIGHT
        if until is not None:
            box = until.bounding_box()
            height = int(box["y"] + box["height"] + page.evaluate("window.scrollY")) + 30
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS_DIR / f"{name}.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height},
        )

    return take
