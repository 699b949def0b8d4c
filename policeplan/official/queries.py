"""Read-side queries for official statistics: editions held, populations, peer comparisons.

Only figures from current import runs are read. Counts come from Table P1 and populations from
Table P3 of the same edition; rates per 1,000 population are calculated here from those two
(``policeplan.analysis.trends.rate_per_1000``), so every rate on the site can be traced to two
published cells. Nothing here reads police.uk records: the two are never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Min, QuerySet
from django.utils.text import slugify

from policeplan.analysis import trends
from policeplan.analysis.peers import PeerComparison, compare_with_peers, ordinal
from policeplan.analysis.periods import Month
from policeplan.analysis.polarity import Polarity
from policeplan.analysis.trends import format_rate
from policeplan.geography.models import Area, AreaKind, PeerGroup
from policeplan.provenance.models import ImportRun
from policeplan.sources.ons_pfa_model import MARKERS

from .importer import KIND, SOURCE
from .models import OfficialObservation, OfficialTable

SOURCE_NAME = "ONS, Police Force Area data tables"
COUNT_TABLE = "P1"
POPULATION_TABLE = "P3"
POPULATION_MEASURE = "Population"
ENGLAND_AND_WALES = "K04000001"
TOTAL_RECORDED_CRIME = "Total recorded crime (excluding fraud)"


def current_observations() -> QuerySet[OfficialObservation]:
    """Observations from the current revision of each edition."""
    return OfficialObservation.objects.filter(import_run__status=ImportRun.Status.CURRENT)


@dataclass(frozen=True)
class Edition:
    """An edition held: its import run (provenance) and its Table P1 title and coverage."""

    run: ImportRun
    period_end: Month
    title: str
    coverage: str
    revisions: int  # earlier, superseded imports of the same period

    @property
    def value(self) -> str:
        """'2019-12': the ``period`` query value."""
        return str(self.period_end)

    @property
    def label(self) -> str:
        """'year ending December 2019'."""
        return f"year ending {self.period_end.label}"

    @property
    def period_start(self) -> Month:
        return self.period_end.shift(-11)

    @property
    def file_name(self) -> str:
        return self.run.source_path.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def excludes_greater_manchester(self) -> bool:
        return "excluding greater manchester" in self.coverage.lower()

    def source_line(self, table: str = COUNT_TABLE) -> str:
        """'Source: ONS, Police Force Area data tables, year ending December 2019, Table P1'."""
        return f"Source: {SOURCE_NAME}, {self.label}, Table {table}"


def editions() -> list[Edition]:
    """Editions held (current import runs), oldest period first."""
    runs = list(
        ImportRun.objects.filter(source=SOURCE, kind=KIND, status=ImportRun.Status.CURRENT)
        .exclude(month=None)
        .order_by("month")
    )
    p1 = {
        t.import_run_id: t
        for t in OfficialTable.objects.filter(import_run__in=runs, table=COUNT_TABLE)
    }
    superseded: dict[date, int] = {}
    for month in ImportRun.objects.filter(
        source=SOURCE, kind=KIND, status=ImportRun.Status.SUPERSEDED
    ).values_list("month", flat=True):
        if month is not None:
            superseded[month] = superseded.get(month, 0) + 1
    held = []
    for run in runs:
        assert run.month is not None  # excluded above
        table = p1.get(run.id)
        held.append(
            Edition(
                run=run,
                period_end=Month.from_date(run.month),
                title=table.title if table else "",
                coverage=table.coverage if table else "",
                revisions=superseded.get(run.month, 0),
            )
        )
    return held


def edition_for(period: str | None, held: list[Edition] | None = None) -> Edition | None:
    """The edition ending in month ``period`` ('YYYY-MM'); the latest when None; else None."""
    held = editions() if held is None else held
    if not held:
        return None
    if period is None:
        return held[-1]
    return next((e for e in held if e.value == period), None)


@dataclass(frozen=True)
class OffenceGroup:
    name: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


def offence_groups() -> list[OffenceGroup]:
    """Offence groups counted in Table P1 of any edition held, in the table's column order."""
    names = (
        current_observations()
        .filter(table=COUNT_TABLE, unit="count")
        .values("measure")
        .annotate(first_id=Min("id"))
        .order_by("first_id")
    )
    return [OffenceGroup(row["measure"]) for row in names]


