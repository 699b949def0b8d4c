"""A SYNTHETIC source for testing the lifecycle on its own: a "register" file of lines
``table,title`` whose rows it keeps in the ``OfficialTable`` table (a stand-in: any table
whose rows carry their import run would do). The slot is the first line, ``slot:NAME``."""

from __future__ import annotations

import functools
from typing import Any, ClassVar

import pytest

from policeplan.official.models import OfficialTable
from policeplan.provenance.content import ImportInput
from policeplan.provenance.errors import ImportFailed
from policeplan.provenance.lifecycle import ImportSource, Parsed, Written
from policeplan.provenance.models import ImportRun, Slot


class RegisterLines(ImportSource[list[tuple[str, str]]]):
    source = "synthetic_register"
    max_bytes = 1000
    gunzip = True
    stageable: ClassVar[bool] = True

    def __init__(self, *, retire_rows: bool = False) -> None:
        self.retire_rows = retire_rows

    def parse(self, item: ImportInput, content: bytes, slot: Slot | None) -> Parsed[Any]:
        first, *lines = content.decode().splitlines()
        if not first.startswith("slot:"):
            raise ImportFailed(item.name, [f"{item.name}: row 1, column slot: missing"])
        rows = [tuple(line.split(",", 1)) for line in lines]
        name = first.removeprefix("slot:")
        found = Slot(self.source, name, "", None, f"register {name}")
        return Parsed(found, rows, len(rows))

    def write(self, run: ImportRun, parsed: Parsed[Any]) -> Written:
        rows = [
            OfficialTable(import_run=run, table=t, sheet="s", kind="k", title=title)
            for t, title in parsed.rows
        ]
        OfficialTable.objects.bulk_create(rows)
        if any(title == "BAD" for _, title in parsed.rows):
            raise ImportFailed(run.source_path, [f"{run.source_path}: a BAD row"])
        return Written(len(parsed.rows), len(rows))

    def retire(self, previous: ImportRun) -> None:
        if self.retire_rows:
            OfficialTable.objects.filter(import_run=previous).delete()


def register_file(text: str, name: str = "register.csv", **kwargs: Any) -> ImportInput:
    data = text.encode()
    return ImportInput(name, read=functools.partial(bytes, data), **kwargs)


@pytest.fixture
def register() -> RegisterLines:
    return RegisterLines(retire_rows=True)
