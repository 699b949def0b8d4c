"""A second force from configuration alone: every public page and API endpoint of a
Nottinghamshire deployment shows that force's figures, recounted here from its raw files, and
no word of the bundled force (see conftest.py for the deployment)."""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from tests.conftest import BUNDLED_DIR

from .conftest import FIXTURES, FORCE, PLAN, Deployment

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
BUNDLED_FORCE_WORDS = re.compile(r"leicester|\bllr\b|rutland|E23000021|blaby", re.IGNORECASE)
FORCE_NAME = "Nottinghamshire Police"


def _catalogue() -> dict[str, Any]:
    path = FIXTURES / "plans" / f"{PLAN}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["plan"]


def _local_authorities() -> dict[str, str]:
    with (FIXTURES / "geography" / "local_authorities.csv").open(encoding="utf-8") as handle:
        return {row["name"]: row["lad_code"] for row in csv.DictReader(handle)}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _text(body: bytes) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", "", body.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))).strip()


def _raw_rows(files: list[Path]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


@pytest.fixture(scope="module")
def site(deployment: Deployment) -> dict[str, dict[str, Any]]:
    plan = _catalogue()
    pages = [
        "/", f"/plans/{PLAN}/", "/performance-framework/", "/exceptions/",
        "/national-measures/", "/official-statistics/", "/your-area/", "/search/?q=burglary",
        "/data/coverage/", "/plans/compare/", "/about/", "/api/", "/neighbourhoods/",
    ]  # fmt: skip
    for mission in plan["missions"]:
        pages.append(f"/plans/{PLAN}/missions/{mission['slug']}/")
        pages += [f"/plans/{PLAN}/strategies/{s['slug']}/" for s in mission["strategies"]]
    for metric in plan["metrics"]:
        url = f"/plans/{PLAN}/metrics/{metric['slug']}/"
        pages += [url] + [f"{url}?area={_slug(name)}" for name in _local_authorities()]
    pages += [f"/areas/{_slug(name)}/" for name in _local_authorities()]
    fetched = deployment.fetch(pages)
    index = _text(fetched["/official-statistics/"]["body"])
    groups = re.findall(
        r'href="(/official-statistics/[a-z0-9-]+/)"',
        fetched["/official-statistics/"]["body"].decode(),
    )
    assert groups and FORCE_NAME in index
    fetched.update(deployment.fetch(sorted(set(groups))))
    return fetched


def test_every_public_page_shows_the_force_and_no_word_of_the_bundled_one(
    site: dict[str, dict[str, Any]],
) -> None:
    assert len(site) > 60
    for url, page in site.items():
        assert page["status"] == 200, url
        body = page["body"].decode()
        # A chooser of all 43 forces (official statistics) may list every force by name.
        body = re.sub(r"<select\b.*?</select>", "", body, flags=re.S)
        assert not BUNDLED_FORCE_WORDS.search(body), (url, BUNDLED_FORCE_WORDS.findall(body))
    for url in ("/", "/exceptions/", "/national-measures/", "/official-statistics/burglary/"):
        assert FORCE_NAME in _text(site[url]["body"]), url


def test_metric_pages_show_the_force_figures_recounted_from_raw_files(
    site: dict[str, dict[str, Any]], deployment: Deployment
) -> None:
    rows = _raw_rows(deployment.street_files)
    assert {row["Falls within"] for row in rows} == {FORCE_NAME}
    by_month = Counter(row["Month"] for row in rows if row["Crime type"] == "Burglary")
    text = _text(site[f"/plans/{PLAN}/metrics/burglary/"]["body"])
    assert f"In December 2025 the figure for {FORCE_NAME} was {by_month['2025-12']:,}." in text
    year = sum(n for month, n in by_month.items() if month.startswith("2025-"))
    assert f"{year:,} in 12 months to December 2025." in text
    for month in ("2022-01", "2025-06"):
        label = {"2022-01": "January 2022", "2025-06": "June 2025"}[month]
        assert f"{label} {by_month[month]:,} " in text
    # Each local authority's 2025 total, from the LSOA name (the authority, then a code).
    for name in _local_authorities():
        count = sum(
            1
            for row in rows
            if row["Crime type"] == "Burglary"
            and row["Month"].startswith("2025-")
            and row["LSOA name"].rsplit(" ", 1)[0] == name
        )
        assert f"{name} {count:,} Not available (months missing)" in text, name
    asb = sum(
        1 for r in rows if r["Crime type"] == "Anti-social behaviour" and r["Month"] == "2025-12"
    )
    asb_text = _text(site[f"/plans/{PLAN}/metrics/anti-social-behaviour/"]["body"])
    assert f"In December 2025 the figure for {FORCE_NAME} was {asb:,}." in asb_text
    area = _text(site[f"/plans/{PLAN}/metrics/burglary/?area=nottingham"]["body"])
    city = sum(
        1
        for row in rows
        if row["Crime type"] == "Burglary"
        and row["Month"] == "2025-12"
        and row["LSOA name"].rsplit(" ", 1)[0] == "Nottingham"
    )
    assert f"In December 2025 the figure for Nottingham was {city:,}." in area


def _ons_homicide(force_code: str) -> int:
    """Homicide for the force in the December 2019 edition, read with openpyxl directly."""
    book = openpyxl.load_workbook(BUNDLED_DIR / "ons_pfa" / "pfatablesdec19.xlsx", read_only=True)
    sheet = next(s for s in book.worksheets if s.title.strip() == "Table P1")
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and str(r[0]).strip() == "Area Code")
    column = next(i for i, h in enumerate(header) if h and str(h).startswith("Homicide"))
    row = next(r for r in rows if r and str(r[0]).strip().startswith(force_code))
    return int(row[column])