def offence_group(slug: str) -> OffenceGroup | None:
    return next((group for group in offence_groups() if group.slug == slug), None)


def _last_day(period_end: date) -> date:
    """Period ends are stored as the month's last day; accept any day of that month."""
    return Month.from_date(period_end).last_day


def population(area: Area, period_end: date) -> Decimal | None:
    """Mid-year population used by the edition ending in ``period_end``'s month (Table P3)."""
    return populations(area).get(_last_day(period_end))


def populations(area: Area) -> dict[date, Decimal | None]:
    """Every mid-year population held for ``area`` (Table P3), by edition end (the month's
    last day): one query where ``population`` per edition would make one each."""
    return dict(
        current_observations()
        .filter(area=area, table=POPULATION_TABLE, measure=POPULATION_MEASURE, unit="population")
        .order_by("period_end", "pk")
        .values_list("period_end", "value")
    )


Number = Decimal | float | int


def rate_per_1000(count: Number | None, population: Number | None) -> float | None:
    """Offences per 1,000 population; None when either figure is missing (never zero)."""
    return trends.rate_per_1000(
        None if count is None else float(count), None if population is None else float(population)
    )


@dataclass(frozen=True)
class Figure:
    """A published cell: a value, or the table's marker in its place."""

    value: Decimal | None
    marker: str
    sheet: str
    cell: str

    @property
    def meaning(self) -> str:
        return MARKERS.get(self.marker, "not published") if self.value is None else ""


def markers_in(figures: Iterable[Figure | None]) -> dict[str, str]:
    """The markers among ``figures`` and what each means, for a table's footnote."""
    return {f.marker: f.meaning for f in figures if f is not None and f.value is None}


@dataclass(frozen=True)
class AreaFigures:
    area: Area
    role: str  # force, peer, region, country
    label: str
    count: Figure | None  # None when the edition has no such figure for the area
    population: Decimal | None
    rate: float | None
    rank: int | None = None

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)


def _figures(
    group: OffenceGroup, period_end: date, areas: Iterable[Area]
) -> tuple[dict[int, Figure], dict[int, Decimal | None]]:
    ids = [area.id for area in areas]
    rows = current_observations().filter(area_id__in=ids, period_end=_last_day(period_end))
    counts = {
        o.area_id: Figure(o.value, o.marker, o.sheet, o.cell)
        for o in rows.filter(table=COUNT_TABLE, measure=group.name, unit="count")
    }
    populations = dict(
        rows.filter(
            table=POPULATION_TABLE, measure=POPULATION_MEASURE, unit="population"
        ).values_list("area_id", "value")
    )
    return counts, populations


def peer_group(force: Area) -> PeerGroup | None:
    """The force's peer group (a confirmed most similar group before a provisional one)."""
    return (
        PeerGroup.objects.filter(force=force)
        .prefetch_related("members")
        .order_by("provisional", "id")
        .first()
    )


@dataclass(frozen=True)
class OffenceGroupComparison:
    """A force against its peers, region and England and Wales for one edition."""

    group: OffenceGroup
    edition: Edition
    force: Area
    peer_group: PeerGroup | None
    rows: list[AreaFigures]
    peers: PeerComparison | None  # ranked by rate per 1,000 among the force and its peers

    @property
    def markers(self) -> dict[str, str]:
        """Markers shown in the table and what each means."""
        return markers_in(row.count for row in self.rows)

    @property
    def force_row(self) -> AreaFigures:
        return self.rows[0]

    @property
    def rank_summary(self) -> str:
        """Where the force ranks among its peers by rate, in a sentence ('' if not ranked)."""
        if self.peers is None or self.peers.rank is None:
            return ""
        text = (
            f"By rate per 1,000 population, {self.force.name} ranks {ordinal(self.peers.rank)} "
            f"of {self.peers.of} among itself and its peers (1st is the highest rate)."
        )
        if self.peers.peer_mean is not None:
            text += f" The peers' average rate is {format_rate(self.peers.peer_mean)}."
        if self.peers.no_data:
            text += f" Not ranked, no figure published: {', '.join(self.peers.no_data)}."
        return text


