"""Import ONS Police Force Area data tables through the import lifecycle.

This module is the ONS source of ``policeplan.provenance``: every workbook gets an
``ImportRun`` (sha256, size, who ran it, when); a workbook already held byte for byte is a
reported no-op; a different workbook for the same 12-month period (a "corrected" edition)
replaces the figures and keeps the old run as a superseded revision; a workbook that cannot be
read in full is refused with every problem named by sheet, row and column, and nothing from it
is written. The slot (the period) comes from the tables' titles (via the parser), never the
file name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from policeplan.analysis.periods import Month
from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.content import ImportInput
from policeplan.provenance.errors import ImportFailed
from policeplan.provenance.lifecycle import (
    FAILED,
    Changes,
    ImportOutcome,
    ImportSource,
    Parsed,
    Written,
    run_import,
)
from policeplan.provenance.limits import check_instance
from policeplan.provenance.models import ImportRun, Slot
from policeplan.sources.ons_pfa import OnsEdition, OnsObservation, OnsPfaWorkbookInvalid
from policeplan.sources.ons_pfa import parse_workbook as parse_ons_workbook

from .models import OfficialObservation, OfficialTable

SOURCE = "ons_pfa"
KIND = "pfa-tables"
MAX_FILE_BYTES = 64 * 1024 * 1024  # an edition is under 1 MB
CHANGE_EXAMPLES = 20  # how many changed cells a replacement records by name
_AREA_CODE_LENGTH = 40  # Area.code max_length
_KIND_BY_PARSER = {
    "force": AreaKind.FORCE,
    "region": AreaKind.REGION,
    "country": AreaKind.COUNTRY,
    "other": AreaKind.OTHER,
}
_SMALL_WORDS = {"and", "the", "of", "excluding"}
_TWELVE_PLACES = Decimal("1e-12")  # OfficialObservation.value decimal_places
_SAME_WITHIN = Decimal("1e-9")

# (area id, table, measure, unit) -> (value, marker)
Figures = dict[tuple[int, str, str, str], tuple[Decimal | None, str]]


@dataclass
class WorkbookResult:
    name: str
    status: str  # imported, replaced, unchanged, failed
    period_label: str = ""
    rows_read: int = 0
    rows_written: int = 0
    suppressed: int | None = None  # cells printed as a marker; None when not read
    areas_created: int = 0
    cells_changed: int | None = None
    cells_removed: int = 0  # figures of the held edition that this workbook no longer has
    problems: list[str] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    run_id: int | None = None


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand folders into the .xlsx workbooks they hold (name order); files pass through."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".xlsx")
        else:
            yield path


def period_label(period_end: Month) -> str:
    """'year ending Dec 2019' for an edition ending December 2019."""
    return f"year ending {period_end.short_label}"


def import_workbook(
    path: Path, run_by: str, source_url: str = "", allow_shrink: bool = False
) -> WorkbookResult:
    """Import one workbook. Raises nothing: problems come back in a failed WorkbookResult."""
    workbooks = OnsWorkbooks()
    item = ImportInput.from_path(path, source_url)
    outcome = run_import(workbooks, item, run_by=run_by, allow_shrink=allow_shrink)
    return workbooks.summarise(outcome)


@dataclass
class _Written:
    edition: OnsEdition
    area_ids: list[int]
    areas_created: int


class OnsWorkbooks(ImportSource[OnsEdition]):
    """ONS "Police Force Area data tables" workbooks (.xlsx): one slot per 12-month period."""

    source = SOURCE
    max_bytes = MAX_FILE_BYTES
    gunzip = False  # an .xlsx is already a zip: no outer compression to strip
    counted = "figures"

    def parse(self, item: ImportInput, content: bytes, slot: Slot | None) -> Parsed[OnsEdition]:
        try:
            edition = parse_ons_workbook(Path(item.name).name, content)
        except OnsPfaWorkbookInvalid as exc:
            raise ImportFailed(item.name, [str(error) for error in exc.errors]) from exc
        end = Month.parse(edition.period_end)
        found = Slot(SOURCE, KIND, "", end.first_day, period_label(end))
        return Parsed(found, edition, len(edition.observations))

    def write(self, run: ImportRun, parsed: Parsed[OnsEdition]) -> Written:
        edition = parsed.rows
        file = Path(run.source_path).name
        areas = _AreaResolver(file)
        area_ids = [areas.resolve(obs).id for obs in edition.observations]
        _check_unique(file, edition.observations, area_ids)
        start, end = Month.parse(edition.period_start), Month.parse(edition.period_end)
        OfficialTable.objects.bulk_create(_tables(run, edition))
        written = OfficialObservation.objects.bulk_create(
            _observations(run, edition, area_ids, start, end), batch_size=2000
        )
        detail = _Written(edition, area_ids, areas.created)
        return Written(len(edition.observations), len(written), detail=detail)

    def snapshot(self, previous: ImportRun) -> Figures:
        return {
            (row["area_id"], row["table"], row["measure"], row["unit"]): (
                row["value"],
                row["marker"],
            )
            for row in OfficialObservation.objects.filter(import_run=previous).values(
                "area_id", "table", "measure", "unit", "value", "marker"
            )
        }

    def retire(self, previous: ImportRun) -> None:
        # One figure per area, table, measure, unit and period: the old ones go first.
        OfficialObservation.objects.filter(import_run=previous).delete()

    def compare(
        self, previous: ImportRun | None, before: Figures | None, written: Written
    ) -> Changes:
        if previous is None or before is None:
            return Changes({})
        detail: _Written = written.detail
        changes = _compare_revisions(previous, before, detail.edition.observations, detail.area_ids)
        return Changes(changes, len(before), changes["cells_removed"])

    def summarise(self, outcome: ImportOutcome[OnsEdition]) -> WorkbookResult:
        if outcome.status == FAILED:
            return WorkbookResult(outcome.name, FAILED, problems=outcome.problems)
        run = outcome.run
        assert run is not None
        result = WorkbookResult(
            outcome.name, outcome.status, run.period_label, rows_read=run.rows_read, run_id=run.id
        )
        if outcome.written is not None:
            detail: _Written = outcome.written.detail
            result.rows_written = run.rows_written
            result.suppressed = sum(obs.value is None for obs in detail.edition.observations)
            result.areas_created = detail.areas_created
            result.changes = outcome.changes.detail
            result.cells_changed = result.changes.get("cells_changed")
            result.cells_removed = outcome.changes.removed
        return result


class _AreaResolver:
    """Finds the Area for each row: forces must exist (load_geography); others are added."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.created = 0
        self.by_code = {
            area.code: area
            for area in Area.objects.filter(
                vintage="", kind__in=[k.value for k in _KIND_BY_PARSER.values()]
            )
        }

    def resolve(self, obs: OnsObservation) -> Area:
        code = obs.area_code or other_area_code(obs.area_name)
        area = self.by_code.get(code)
        if area is not None:
            return area
        kind = _KIND_BY_PARSER[obs.area_kind]
        if obs.area_code is None and kind != AreaKind.OTHER:
            kind = AreaKind.OTHER  # an uncoded "England" row is not the official geography
        if kind == AreaKind.FORCE:
            raise ImportFailed(
                self.file,
                [
                    f"{self.file}, sheet {obs.sheet!r}, cell {obs.cell}: area code "
                    f"{obs.area_code} ({obs.area_name}) is not a police force area held here; "
                    "run 'manage.py load_geography' first, or add the force to "
                    "data/geography/forces.csv"
                ],
            )
        area = Area.objects.create(
            kind=kind,
            code=code,
            name=_tidy_name(obs.area_name),
            slug=slugify(obs.area_name)[:120],
            parent=self._parent(kind),
            source=f"ONS Police Force Area data tables ({self.file})",
        )
        self.by_code[code] = area
        self.created += 1
        return area

    def _parent(self, kind: str) -> Area | None:
        parents: dict[str, str] = {AreaKind.REGION: "E92000001", AreaKind.COUNTRY: "K04000001"}
        parent_code = parents.get(kind)
        return self.by_code.get(parent_code) if parent_code else None


