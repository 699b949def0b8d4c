"""Coverage: which force-months of each file kind are held, missing or revised.

A missing month is shown as a gap everywhere, never as zero; this table is how the app knows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from policeplan.provenance.models import ImportRun

HELD, MISSING, REVISED = "held", "missing", "revised"


@dataclass
class ForceCoverage:
    force: str
    kind: str
    first: date
    last: date
    cells: dict[date, str] = field(default_factory=dict)  # month -> held / missing / revised

    @property
    def missing(self) -> list[date]:
        return [m for m, s in self.cells.items() if s == MISSING]

    @property
    def held_count(self) -> int:
        return sum(s != MISSING for s in self.cells.values())

    def years(self) -> list[tuple[int, list[tuple[date, str | None]]]]:
        """Rows of a year x month grid; months outside first..last are None."""
        grid = []
        for year in range(self.first.year, self.last.year + 1):
            months = [date(year, m, 1) for m in range(1, 13)]
            grid.append((year, [(m, self.cells.get(m)) for m in months]))
        return grid


def _months(first: date, last: date) -> list[date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def coverage(source: str = "police_uk", force: str | None = None) -> list[ForceCoverage]:
    """One entry per force and file kind, from the first to the last month held for that kind
    across all forces, so a force that stopped supplying data shows its missing months."""
    runs = ImportRun.objects.filter(source=source, month__isnull=False)
    if force:
        runs = runs.filter(force=force)
    states: dict[tuple[str, str], dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
    span: dict[str, list[date]] = defaultdict(list)
    for run_force, kind, month, status in runs.values_list("force", "kind", "month", "status"):
        assert month is not None
        states[(run_force, kind)][month].add(status)
        span[kind].append(month)
    result = []
    for (run_force, kind), by_month in sorted(states.items()):
        first, last = min(span[kind]), max(span[kind])
        entry = ForceCoverage(run_force, kind, first, last)
        for month in _months(first, last):
            statuses = by_month.get(month, set())
            if ImportRun.Status.CURRENT not in statuses:
                entry.cells[month] = MISSING
            else:
                entry.cells[month] = REVISED if ImportRun.Status.SUPERSEDED in statuses else HELD
        result.append(entry)
    return result
