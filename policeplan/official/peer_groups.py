"""Peer groups as data: which forces each force is compared with, loaded from a CSV file.

One row per member: ``force,group_name,member,provisional,source`` (police.uk force ids). The
bundled ``data/geography/peer_groups.csv`` holds provisional groups; a Home Office "most similar
group" (MSG) file in the same columns with ``provisional`` false replaces a force's provisional
group. A provisional file never replaces a confirmed group, so re-running the default load
(``make run``) keeps an MSG group that was loaded by hand.

Strict: a file with any problem (unknown force id, a missing column, a force that is its own
peer, rows of one force that disagree) is refused whole, every problem named by file, row and
column, and nothing is written.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from policeplan.geography.models import Area, AreaKind, PeerGroup

COLUMNS = ("force", "group_name", "member", "provisional", "source")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class PeerGroupFileInvalid(Exception):
    """Raised with every problem found; ``problems`` are plain English."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class PeerGroupSpec:
    force: str
    name: str
    provisional: bool
    source: str
    members: list[str] = field(default_factory=list)
    first_row: int = 0


@dataclass(frozen=True)
class PeerGroupOutcome:
    force: str
    name: str
    provisional: bool
    members: int
    result: str  # created, replaced, unchanged, kept (a confirmed group was not replaced)


def read_peer_groups(path: Path, known_forces: set[str]) -> list[PeerGroupSpec]:
    """Read and check a peer-group CSV; raise PeerGroupFileInvalid listing every problem."""
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PeerGroupFileInvalid([f"{path}: could not be read ({exc})"]) from exc
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        found = ", ".join(header or []) or "nothing"
        raise PeerGroupFileInvalid(
            [f"{path}, row 1: expected the columns {', '.join(COLUMNS)}; found {found}"]
        )
    groups: dict[str, PeerGroupSpec] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(COLUMNS):
            problems.append(
                f"{path}, row {number}: expected {len(COLUMNS)} values, found {len(cells)}"
            )
            continue
        row = dict(zip(COLUMNS, (cell.strip() for cell in cells), strict=True))
        problems.extend(_row_problems(path, number, row, known_forces))
        provisional = row["provisional"].lower() in _TRUE
        spec = groups.setdefault(
            row["force"],
            PeerGroupSpec(row["force"], row["group_name"], provisional, row["source"], [], number),
        )
        for column, held, given in (
            ("group_name", spec.name, row["group_name"]),
            ("provisional", spec.provisional, provisional),
            ("source", spec.source, row["source"]),
        ):
            if held != given:
                problems.append(
                    f"{path}, row {number}, column {column}: differs from row {spec.first_row} "
                    f"for the same force {row['force']!r}; one force has one group"
                )
        if row["member"] in spec.members:
            problems.append(
                f"{path}, row {number}, column member: {row['member']!r} is listed twice "
                f"for {row['force']!r}"
            )
        spec.members.append(row["member"])
    if not groups and not problems:
        problems.append(f"{path}: no peer groups found (only a header row)")
    if problems:
        raise PeerGroupFileInvalid(problems)
    return list(groups.values())


def _row_problems(path: Path, number: int, row: dict[str, str], known: set[str]) -> list[str]:
    problems = []
    for column in ("force", "member"):
        if row[column] not in known:
            problems.append(
                f"{path}, row {number}, column {column}: {row[column]!r} is not a known police "
                "force id (use the data.police.uk ids listed in "
                "data/geography/forces.csv)"
            )
    if row["force"] == row["member"] and row["force"]:
        problems.append(
            f"{path}, row {number}, column member: a force is not its own peer ({row['member']!r})"
        )
    if not row["group_name"]:
        problems.append(f"{path}, row {number}, column group_name: the group needs a name")
    if row["provisional"].lower() not in _TRUE | _FALSE:
        problems.append(
            f"{path}, row {number}, column provisional: expected true or false, "
            f"found {row['provisional']!r}"
        )
    return problems


@transaction.atomic
def load_peer_groups(path: Path) -> list[PeerGroupOutcome]:
    """Load a peer-group CSV in one transaction; PeerGroupFileInvalid writes nothing."""
    forces = {area.force: area for area in Area.objects.filter(kind=AreaKind.FORCE)}
    if not forces:
        raise PeerGroupFileInvalid(
            [f"{path}: no police force areas are held; run 'manage.py load_geography' first"]
        )
    return [_apply(spec, forces) for spec in read_peer_groups(path, set(forces))]


def _apply(spec: PeerGroupSpec, forces: dict[str, Area]) -> PeerGroupOutcome:
    force = forces[spec.force]
    existing = list(PeerGroup.objects.filter(force=force).prefetch_related("members"))
    wanted = {forces[m].id for m in spec.members}

    def outcome(result: str) -> PeerGroupOutcome:
        return PeerGroupOutcome(spec.force, spec.name, spec.provisional, len(wanted), result)

    if spec.provisional and any(not group.provisional for group in existing):
        return outcome("kept")
    if (
        len(existing) == 1
        and (existing[0].name, existing[0].provisional, existing[0].source)
        == (spec.name, spec.provisional, spec.source)
        and {m.id for m in existing[0].members.all()} == wanted
    ):
        return outcome("unchanged")
    PeerGroup.objects.filter(force=force).delete()
    group = PeerGroup.objects.create(
        force=force, name=spec.name, provisional=spec.provisional, source=spec.source
    )
    group.members.set([forces[m] for m in spec.members])
    return outcome("replaced" if existing else "created")