def compare_force(group: OffenceGroup, force: Area, edition: Edition) -> OffenceGroupComparison:
    peers = peer_group(force)
    members = sorted(peers.members.all(), key=lambda a: a.name) if peers else []
    listed: list[tuple[Area, str, str]] = [(force, "force", force.name)]
    listed += [(member, "peer", member.name) for member in members]
    region = force.parent
    if region is not None:
        suffix = " (region)" if region.kind == AreaKind.REGION else ""
        listed.append((region, region.kind, f"{region.name}{suffix}"))
    england_and_wales = Area.objects.filter(
        kind=AreaKind.COUNTRY, code=ENGLAND_AND_WALES, vintage=""
    ).first()
    if england_and_wales is not None:
        listed.append((england_and_wales, "country", england_and_wales.name))
    period_end = edition.period_end.last_day
    counts, populations = _figures(group, period_end, (area for area, _, _ in listed))
    rows = []
    for area, role, label in listed:
        count = counts.get(area.id)
        area_population = populations.get(area.id)
        rate = rate_per_1000(count.value if count else None, area_population)
        rows.append(AreaFigures(area, role, label, count, area_population, rate))
    comparison = None
    if members:
        ranked = [row for row in rows if row.role in ("force", "peer")]
        comparison = compare_with_peers(
            force.name, {row.label: row.rate for row in ranked}, polarity=Polarity.NEUTRAL
        )
        ranks = {entry.name: entry.rank for entry in comparison.entries}
        rows = [
            AreaFigures(r.area, r.role, r.label, r.count, r.population, r.rate, ranks.get(r.label))
            if r.role in ("force", "peer")
            else r
            for r in rows
        ]
    return OffenceGroupComparison(group, edition, force, peers, rows, comparison)


@dataclass(frozen=True)
class TrendPoint:
    edition: Edition
    count: Figure | None
    population: Decimal | None
    rate: float | None
    england_and_wales_rate: float | None

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)

    @property
    def england_and_wales_rate_text(self) -> str:
        return format_rate(self.england_and_wales_rate)


def force_trend(group: OffenceGroup, force: Area, held: list[Edition]) -> list[TrendPoint]:
    """The force's figures in each edition held, oldest first, with England and Wales's rate."""
    england_and_wales = Area.objects.filter(
        kind=AreaKind.COUNTRY, code=ENGLAND_AND_WALES, vintage=""
    ).first()
    areas = [force] if england_and_wales is None else [force, england_and_wales]
    ids = [area.id for area in areas]
    rows = current_observations().filter(area_id__in=ids)
    counts = {
        (o.area_id, o.period_end): Figure(o.value, o.marker, o.sheet, o.cell)
        for o in rows.filter(table=COUNT_TABLE, measure=group.name, unit="count")
    }
    populations = {
        (area_id, end): value
        for area_id, end, value in rows.filter(
            table=POPULATION_TABLE, measure=POPULATION_MEASURE, unit="population"
        ).values_list("area_id", "period_end", "value")
    }
    points = []
    for edition in held:
        end = edition.period_end.last_day
        count = counts.get((force.id, end))
        force_population = populations.get((force.id, end))
        ew_rate = None
        if england_and_wales is not None:
            ew_count = counts.get((england_and_wales.id, end))
            ew_rate = rate_per_1000(
                ew_count.value if ew_count else None, populations.get((england_and_wales.id, end))
            )
        points.append(
            TrendPoint(
                edition,
                count,
                force_population,
                rate_per_1000(count.value if count else None, force_population),
                ew_rate,
            )
        )
    return points


def forces() -> QuerySet[Area]:
    """Police force areas, for choosing which force to show."""
    return Area.objects.filter(kind=AreaKind.FORCE).exclude(force="").order_by("name")


def force_by_id(police_uk_id: str) -> Area | None:
    return forces().filter(force=police_uk_id).select_related("parent").first()
