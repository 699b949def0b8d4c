"""What a data.police.uk file must say to be accepted here, beyond its format (ADR 0014).

A file can be well formed and still wrong for this deployment: named for one force but holding
another's rows, for a force id nobody publishes, for a month that has not happened, with a
crime type police.uk does not use. :class:`ContentRules` holds what the parser checks each
file and row against; the import passes the rules of this deployment (forces from
``data/police_uk/forces.csv``, the current month). Pure Python, no Django.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from policeplan.sources.police_uk_api_csv import CRIME_TYPES
from policeplan.sources.police_uk_formats import FileIdentity, FileKind

FIRST_MONTH = "2010-12"
"""data.police.uk's first month of street-level data: no file can be for an earlier month."""

KNOWN_CRIME_TYPES: frozenset[str] = frozenset(CRIME_TYPES.values()) | {
    # The name of "Violence and sexual offences" in files before May 2013.
    "Violent crime",
}
"""Every ``Crime type`` data.police.uk has published (its ``/crime-categories`` list)."""

ALLOW_NEW_CRIME_TYPE_HINT = (
    "if data.police.uk has added this category, import again with --allow-new-crime-type"
)

_DECIMAL = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,17})?\Z")
strict_decimal = _DECIMAL.match
"""A coordinate as data.police.uk writes one: ASCII digits, an optional minus sign and
decimal point. ``float()`` would also take ``5_3.1`` (53.1), `` 53.1``, ``1e1``, ``inf`` and
non-ASCII digits."""


@dataclass(frozen=True)
class Force:
    """A data.police.uk force: its id (in file names), its name (in ``Reported by``), any
    other name its files have carried (a force renamed) and whether its rows may fall within
    other forces (British Transport Police's do)."""

    id: str
    name: str
    falls_within_any: bool = False
    also_named: frozenset[str] = frozenset()

    @property
    def names(self) -> frozenset[str]:
        return frozenset({self.name}) | self.also_named


@dataclass(frozen=True)
class ContentRules:
    """The deployment's rules for a file's content. ``latest_month`` is the current month."""

    forces: Mapping[str, Force]
    latest_month: str
    crime_types: frozenset[str] = KNOWN_CRIME_TYPES
    allow_new_crime_type: bool = False
    force_names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        names = frozenset(n for force in self.forces.values() for n in force.names)
        object.__setattr__(self, "force_names", names)

    def file_problems(self, identity: FileIdentity) -> list[str]:
        """What is wrong with a file's name for this deployment (nothing read yet)."""
        problems = []
        if identity.force not in self.forces:
            problems.append(
                f"'{identity.force}' in the file name is not a data.police.uk force id "
                f"(one of the {len(self.forces)} in data/police_uk/forces.csv)"
            )
        if identity.month > self.latest_month:
            problems.append(
                f"the file name's month {identity.month} is after the current month "
                f"{self.latest_month}"
            )
        elif identity.month < FIRST_MONTH:
            problems.append(
                f"the file name's month {identity.month} is before data.police.uk's first "
                f"month, {FIRST_MONTH}"
            )
        return problems

    def reporters(self, identity: FileIdentity) -> frozenset[str] | None:
        """The ``Reported by`` values a row of the file may carry (None: force unknown)."""
        force = self.forces.get(identity.force)
        return force.names if force else None

    def falls_within(self, identity: FileIdentity) -> frozenset[str]:
        """The ``Falls within`` values a row of the file may carry."""
        force = self.forces.get(identity.force)
        if force is None:
            return frozenset()
        return self.force_names if force.falls_within_any else force.names

    def crime_types_for(self, kind: FileKind) -> frozenset[str] | None:
        """The crime types accepted (None: any, when new categories are allowed)."""
        if kind is not FileKind.STREET or self.allow_new_crime_type:
            return None
        return self.crime_types


def load_forces(path: Path) -> dict[str, Force]:
    """The forces of ``forces.csv``: ``police_uk_id,name,falls_within,also_named``
    (``falls_within`` is ``own`` or ``any``; ``also_named`` other names, ``|``-separated)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["police_uk_id"]: Force(
                row["police_uk_id"],
                row["name"],
                row["falls_within"].strip() == "any",
                frozenset(n.strip() for n in (row.get("also_named") or "").split("|") if n.strip()),
            )
            for row in csv.DictReader(handle)
        }
