"""ONS Police Force Area tables import: the eight real editions, provenance, idempotency,
replacement by a corrected edition and refused workbooks (synthetic copies made here)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from policeplan.geography.models import Area, AreaKind
from policeplan.official import queries
from policeplan.official.models import OfficialObservation, OfficialTable
from policeplan.provenance.models import ImportRun

from .conftest import DEC_2019, LEICESTERSHIRE, ONS_DIR, PUBLISHED_TOTALS, TOTAL

pytestmark = pytest.mark.django_db
ONE_PLACE = Decimal("0.1")


def _ons_runs() -> list[ImportRun]:
    return list(ImportRun.objects.filter(source="ons_pfa", kind="pfa-tables"))


def _state() -> tuple[int, int, int, int]:
    return (
        ImportRun.objects.count(),
        OfficialObservation.objects.count(),
        OfficialTable.objects.count(),
        Area.objects.count(),
    )


def _held(code: str, period_end: date, measure: str = TOTAL, table: str = "P1") -> Decimal:
    observation = queries.current_observations().get(
        area__code=code, table=table, measure=measure, unit="count", period_end=period_end
    )
    assert observation.value is not None
    return observation.value


def _dec_2019_total_from_openpyxl() -> tuple[int, str]:
    """Leicestershire's total recorded crime excl. fraud, read from the workbook with openpyxl
    (independent of the importer and its parser), and the cell it is in."""
    workbook = openpyxl.load_workbook(ONS_DIR / DEC_2019, read_only=True, data_only=True)
    sheet = next(workbook[name] for name in workbook.sheetnames if name.strip() == "Table P1")
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if str(row[0]).strip() == "Area Code")
    column = next(
        c
        for row in rows[:header]
        for c, value in enumerate(row)
        if isinstance(value, str) and value.startswith("Total recorded crime (excluding fraud")
    )
    row_index = next(i for i, row in enumerate(rows) if row[0] == LEICESTERSHIRE)
    value = rows[row_index][column]
    assert isinstance(value, int | float)
    return int(value), f"{chr(ord('A') + column)}{row_index + 1}"


def test_all_eight_editions_are_held_with_provenance(ons_editions: list[Path]) -> None:
    runs = [run for run in _ons_runs() if run.status == "current"]
    assert len(runs) == 8
    assert sorted(str(run.month) for run in runs) == [
        "2018-03-01", "2018-06-01", "2018-09-01", "2018-12-01",
        "2019-03-01", "2019-06-01", "2019-09-01", "2019-12-01",
    ]  # fmt: skip
    dec = next(run for run in runs if run.month == date(2019, 12, 1))
    data = (ONS_DIR / DEC_2019).read_bytes()
    assert dec.period_label == "year ending Dec 2019"
    assert dec.sha256 == dec.content_sha256 == hashlib.sha256(data).hexdigest()
    assert dec.size_bytes == len(data)
    assert dec.source_path.endswith(DEC_2019)
    assert dec.run_by and dec.finished_at >= dec.started_at
    assert dec.force == ""
    for run in runs:
        held = OfficialObservation.objects.filter(import_run=run)
        assert run.rows_read == run.rows_written == held.count() > 4800
    observation = OfficialObservation.objects.get(
        import_run=dec, area__code=LEICESTERSHIRE, table="P1", measure=TOTAL, unit="count"
    )
    assert (observation.period_start, observation.period_end) == (
        date(2019, 1, 1),
        date(2019, 12, 31),
    )
    assert (observation.sheet, observation.marker) == ("Table P1", "")
    assert OfficialTable.objects.get(import_run=dec, table="P1").coverage == (
        "England and Wales (excluding Greater Manchester Police)"
    )


@pytest.mark.parametrize("file_name", sorted(PUBLISHED_TOTALS))
def test_leicestershire_total_matches_the_published_figure(
    ons_editions: list[Path], file_name: str
) -> None:
    period, published = PUBLISHED_TOTALS[file_name]
    end = date.fromisoformat(period + "-01")
    run = ImportRun.objects.get(source="ons_pfa", status="current", month=end)
    assert run.source_path.endswith(file_name)
    period_end = OfficialObservation.objects.filter(import_run=run).values_list(
        "period_end", flat=True
    )[0]
    assert _held(LEICESTERSHIRE, period_end) == published


def test_leicestershire_dec_2019_total_matches_the_workbook_cell(ons_editions: list[Path]) -> None:
    expected, cell = _dec_2019_total_from_openpyxl()
    assert expected > 80_000
    assert _held(LEICESTERSHIRE, date(2019, 12, 31)) == expected
    held = queries.current_observations().get(
        area__code=LEICESTERSHIRE, table="P1", measure=TOTAL, period_end=date(2019, 12, 31)
    )
    assert held.cell == cell


def test_rates_from_counts_and_population_match_published_rates(ons_editions: list[Path]) -> None:
    """For every edition and every offence group, count / P3 population * 1,000 rounds to the
    rate ONS prints in Table P3 (one decimal place) for Leicestershire."""
    leicestershire = Area.objects.get(kind=AreaKind.FORCE, code=LEICESTERSHIRE)
    checked = 0
    for edition in queries.editions():
        period_end = edition.period_end.last_day
        population = queries.population(leicestershire, period_end)
        assert population is not None and 1_000_000 < population < 1_200_000
        published = {
            o.measure: o.value
            for o in queries.current_observations().filter(
                area=leicestershire, table="P3", unit="rate_per_1000", period_end=period_end
            )
        }
        counts = queries.current_observations().filter(
            area=leicestershire, table="P1", unit="count", period_end=period_end
        )
        for count in counts:
            rate = queries.rate_per_1000(count.value, population)
            expected = published[count.measure]
            assert rate is not None and expected is not None
            ours = Decimal(repr(rate)).quantize(ONE_PLACE, ROUND_HALF_UP)
            assert ours == expected.quantize(ONE_PLACE, ROUND_HALF_UP), (edition, count.measure)
            checked += 1
    assert checked == 8 * 23


def test_population_accepts_any_day_of_the_end_month(ons_editions: list[Path]) -> None:
    leicestershire = Area.objects.get(kind=AreaKind.FORCE, code=LEICESTERSHIRE)
    assert queries.population(leicestershire, date(2019, 12, 1)) == 1_093_200
    assert queries.population(leicestershire, date(2019, 12, 31)) == 1_093_200
    assert queries.population(leicestershire, date(2017, 12, 31)) is None
    assert queries.rate_per_1000(None, 1000) is None
    assert queries.rate_per_1000(5, 0) is None


def test_regional_national_and_other_rows_become_areas(ons_editions: list[Path]) -> None:
    east_midlands = Area.objects.get(code="E12000004")
    assert east_midlands.kind == AreaKind.REGION
    assert _held("E12000004", date(2019, 12, 31)) > 300_000
    assert Area.objects.get(code="K04000001").kind == AreaKind.COUNTRY
    btp = Area.objects.get(kind=AreaKind.OTHER, name="British Transport Police")
    assert btp.code == "british-transport-police"
    assert queries.current_observations().filter(area=btp, table="P1").exists()
    # Forces are the ones load_geography made, matched by ONS code, not new copies.
    assert Area.objects.filter(code=LEICESTERSHIRE).count() == 1


def test_suppressed_cells_keep_their_marker_and_no_value(ons_editions: list[Path]) -> None:
    gmp = queries.current_observations().get(
        area__code="E23000005", table="P1", measure=TOTAL, period_end=date(2019, 12, 31)
    )
    assert (gmp.value, gmp.marker) == (None, "..")


def test_reimporting_the_same_workbooks_is_a_reported_no_op(ons_editions: list[Path]) -> None:
    before = _state()
    last_id = OfficialObservation.objects.order_by("-id").values_list("id", flat=True)[0]
    out = StringIO()
    call_command("import_ons_pfa", str(ONS_DIR), stdout=out)
    assert "0 imported, 0 replaced, 8 unchanged, 0 failed" in out.getvalue()
    assert _state() == before
    assert OfficialObservation.objects.order_by("-id").values_list("id", flat=True)[0] == last_id


def test_a_corrected_workbook_replaces_the_edition_and_supersedes_the_old_run(
    ons_editions: list[Path], edited_workbook: Callable[..., Path]
) -> None:
    _, cell = _dec_2019_total_from_openpyxl()
    corrected = edited_workbook(
        DEC_2019, {("Table P1", cell): 91_300}, out="pfadec19corrected.xlsx"
    )
    old = ImportRun.objects.get(source="ons_pfa", status="current", month=date(2019, 12, 1))
    held_before = OfficialObservation.objects.filter(import_run=old).count()
    out = StringIO()
    call_command("import_ons_pfa", str(corrected), stdout=out)
    assert "0 imported, 1 replaced" in out.getvalue()
    assert "91242 -> 91300" in out.getvalue()
    new = ImportRun.objects.get(source="ons_pfa", status="current", month=date(2019, 12, 1))
    old.refresh_from_db()
    assert old.status == "superseded" and new.supersedes == old
    assert new.source_path.endswith("pfadec19corrected.xlsx")
    assert new.changes["cells_changed"] == 1
    assert new.changes["examples"][0]["cell"] == cell
    assert _held(LEICESTERSHIRE, date(2019, 12, 31)) == 91_300
    assert OfficialObservation.objects.filter(import_run=old).count() == 0
    assert OfficialObservation.objects.filter(import_run=new).count() == held_before
    # Only one edition per period is current; the other seven are untouched.
    assert ImportRun.objects.filter(source="ons_pfa", status="current").count() == 8
    # The original again is a further revision, not a no-op: it is not the current one.
    call_command("import_ons_pfa", str(ONS_DIR / DEC_2019), verbosity=0)
    assert _held(LEICESTERSHIRE, date(2019, 12, 31)) == 91_242


def test_a_workbook_without_an_area_code_row_is_refused_naming_sheet_row_and_column(
    ons_editions: list[Path], edited_workbook: Callable[..., Path]
) -> None:
    bad = edited_workbook(DEC_2019, {("Table P1", "A5"): "Code"}, out="bad-dec19.xlsx")
    before = _state()
    with pytest.raises(CommandError) as caught:
        call_command("import_ons_pfa", str(bad), verbosity=0)
    message = str(caught.value)
    assert "nothing from them was written" in message
    assert "bad-dec19.xlsx, sheet 'Table P1', row 5, column A" in message
    assert "'Area Code'" in message
    assert _state() == before
    assert _held(LEICESTERSHIRE, date(2019, 12, 31)) == 91_242


def test_an_unknown_force_code_is_refused_naming_the_cell(
    ons_editions: list[Path], edited_workbook: Callable[..., Path]
) -> None:
    bad = edited_workbook(DEC_2019, {("Table P1", "A26"): "E23000099"}, out="unknown-force.xlsx")
    before = _state()
    with pytest.raises(CommandError) as caught:
        call_command("import_ons_pfa", str(bad), verbosity=0)
    assert "unknown-force.xlsx, sheet 'Table P1', cell C26" in str(caught.value)
    assert "E23000099" in str(caught.value)
    assert "load_geography" in str(caught.value)
    assert _state() == before


def test_a_missing_file_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="no-such.xlsx: no such file or folder"):
        call_command("import_ons_pfa", "no-such.xlsx", verbosity=0)
