"""Recheck every figure a published report states, from the raw data alone.

Independent of the metrics engine: police.uk figures are recounted from the stored street
records (``StreetRecord`` rows, one per crime in a file), ONS figures re-read from the published
cells (``OfficialObservation``), and nothing is read from the engine's ``Observation`` table.
What a figure means comes only from the catalogue's declaration stored with the figure
(crime types, outcome set, ONS table and offence group) and from ``analysis.outcomes`` (which
outcomes count as positive). Local figures (entered by staff) are re-read from the approved
values public now (the staff workspace's ``Observation`` rows with a submission, the record of
what was entered and approved); a withdrawn or revised value is a difference.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count

from policeplan.analysis import outcomes
from policeplan.analysis.periods import Month, month_range
from policeplan.metrics.models import Observation
from policeplan.official.models import OfficialObservation
from policeplan.records.models import StreetRecord

from .changes import differs, figure_label
from .models import Report

ASB = "Anti-social behaviour"  # never a crime with an outcome
POPULATION = ("P3", "Population", "population")
# month -> [(crime type, last outcome category, records)]
Cube = dict[date, list[tuple[str, str, int]]]


@dataclass(frozen=True)
class Difference:
    report: Report
    figure: dict[str, Any]
    recomputed: float | None
    why: str

    def describe(self) -> str:
        shown = "nothing" if self.recomputed is None else f"{self.recomputed:,.6g}"
        return (
            f"Report {self.report.pk} ({self.report.audience}, {self.report.period}): "
            f"{self.figure['metric']} {figure_label(self.figure)} says "
            f"{float(self.figure['value']):,.6g}; the raw data give {shown}. {self.why}"
        )


# How each kind of figure is rechecked, as the summary says it.
CHECKED_FROM = {
    "count": "police.uk",
    "total": "police.uk",
    "rate": "police.uk",
    "ons_count": "ONS",
    "ons_rate": "ONS",
    "local": "local",
}
SUMMARY_WORDS = {
    "police.uk": "recounted from police.uk street records",
    "ONS": "re-read from ONS table cells",
    "local": "approved local values",
}


@dataclass
class Verification:
    reports: int = 0
    checked: int = 0
    differences: list[Difference] = field(default_factory=list)
    by_source: Counter[str] = field(default_factory=Counter)

    def breakdown(self) -> str:
        """'1,200 recounted from police.uk street records, 4 approved local values'."""
        return ", ".join(
            f"{self.by_source[key]:,} {words}"
            for key, words in SUMMARY_WORDS.items()
            if self.by_source[key]
        )


def local_value(report: Report, figure: dict[str, Any]) -> tuple[float | None, str]:
    """The approved value public now for a local figure's slot, and who changed it."""
    held = (
        Observation.objects.published()
        .filter(
            metric__plan_id=report.plan_id,
            metric__slug=figure["metric"],
            series=figure["series"],
            area__code=figure["area"],
            period_kind=figure["period_kind"],
            period_end=Month.parse(figure["end"]).first_day,
            submission__isnull=False,
        )
        .values_list("value", "submission_id")
        .first()
    )
    if held is None:
        return None, "No approved value is public for it now (withdrawn since publication)."
    value, submission = held
    if submission != figure.get("submission") and differs(float(figure["value"]), value):
        return value, f"Revised since publication by submission {submission}."
    return value, ""


class RawData:
    """Grouped counts of street records per force, read once per force."""

    def __init__(self) -> None:
        self._cubes: dict[str, Cube] = {}

    def cube(self, force: str) -> Cube:
        if force not in self._cubes:
            cube: Cube = defaultdict(list)
            rows = (
                StreetRecord.objects.filter(force=force)
                .values_list("month", "crime_type", "last_outcome_category")
                .annotate(records=Count("id"))
                .order_by()
            )
            for month, crime_type, outcome, records in rows:
                cube[month].append((crime_type, outcome or "", records))
            self._cubes[force] = cube
        return self._cubes[force]

    def months(self, figure: dict[str, Any]) -> list[date]:
        start, end = Month.parse(figure["start"]), Month.parse(figure["end"])
        return [month.first_day for month in month_range(start, end)]

    def crime_count(self, figure: dict[str, Any]) -> float | None:
        wanted = set(figure["computation"]["crime_types"])
        cube = self.cube(figure["force"])
        months = self.months(figure)
        if any(month not in cube for month in months):
            return None  # a month with no file held: the figure cannot stand
        return float(sum(n for m in months for ct, _, n in cube[m] if ct in wanted))

    def outcome_rate(self, figure: dict[str, Any]) -> tuple[float | None, int, int]:
        computation = figure["computation"]
        wanted = set(computation.get("crime_types") or [])
        cube = self.cube(figure["force"])
        counts: dict[str, int] = defaultdict(int)
        for month in self.months(figure):
            if month not in cube:
                return None, 0, 0
            for crime_type, outcome, records in cube[month]:
                if crime_type != ASB and (not wanted or crime_type in wanted):
                    counts[outcome] += records
        result = outcomes.positive_outcome_rate(
            counts, outcomes.get_outcome_set(computation.get("outcome_set", "default"))
        )
        if not result.crimes:
            return None, 0, 0
        return 100 * result.positive / result.crimes, result.positive, result.crimes


def _ons_cell(figure: dict[str, Any], table: str, measure: str, unit: str) -> Decimal | None:
    return (
        OfficialObservation.objects.filter(
            import_run__status="current",
            area__code=figure["area"],
            area__kind="force",
            table=table,
            measure=measure,
            unit=unit,
            period_end=Month.parse(figure["end"]).last_day,
        )
        .values_list("value", flat=True)
        .first()
    )


def recompute(figure: dict[str, Any], raw: RawData) -> tuple[float | None, str]:
    """The figure from the raw data, and what else disagrees (numerator, denominator)."""
    measure = figure["measure"]
    computation = figure["computation"]
    if measure in ("count", "total"):
        return raw.crime_count(figure), ""
    if measure == "rate":
        value, positive, crimes = raw.outcome_rate(figure)
        stated = (figure.get("numerator"), figure.get("denominator"))
        if value is not None and stated != (None, None) and stated != (positive, crimes):
            return value, f"Counts differ: {positive:,} of {crimes:,} crimes."
        return value, ""
    if measure in ("ons_count", "ons_rate"):
        group = computation["offence_group"]
        count = _ons_cell(figure, computation.get("table", "P1"), group, "count")
        if count is None:
            return None, ""
        if measure == "ons_count":
            return float(count), ""
        population = _ons_cell(figure, *POPULATION)
        if not population:
            return None, ""
        return float(count) / float(population) * float(figure["per"]), ""
    return None, f"No way to recompute a '{measure}' figure."


def verify(reports: Iterable[Report]) -> Verification:
    raw = RawData()
    result = Verification()
    for report in reports:
        result.reports += 1
        for figure in (report.figures or {}).get("values", []):
            result.checked += 1
            result.by_source[CHECKED_FROM.get(figure["measure"], "other")] += 1
            if figure["measure"] == "local":
                value, why = local_value(report, figure)
                if value is not None and not differs(float(figure["value"]), value):
                    continue
                why = why or "Revised since publication."
                result.differences.append(Difference(report, figure, value, why))
                continue
            value, why = recompute(figure, raw)
            if value is None:
                why = why or "The raw data for it are no longer held."
            elif not why and not differs(float(figure["value"]), value):
                continue
            elif not why:
                why = "Revised or recalculated since publication."
            result.differences.append(Difference(report, figure, value, why))
    return result
