"""Fixtures for the source-layer tests: where the real data.police.uk files are.

No database is used by these tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from policeplan.sources.police_uk_api import PoliceUkApi
from tests.sources.synthetic_police_api import FakeClock, Handler, Server, SyntheticApi

REPO_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_POLICE_UK = REPO_ROOT / "data" / "police_uk"
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """``../shared/data`` beside the checkout (real published files); skip when absent."""
    if not (SHARED_DATA / "police_uk").is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return SHARED_DATA


@pytest.fixture(scope="session")
def leicestershire_street_dir() -> Path:
    """The real Leicestershire street files: bundled in ``data/`` if present, else
    ``../shared``; skip when neither is available."""
    for base in (BUNDLED_POLICE_UK, SHARED_DATA / "police_uk"):
        folder = base / "leicestershire" / "street"
        if folder.is_dir() and any(folder.glob("*-leicestershire-street.csv.gz")):
            return folder
    pytest.skip("no Leicestershire street files in data/police_uk or ../shared")


@pytest.fixture
def server() -> Iterator[tuple[str, SyntheticApi]]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.api = SyntheticApi()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api", httpd.api
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(
    server: tuple[str, SyntheticApi], clock: FakeClock
) -> Iterator[Callable[..., PoliceUkApi]]:
    clients: list[PoliceUkApi] = []

    def make(**options: Any) -> PoliceUkApi:
        options.setdefault("clock", clock.now)
        options.setdefault("sleep", clock.sleep)
        client = PoliceUkApi(options.pop("base_url", server[0]), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
