"""The metrics engine against independent recounts of the bundled police.uk files."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area
from policeplan.metrics.compute import recompute
from policeplan.metrics.models import Observation
from tests.conftest import LEICESTERSHIRE_STREET

pytestmark = pytest.mark.django_db

PLAN = "llr-2024-2029"
NEIGHBOURHOOD_CRIME = {"Burglary", "Robbery", "Vehicle crime", "Theft from the person"}
# Typed out here rather than imported, so the test checks the engine against a second list.
POSITIVE_CATEGORIES = {
    "Awaiting court outcome", "Court result unavailable", "Court case unable to proceed",
    "Defendant sent to Crown Court", "Defendant found not guilty", "Offender sent to prison",
    "Offender given suspended prison sentence", "Offender fined",
    "Offender given community sentence", "Offender given conditional discharge",
    "Offender given absolute discharge", "Offender ordered to pay compensation",
    "Offender deprived of property", "Offender otherwise dealt with",
    "Suspect charged as part of another case", "Offender given a caution",
    "Offender given penalty notice", "Offender given a drugs possession warning",
    "Local resolution",
}  # fmt: skip


def _rows(month: str) -> list[dict[str, str]]:
    path = LEICESTERSHIRE_STREET / f"{month}-leicestershire-street.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _local_authority(row: dict[str, str]) -> str:
    return row["LSOA name"].rsplit(" ", 1)[0] if row["LSOA name"] else ""


def _value(metric: str, area: Area, month: str, kind: str = "month", series: str = "") -> float:
    m = Metric.objects.get(plan__slug=PLAN, slug=metric)
    obs = Observation.objects.get(
        metric=m,
        series=series or m.series[0]["slug"],
        area=area,
        period_kind=kind,
        period_end=date.fromisoformat(month + "-01"),
    )
    return obs.value


@pytest.fixture
def force() -> Area:
    return Area.objects.get(kind="force", force="leicestershire")


@pytest.mark.parametrize("month", ["2019-12", "2021-07", "2022-10", "2025-12"])
def test_force_counts_equal_a_recount(force: Area, month: str) -> None:
    types = Counter(row["Crime type"] for row in _rows(month))
    assert _value("burglary", force, month) == types["Burglary"]
    assert _value("robbery", force, month) == types["Robbery"]
    assert _value("anti-social-behaviour", force, month) == types["Anti-social behaviour"]
    assert _value("neighbourhood-crime", force, month) == sum(types[t] for t in NEIGHBOURHOOD_CRIME)
    assert _value("all-crime", force, month) == sum(
        n for t, n in types.items() if t != "Anti-social behaviour"
    )


def test_local_authority_counts_equal_a_recount() -> None:
    rows = _rows("2022-10")
    for name in ["Leicester", "Rutland", "North West Leicestershire"]:
        area = Area.objects.get(kind="local_authority", name=name)
        expected = sum(
            1 for r in rows if r["Crime type"] == "Vehicle crime" and _local_authority(r) == name
        )
        assert _value("vehicle-crime", area, "2022-10") == expected


def test_positive_outcome_rate_equals_a_recount(force: Area) -> None:
    shoplifting = [r for r in _rows("2020-06") if r["Crime type"] == "Shoplifting"]
    positive = sum(r["Last outcome category"] in POSITIVE_CATEGORIES for r in shoplifting)
    metric = Metric.objects.get(plan__slug=PLAN, slug="business-crime-positive-outcomes")
    obs = Observation.objects.get(
        metric=metric, area=force, period_kind="month", period_end=date(2020, 6, 1)
    )
    assert (obs.numerator, obs.denominator) == (positive, len(shoplifting))
    assert obs.value == pytest.approx(100 * positive / len(shoplifting))


def test_missing_months_are_gaps_never_zero(force: Area) -> None:
    burglary = Metric.objects.get(plan__slug=PLAN, slug="burglary")
    held = Observation.objects.filter(metric=burglary, area=force, period_kind="month")
    assert held.count() == 48
    assert not held.filter(period_end__range=(date(2022, 12, 1), date(2024, 12, 1))).exists()
    rolling = Observation.objects.filter(metric=burglary, area=force, period_kind="rolling_12")
    # a 12-month window touching the gap has no figure; whole windows do
    assert not rolling.filter(period_end__range=(date(2022, 12, 1), date(2025, 11, 1))).exists()
    assert rolling.filter(period_end=date(2025, 12, 1)).exists()
    expected = sum(
        sum(r["Crime type"] == "Burglary" for r in _rows(f"{y}-{m:02d}"))
        for y, m in [(2021, 12), *((2022, k) for k in range(1, 12))]
    )
    assert _value("burglary", force, "2022-11", kind="rolling_12") == expected


def test_financial_year_and_quarter_figures(force: Area) -> None:
    burglary = Metric.objects.get(plan__slug=PLAN, slug="burglary")
    fy = Observation.objects.get(
        metric=burglary,
        area=force,
        period_kind="financial_year",
        period_start=date(2020, 4, 1),
    )
    monthly = Observation.objects.filter(
        metric=burglary,
        area=force,
        period_kind="month",
        period_end__range=(date(2020, 4, 1), date(2021, 3, 1)),
    )
    assert fy.value == sum(o.value for o in monthly)
    assert len(fy.source_runs) == 12


def test_recompute_is_incremental(tmp_path: Path, force: Area) -> None:
    assert recompute().months_recomputed == 0  # nothing changed since the session set-up
    text = gzip.decompress(
        (LEICESTERSHIRE_STREET / "2021-07-leicestershire-street.csv.gz").read_bytes()
    ).decode()
    # SYNTHETIC revision: one burglary re-classified as robbery
    text = text.replace(",Burglary,", ",Robbery,", 1)
    revised = tmp_path / "2021-07-leicestershire-street.csv"
    revised.write_text(text, encoding="utf-8", newline="")
    before = _value("burglary", force, "2021-07")
    call_command("import_police_uk", str(revised), verbosity=0)
    result = recompute()
    assert result.months_recomputed == 1
    assert _value("burglary", force, "2021-07") == before - 1
    assert recompute().months_recomputed == 0
    assert recompute(full=True).months_recomputed == 48


def test_ons_series_are_12_month_figures_equal_to_the_workbook_cells(force: Area) -> None:
    from policeplan.official.models import OfficialObservation

    shoplifting = Metric.objects.get(plan__slug=PLAN, slug="shoplifting")
    ons = Observation.objects.filter(metric=shoplifting, series="ons-pfa", area=force)
    assert set(ons.values_list("period_kind", flat=True)) == {"rolling_12"}
    assert ons.count() == 8  # one per edition
    for observation in ons:
        cell = OfficialObservation.objects.get(
            area=force,
            table="P1",
            measure="Shoplifting",
            unit="count",
            period_end__year=observation.period_end.year,
            period_end__month=observation.period_end.month,
            import_run__status="current",
        )
        assert observation.value == float(cell.value or 0)
        assert observation.import_run_id == cell.import_run_id
    # the police.uk series of the same metric is separate and monthly: never mixed
    police_uk = Observation.objects.filter(metric=shoplifting, series="police-uk", area=force)
    assert set(police_uk.values_list("period_kind", flat=True)) >= {"month", "rolling_12"}
    assert not police_uk.filter(import_run_id__in=ons.values("import_run_id")).exists()
