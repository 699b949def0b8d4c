"""Finding 1 of issue 12: every metric page names its latest file, hash, import and API run."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import BUNDLED_DIR, LEICESTERSHIRE_STREET

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_police_uk_series_names_latest_file_hash_process_and_run(client: Client) -> None:
    html = client.get("/plans/llr-2024-2029/metrics/burglary/").content.decode()
    text = _text(html)
    latest = LEICESTERSHIRE_STREET / "2025-12-leicestershire-street.csv.gz"
    assert f"Latest file: {latest.name} , SHA-256 {_sha256(latest)} , imported " in text
    assert "by import_police_uk (a data.police.uk file)" in text
    assert "Latest file: (SHA-256 , imported )" not in text
    run_url = re.search(r'href="(/api/v1/import-runs/\d+)"', html)
    assert run_url is not None
    run = client.get(run_url.group(1)).json()
    assert run["sha256"] == _sha256(latest)
    assert run["file"] == latest.name
    # Never who ran it nor where it sat on the server.
    assert "root" not in text.split()
    assert str(BUNDLED_DIR) not in html
    assert "(manage.py import" not in html  # run_by reads "root (manage.py import_...)"


def test_ons_series_names_latest_edition_not_blank(client: Client) -> None:
    text = _text(client.get("/plans/llr-2024-2029/metrics/homicide/").content.decode())
    latest = BUNDLED_DIR / "ons_pfa" / "pfatablesdec19.xlsx"
    assert "Table P1 (8 editions). Latest file: pfatablesdec19.xlsx" in text
    assert _sha256(latest) in text
    assert "by import_ons_pfa (an ONS police force area workbook)" in text
    assert "latest )" not in text
