"""The lifecycle's guards (ADR 0013) with the SYNTHETIC register source (see conftest):
column limits from the models, database errors as the file's error, the shrink guard and the
per-slot lock. Every importer gets these through ``run_import``."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from django.db import connection
from django.test import override_settings

from policeplan.official.models import OfficialObservation, OfficialTable
from policeplan.provenance.errors import ImportFailed
from policeplan.provenance.guards import LOCK_NAMESPACE, slot_key
from policeplan.provenance.lifecycle import run_import
from policeplan.provenance.limits import RowLimits, check_instance, limits_of
from policeplan.provenance.models import ImportRun, Slot
from policeplan.records.models import StreetRecord

from .conftest import RegisterLines, register_file

pytestmark = pytest.mark.django_db
SLOT = Slot("synthetic_register", "a", "", None)
TEN = "slot:a\n" + "".join(f"P{i},title {i}\n" for i in range(10))


def test_limits_come_from_the_model_fields() -> None:
    street = limits_of(StreetRecord)
    assert (street["crime_id"].max_length, street["lsoa_code"].max_length) == (64, 12)
    assert street["crime_type"].max_length == 60 and not street["crime_type"].null
    assert street["row_number"].integer_range == (0, 2147483647)
    value = limits_of(OfficialObservation)["value"]
    assert (value.integer_digits, value.decimal_places) == (12, 12)


def test_check_instance_names_file_cell_and_column() -> None:
    figure = OfficialObservation(
        import_run_id=1, area_id=1, period_start=date(2019, 1, 1), period_end=date(2019, 12, 31),
        table="P1", measure="x" * 201, unit="count", value=Decimal("1e30"), sheet="s", cell="C9",
    )  # fmt: skip
    with pytest.raises(ImportFailed) as refused:
        check_instance("t.xlsx", "t.xlsx, sheet 's', cell C9", figure)
    assert refused.value.problems == [
        "t.xlsx, sheet 's', cell C9, column measure: 201 characters is over the column's limit "
        "of 200 ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')",
        "t.xlsx, sheet 's', cell C9, column value: 1E+30 is too large: the column holds at "
        "most 12 digits before the decimal point",
    ]


def test_an_over_long_value_is_refused_before_the_database_sees_it(
    register: RegisterLines,
) -> None:
    """Row 3 for any source: the lifecycle checks every INSERT of the write against the
    table's limits (SQLite would store 501 characters; PostgreSQL would raise DataError)."""
    long = "y" * 501
    outcome = run_import(register, register_file(f"slot:a\nP1,ok\nP2,{long}\n"), run_by="t")
    assert outcome.status == "failed"
    assert outcome.problems == [
        "register.csv, row 2 written to official_officialtable, column title: 501 characters "
        "is over the column's limit of 500 ('yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...')"
    ]
    assert not ImportRun.objects.for_slot(SLOT).exists()
    assert not OfficialTable.objects.filter(title="ok").exists()


def test_a_database_error_is_the_files_error_and_the_next_file_imports(
    register: RegisterLines,
) -> None:
    """Row 3 (and 7's DataError side): whatever the database refuses mid-import, here a
    duplicate key, comes back as that file's failure, and the next file still imports."""
    outcome = run_import(register, register_file("slot:a\nP1,one\nP1,again\n"), run_by="t")
    assert outcome.status == "failed" and len(outcome.problems) == 1
    assert outcome.problems[0].startswith(
        "register.csv: the database refused the rows as inconsistent ("
    )
    assert outcome.problems[0].endswith(
        "Nothing from this file was written; it can be imported again."
    )
    assert not ImportRun.objects.for_slot(SLOT).exists()
    following = run_import(register, register_file("slot:b\nP1,one\n"), run_by="t")
    assert following.status == "imported" and following.written is not None


def test_a_revision_removing_too_much_is_refused_unless_allowed(register: RegisterLines) -> None:
    """Rows 4 and 5 for any source: 10 rows held, a revision with 1 would remove 90%."""
    held = run_import(register, register_file(TEN), run_by="t").run
    one = "slot:a\nP0,title 0\n"
    refused = run_import(register, register_file(one, name="short.csv"), run_by="t")
    assert refused.status == "failed"
    assert refused.problems == [
        "short.csv: this revision of synthetic_register a register a would remove 9 of the 10 "
        "rows held (90.0%, over the 10% allowed by POLICEPLAN_IMPORT_SHRINK_PERCENT); nothing was "
        "changed. If the source really dropped them, import it again with --allow-shrink."
    ]
    assert ImportRun.objects.current_for(SLOT) == held
    assert OfficialTable.objects.filter(import_run=held).count() == 10
    allowed = run_import(register, register_file(one), run_by="t", allow_shrink=True)
    assert allowed.status == "replaced" and allowed.changes.removed == 9


def test_the_shrink_share_is_a_setting(register: RegisterLines) -> None:
    run_import(register, register_file(TEN), run_by="t")
    eight = "slot:a\n" + "".join(f"P{i},title {i}\n" for i in range(8))
    with override_settings(POLICEPLAN_IMPORT_SHRINK_PERCENT=20):
        assert run_import(register, register_file(eight), run_by="t").status == "replaced"
    with override_settings(POLICEPLAN_IMPORT_SHRINK_PERCENT=5):
        shrunk = run_import(register, register_file("slot:a\nP0,title 0\n"), run_by="t")
    assert "would remove 7 of the 8 rows held" in shrunk.problems[0]


def test_a_slot_being_imported_elsewhere_is_waited_for_then_reported(
    register: RegisterLines,
) -> None:
    """Row 8 on PostgreSQL: another session holds the slot's advisory lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's write lock is covered by tests/ingest/test_concurrent_imports.py")
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        dbname=settings["NAME"], autocommit=True,
    )  # fmt: skip
    slot = Slot("synthetic_register", "a", "", None)
    try:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, slot_key(slot)])
        with override_settings(POLICEPLAN_IMPORT_LOCK_WAIT=0.3):
            busy = run_import(register, register_file(TEN), run_by="t")
        assert busy.status == "failed"
        assert busy.problems == [
            "register.csv: synthetic_register a register a is already being imported by another "
            "process (waited 0.3 seconds, POLICEPLAN_IMPORT_LOCK_WAIT); nothing from this file was "
            "written. Run the import again when that one has finished."
        ]
        other.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, slot_key(slot)])
        assert run_import(register, register_file(TEN), run_by="t").status == "imported"
    finally:
        other.close()


def test_row_limits_find_every_kind_of_problem_in_a_row() -> None:
    columns = ["import_run_id", "force", "month", "row_number", "crime_type", "latitude"]
    labels = ["run", "force", "month", "row", "Crime type", "Latitude"]
    limits = RowLimits(StreetRecord, columns, labels, constant=3)
    good = (1, "leicestershire", date(2020, 1, 1), 1, "Burglary", 52.6)
    assert limits.problems(good) == []
    assert limits.problems(
        (1, "leicestershire", date(2020, 1, 1), -1, "Bur\x00glary", math.nan)
    ) == [
        ("row", "-1 is outside the column's range 0 to 2,147,483,647"),
        ("Crime type", "contains a NUL character, which cannot be stored"),
        ("Latitude", "nan is not a finite number"),
    ]
    assert limits.problems((1, "leicestershire", date(2020, 1, 1), 2, None, None)) == [
        ("Crime type", "is empty, but a value is required")
    ]
