"""Fixtures for the source-layer tests: where the real data.police.uk files are.

No database is used by these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

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