def test_ons_figures_are_the_force_row_and_out_of_date(site: dict[str, dict[str, Any]]) -> None:
    with (BUNDLED_DIR / "geography" / "forces.csv").open(encoding="utf-8") as handle:
        code = next(r["ons_code"] for r in csv.DictReader(handle) if r["police_uk_id"] == FORCE)
    homicide = _ons_homicide(code)
    text = _text(site[f"/plans/{PLAN}/metrics/homicide/"]["body"])
    assert f"December 2019 {homicide:,} " in text
    assert "Out of date: the latest figure is for the 12 months to December 2019" in text
    measures = _text(site["/national-measures/"]["body"])
    assert (
        f"Homicide Out of date {homicide:,} offences in the 12 months to December 2019" in measures
    )


def test_api_endpoints_give_the_force(
    site: dict[str, dict[str, Any]], deployment: Deployment
) -> None:
    rows = _raw_rows(deployment.street_files)
    with (BUNDLED_DIR / "geography" / "forces.csv").open(encoding="utf-8") as handle:
        code = next(r["ons_code"] for r in csv.DictReader(handle) if r["police_uk_id"] == FORCE)
    urls = [
        "/api/v1/plans", "/api/v1/metrics", "/api/v1/exceptions", "/api/v1/openapi.json",
        f"/api/v1/import-runs?force={FORCE}&limit=100", f"/api/v1/coverage?force={FORCE}",
        f"/api/v1/areas?kind=local_authority&force={FORCE}",
        f"/api/v1/observations?metric=burglary&series=police-uk&area={code}"
        "&period_kind=month&limit=100",
        "/api/v1/downloads/observations.zip",
    ]  # fmt: skip
    api = deployment.fetch(urls)
    for url, page in api.items():
        assert page["status"] == 200, url

    def body(url: str) -> Any:
        return json.loads(api[url]["body"])

    assert [p["slug"] for p in body("/api/v1/plans")["results"]] == [PLAN]
    assert {r["area_code"] for r in body("/api/v1/exceptions")["results"]} <= {code}
    runs = body(f"/api/v1/import-runs?force={FORCE}&limit=100")["results"]
    assert len(runs) == len(deployment.street_files)
    areas = body(f"/api/v1/areas?kind=local_authority&force={FORCE}")["results"]
    assert {a["name"]: a["code"] for a in areas} == _local_authorities()
    monthly = body(urls[7])["results"]
    expected = Counter(row["Month"] for row in rows if row["Crime type"] == "Burglary")
    assert {o["period_end"]: o["value"] for o in monthly} == {
        month: float(n) for month, n in expected.items()
    }
    for url in ("/api/v1/openapi.json", "/api/v1/metrics"):
        assert not BUNDLED_FORCE_WORDS.search(api[url]["body"].decode()), url
    # The download holds every observation: the force's, and the ONS series for every area
    # (the tables cover all forces, for comparison). Everything from police.uk is the force's.
    zipped = io.BytesIO(api["/api/v1/downloads/observations.zip"]["body"])
    with zipfile.ZipFile(zipped) as bundle:
        table = list(csv.DictReader(io.StringIO(bundle.read("observations.csv").decode())))
    own = {code, *_local_authorities().values()}
    police_uk = [r for r in table if not r["series"].startswith("ons-")]
    assert police_uk and {r["area_code"] for r in police_uk} == own
    # The guide's worked examples are this deployment's, and each one works.
    guide = site["/api/"]["body"].decode()
    examples = sorted(set(re.findall(r'href="(/api/v1/[^"]+)"', guide)))
    examples = [html.unescape(e) for e in examples if "docs" not in e]
    assert any(f"area={code}" in e for e in examples)
    for url, page in deployment.fetch(examples).items():
        assert page["status"] == 200, url
