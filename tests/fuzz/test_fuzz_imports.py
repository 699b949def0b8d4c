"""Property, through the import lifecycle and the database: every mutated real file ends in a
refused import that names the file and wrote nothing, or in an import whose rows are exactly
what an independent reading of the file finds; never an escaping exception, never a partial
write. Each example runs in a savepoint that is rolled back, so the next starts from the same
held data (the session's real imports)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import given

from policeplan.ingest.police_uk import discover, import_file
from policeplan.metrics.models import Observation
from policeplan.official.importer import import_workbook
from policeplan.official.models import OfficialObservation
from policeplan.provenance.content import ImportInput
from policeplan.provenance.models import ImportRun
from policeplan.records.models import StreetRecord
from policeplan.sources.local_template import TemplateRefused, parse_local_file, template_csv
from policeplan.sources.police_uk import ZipArchiveError
from policeplan.staff.local_data import allowed_now, import_local_data, template_for
from policeplan.staff.models import Submission
from policeplan.staff.roles import Role
from tests.fuzz.conftest import fuzz
from tests.fuzz.mutations import (
    Mutated,
    byte_mutation,
    csv_mutation,
    encoding_mutation,
    mutated,
    wrapping,
)
from tests.fuzz.test_fuzz_parsers import (
    ONS_FILE,
    ONS_INPUTS,
    STREET_INPUTS,
    classified,
    police_uk_file,
)
from tests.staff.conftest import make_user  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


class _RolledBack(Exception):
    pass


def rolled_back(work: Callable[[], str]) -> str:
    """Run ``work`` in a savepoint that is always rolled back; return its outcome."""
    try:
        with transaction.atomic():
            raise _RolledBack(work())
    except _RolledBack as done:
        return str(done.args[0])


def state() -> tuple[int, ...]:
    return (
        ImportRun.objects.count(),
        ImportRun.objects.filter(status="current").count(),
        StreetRecord.objects.count(),
        OfficialObservation.objects.count(),
        Observation.objects.count(),
        Submission.objects.count(),
    )


def _inputs(item: Mutated, folder: Path) -> list[ImportInput]:
    path = folder / (item.name + (".zip" if item.data[:2] == b"PK" else ""))
    path.write_bytes(item.data)
    return list(discover([path]))


def police_uk_import(item: Mutated) -> str:
    with tempfile.TemporaryDirectory() as folder:
        try:
            inputs = _inputs(item, Path(folder))
        except ZipArchiveError as exc:
            assert exc.problems
            return "clear error"
        outcomes = set()
        for one in inputs:
            before = state()
            # allow_shrink: a 40-row seed replaces the held month (8,448 rows) in full, so the
            # revision path is what is fuzzed; the shrink guard has its own tests.
            result = import_file(one, "fuzz", allow_shrink=True)
            if result.status == "failed":
                assert result.problems and state() == before, "a refused file wrote nothing"
                base = one.name.replace("\\", "/").rsplit("/", 1)[-1]
                assert all(base in problem for problem in result.problems), result.problems
                outcomes.add("clear error")
                continue
            # Accepted: the run holds exactly the rows an independent reading finds.
            assert police_uk_file(one.name, one.read()) == "correct import"
            assert result.run_id is not None
            run = ImportRun.objects.get(pk=result.run_id)
            held = StreetRecord.objects.filter(import_run=run).count()
            if result.status == "unchanged":  # the same content as held: nothing written
                assert state() == before and held == run.rows_written
            else:
                assert held == run.rows_written == result.rows_written
            outcomes.add("correct import")
        return "clear error" if "clear error" in outcomes else "correct import"


@fuzz
@given(STREET_INPUTS)
def test_fuzz_import_police_uk(item: Mutated) -> None:
    classified(
        "police.uk import (database)", lambda i: rolled_back(lambda: police_uk_import(i)), item
    )


def ons_import(item: Mutated) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / item.name
        path.write_bytes(item.data)
        before = state()
        result = import_workbook(path, "fuzz", allow_shrink=True)
        if result.status == "failed":
            assert result.problems and state() == before, "a refused workbook wrote nothing"
            assert all(item.name in problem for problem in result.problems), result.problems
            return "clear error"
        assert result.run_id is not None
        run = ImportRun.objects.get(pk=result.run_id)
        held = OfficialObservation.objects.filter(import_run=run).count()
        if result.status == "unchanged":  # the same content as held: nothing written
            assert state() == before and held == run.rows_written
        else:
            assert held == result.rows_written == result.rows_read
        return "correct import"


@fuzz
@given(ONS_INPUTS)
def test_fuzz_import_ons_pfa(item: Mutated) -> None:
    classified("ONS import (database)", lambda i: rolled_back(lambda: ons_import(i)), item)


def test_the_ons_seed_imports_unchanged() -> None:
    assert rolled_back(lambda: ons_import(Mutated(ONS_FILE.name, ONS_FILE.read_bytes()))) == (
        "correct import"
    )


def local_seed() -> Mutated:
    """The app's own template for this deployment (template_for), every figure filled in."""
    rows = template_for()
    assert rows
    by_unit = {"count": "14", "yes-no": "1"}
    for row in rows:
        row[3] = by_unit.get(row[8], "87.5")  # the unit column the template fills in
    return Mutated("figures.csv", template_csv(rows))


def local_import(item: Mutated, user: Any) -> str:
    before = state()
    result = import_local_data(item.name, item.data, user)
    if result.problems:
        assert state() == before, "a refused upload staged nothing"
        return "clear error"
    try:
        expected = parse_local_file(item.name, item.data, allowed_now())
    except TemplateRefused as exc:  # pragma: no cover - the import accepted it
        raise AssertionError(f"the import accepted what the parser refuses: {exc}") from exc
    submission = result.submission
    assert submission is not None and submission.import_run is not None
    staged = Observation.objects.filter(import_run=submission.import_run)
    if not result.unchanged:
        assert staged.count() == len(expected)
    return "correct import"


@pytest.fixture
def analyst(make_user: Callable[..., Any]) -> Any:  # noqa: F811
    return make_user(Role.ANALYST, username="fuzz-analyst")


def test_fuzz_import_local_data(analyst: Any) -> None:
    seed = local_seed()
    assert rolled_back(lambda: local_import(seed, analyst)) == "correct import"

    @fuzz
    @given(mutated(seed, csv_mutation, byte_mutation, encoding_mutation, wrapping))
    def run(item: Mutated) -> None:
        classified(
            "local data import (database)",
            lambda i: rolled_back(lambda: local_import(i, analyst)),
            item,
        )

    run()
