"""Residents per area, for rates per 1,000: a CSV of area_code,population,year,source.

One file replaces the populations it lists in one transaction; a bad row is an error naming the
file, row and column, and nothing is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Area

COLUMNS = ("area_code", "population", "year", "source")
MAX_BYTES = 5_000_000


class PopulationFileError(ValueError):
    """A population file that cannot be loaded, with every problem found."""


@dataclass(frozen=True)
class PopulationRow:
    area_code: str
    population: int
    year: int
    source: str


def parse_population_file(path: Path) -> list[PopulationRow]:
    if path.stat().st_size > MAX_BYTES:
        raise PopulationFileError(f"{path.name}: over {MAX_BYTES:,} bytes; not a population file")
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PopulationFileError(f"{path.name}: missing column(s) {', '.join(missing)}")
    rows, errors = [], []
    for number, row in enumerate(reader, start=2):
        people, year = row["population"].replace(",", "").strip(), row["year"].strip()
        if not people.isdigit() or int(people) == 0:
            errors.append(
                f"{path.name}, row {number}, column population: {people!r} is not a count"
            )
            continue
        if not (year.isdigit() and 1900 <= int(year) <= 2100):
            errors.append(f"{path.name}, row {number}, column year: {year!r} is not a year")
            continue
        if not row["source"].strip():
            errors.append(f"{path.name}, row {number}, column source: the source must be named")
            continue
        rows.append(PopulationRow(row["area_code"].strip(), int(people), int(year), row["source"]))
    if errors:
        raise PopulationFileError("\n".join(errors))
    return rows


@transaction.atomic
def load_population(path: Path, *, keep_newer: bool = False) -> int:
    """Set the population of every area the file lists; returns how many areas were updated.

    ``keep_newer`` (used for the bundled file on every ``load_geography``) leaves alone an area
    whose population is for a later year, so a newer file loaded by hand is never undone.
    """
    rows = parse_population_file(path)
    areas = {a.code: a for a in Area.objects.filter(code__in=[r.area_code for r in rows])}
    unknown = [r.area_code for r in rows if r.area_code not in areas]
    if unknown:
        raise PopulationFileError(f"{path.name}: no area with code {', '.join(unknown)}")
    updated = 0
    for row in rows:
        held = areas[row.area_code].population_year
        if keep_newer and held is not None and held > row.year:
            continue
        updated += 1
        Area.objects.filter(code=row.area_code).update(
            population=row.population, population_year=row.year, population_source=row.source
        )
    return updated
