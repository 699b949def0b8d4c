"""Shared fixtures. Tests run against a real database: SQLite by default, PostgreSQL when
DATABASE_URL points at one (``make test`` runs both)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parent.parent
PLANS_DIR = REPO_ROOT / "plans"
SHARED_DIR = REPO_ROOT.parent / "shared"


BUNDLED_DIR = REPO_ROOT / "data"
LEICESTERSHIRE_STREET = BUNDLED_DIR / "police_uk" / "leicestershire" / "street"


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    """Load the real plans, geography, Leicestershire street data and ONS tables once.

    Each test runs in a transaction that is rolled back, so this base state is shared.
    """
    name = str(connection.settings_dict["NAME"])
    # Never load into a real database: only into the one pytest-django created for the run.
    assert "test" in name or "memory" in name, f"refusing to load test data into {name}"
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("load_plans", verbosity=0)
        call_command("load_geography", verbosity=0)
        call_command("import_police_uk", str(LEICESTERSHIRE_STREET), verbosity=0)
        call_command("import_ons_pfa", str(BUNDLED_DIR / "ons_pfa"), verbosity=0)
        call_command("load_peer_groups", verbosity=0)
        call_command("compute_metrics", verbosity=0)
    yield


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repository (real published data); skip when absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED_DIR


@pytest.fixture(autouse=True)
def page_cache_on(settings: Any) -> Iterator[None]:
    """Every test runs with the whole-page cache on, as production does, starting empty (the
    cache is not rolled back with each test's transaction)."""
    from policeplan.provenance import version

    settings.POLICEPLAN_PAGE_CACHE = True
    cache.clear()
    version.forget()  # a version read in an earlier test's (rolled back) transaction
    yield
    cache.clear()
    version.forget()