def other_area_code(name: str) -> str:
    """A stable code for a row ONS prints without one ("British Transport Police")."""
    slug = slugify(name)
    if len(slug) <= _AREA_CODE_LENGTH:
        return slug
    # Long names ("England and Wales (excluding Greater Manchester Police)") keep a readable
    # start and a digest of the whole, so two long names cannot collide after truncation.
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[: _AREA_CODE_LENGTH - 9]}-{digest}"


def _tidy_name(name: str) -> str:
    """'ENGLAND AND WALES' -> 'England and Wales'; mixed-case names are kept as printed."""
    if not name.isupper():
        return name
    words = name.lower().split()
    return " ".join(
        w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def _check_unique(file: str, observations: Iterable[OnsObservation], area_ids: list[int]) -> None:
    seen: dict[tuple[int, str, str, str], OnsObservation] = {}
    for obs, area_id in zip(observations, area_ids, strict=True):
        key = (area_id, obs.table, obs.measure, obs.unit)
        first = seen.setdefault(key, obs)
        if first is not obs:
            raise ImportFailed(
                file,
                [
                    f"{file}, sheet {obs.sheet!r}, cell {obs.cell}: a second {obs.measure!r} "
                    f"figure for {obs.area_name!r} (the first is in cell {first.cell})"
                ],
            )


def _tables(run: ImportRun, edition: OnsEdition) -> list[OfficialTable]:
    return [
        OfficialTable(
            import_run=run,
            table=t.table,
            sheet=t.sheet,
            kind=t.kind,
            title=t.title[:500],
            coverage=t.coverage[:200],
        )
        for t in edition.tables
    ]


def _observations(
    run: ImportRun, edition: OnsEdition, area_ids: list[int], start: Month, end: Month
) -> Iterator[OfficialObservation]:
    file = Path(run.source_path).name
    for obs, area_id in zip(edition.observations, area_ids, strict=True):
        observation = OfficialObservation(
            import_run=run,
            area_id=area_id,
            table=obs.table,
            measure=obs.measure,
            unit=obs.unit,
            period_start=start.first_day,
            period_end=end.last_day,
            value=obs.value,
            marker=obs.marker or "",
            sheet=obs.sheet,
            cell=obs.cell,
        )
        # Every figure is checked against its columns' limits before the database sees it.
        check_instance(file, f"{file}, sheet {obs.sheet!r}, cell {obs.cell}", observation)
        yield observation


def _shown(value: Decimal | None, marker: str | None) -> str:
    """A figure as text for the change report: the marker, or the value (at most 12 places)."""
    if value is None:
        return marker or ""
    text = format(value.quantize(_TWELVE_PLACES).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _same_figure(before: tuple[Decimal | None, str], after: OnsObservation) -> bool:
    """True when a figure is unchanged. Values within a relative 1e-9 are the same: SQLite
    keeps 15 significant digits and spreadsheet tools rewrite the 17th, neither a change."""
    value, marker = before
    if value is None or after.value is None:
        return value is after.value and marker == (after.marker or "")
    scale = max(abs(value), abs(after.value), Decimal(1))
    return abs(value - after.value) <= _SAME_WITHIN * scale


def _compare_revisions(
    previous: ImportRun,
    old: Figures,
    observations: Iterable[OnsObservation],
    area_ids: list[int],
) -> dict[str, Any]:
    """Which figures differ between the held revision and the new workbook."""
    old = dict(old)
    examples: list[dict[str, str]] = []
    changed = added = 0
    for obs, area_id in zip(observations, area_ids, strict=True):
        before = old.pop((area_id, obs.table, obs.measure, obs.unit), None)
        if before is None:
            added += 1
        elif not _same_figure(before, obs):
            changed += 1
            if len(examples) < CHANGE_EXAMPLES:
                examples.append(
                    {
                        "area": obs.area_name,
                        "table": obs.table,
                        "measure": obs.measure,
                        "unit": obs.unit,
                        "cell": obs.cell,
                        "before": _shown(*before),
                        "after": _shown(obs.value, obs.marker),
                    }
                )
    return {
        "previous_run": previous.id,
        "previous_sha256": previous.sha256,
        "previous_source_path": previous.source_path,
        "cells_changed": changed,
        "cells_added": added,
        "cells_removed": len(old),
        "examples": examples,
    }
