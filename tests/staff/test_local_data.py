"""Local data through the one import lifecycle: the issue's "done when" on the command line,
and every bad-file case refused naming sheet, row and column, with nothing staged."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from policeplan.metrics.models import Observation
from policeplan.provenance.models import ImportRun
from policeplan.staff.models import Submission
from policeplan.staff.roles import Role
from tests.staff.conftest import sign_in

pytestmark = pytest.mark.django_db

API = "/api/v1/observations?metric=victim-code-compliance"
HEADER = "metric,area,period_end,value"
FORCE = "E23000021"  # Leicestershire police force area


def _counts() -> tuple[int, int, int]:
    staged = Observation.objects.filter(submission__isnull=False).count()
    return Submission.objects.count(), staged, ImportRun.objects.filter(source="local").count()


@pytest.fixture
def people(make_user: Callable[..., Any]) -> None:
    make_user(Role.ANALYST, username="ana")
    make_user(Role.APPROVER, username="apollo")


def _import(path: Path, user: str = "ana") -> str:
    out = StringIO()
    call_command("import_local_data", str(path), "--user", user, stdout=out, stderr=StringIO())
    return out.getvalue()


def _refused(path: Path, *messages: str, user: str = "ana") -> str:
    before = _counts()
    with pytest.raises(CommandError) as caught:
        err = StringIO()
        call_command("import_local_data", str(path), "--user", user, stdout=StringIO(), stderr=err)
    text = err.getvalue() + str(caught.value)
    for message in messages:
        assert message in text, text
    assert _counts() == before  # nothing staged: no submission, figure or import run
    return text


def test_done_when_a_csv_becomes_a_draft_then_public_once_approved(tmp_path: Path, people) -> None:
    path = tmp_path / "vcop.csv"
    path.write_text(f"{HEADER}\nvictim-code-compliance,{FORCE},2026-03,87.5\n"
                    "victim-code-compliance,leicestershire,2025-12,85\n")  # fmt: skip
    output = _import(path)
    assert output.startswith("Submission ") and output.strip().split()[1].isdigit()
    submission = Submission.objects.get(pk=int(output.split()[1]))
    run = submission.import_run
    assert run is not None and submission.status == "draft" and run.status == "staged"
    assert run.run_by == "ana" and run.source_path == "vcop.csv" and len(run.sha256) == 64
    assert Client().get(API).json()["results"] == []
    from policeplan.staff import workflow

    workflow.submit(submission, submission.created_by)
    call_command("review_submission", str(submission.pk), "--approve", "--user", "apollo",
                 stdout=StringIO())  # fmt: skip
    values = sorted((r["period_end"], r["value"]) for r in Client().get(API).json()["results"])
    assert values == [("2025-12", 85.0), ("2026-03", 87.5)]
    run.refresh_from_db()
    assert run.status == "current"
    figure = submission.observations.get(period_end__month=3)
    assert figure.import_run_id == submission.import_run_id  # every value's provenance


def test_the_analyst_cannot_approve_their_upload(tmp_path: Path, people) -> None:
    path = tmp_path / "vcop.csv"
    path.write_text(f"{HEADER}\nvictim-code-compliance,{FORCE},2026-03,87.5\n")
    submission = Submission.objects.get(pk=int(_import(path).split()[1]))
    from policeplan.staff import workflow

    workflow.submit(submission, submission.created_by)
    with pytest.raises(CommandError, match="ana may not approve"):
        call_command("review_submission", str(submission.pk), "--approve", "--user", "ana")


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        (["victim-code-compliance,E23000021,2026-03,187.5"],
         ["row 2, column value: 187.5 is not a percentage between 0 and 100"]),
        (["victim-code-complience,E23000021,2026-03,87.5"],
         ["row 2, column metric: unknown metric 'victim-code-complience'",
          "Did you mean 'victim-code-compliance'?"]),
        (["victim-code-compliance,E23000001,2026-03,87.5"],
         ["row 2, column area: 'E23000001' is not an area of this force"]),
        (["victim-code-compliance,E23000021,2026-05,87.5"],
         ["row 2, column period_end: 2026-05 does not end a quarter"]),
        (["rural-crime,E23000021,2026-03,-4"], ["row 2, column value: -4 is not a count"]),
        (["rural-crime,E23000021,2026-03,3.5"], ["row 2, column value: 3.5 is not a count"]),
        (["rural-crime,E23000021,2026-03,lots"], ["row 2, column value: 'lots' is not a number"]),
        (["rural-crime,E23000021,2026-03,12", "rural-crime,E23000021,2026-03,13"],
         ["row 3: duplicates row 2"]),
        (["rural-crime,E23000021,2099-03,12"],
         ["row 2, column period_end: 2099-03 is in the future"]),
        (["rural-crime,E23000021,2026-03,12", "victim-code-compliance,E23000021,2026-03,187.5",
          "nope,E23000021,2026-03,1"],
         ["row 3, column value: 187.5", "row 4, column metric: unknown metric 'nope'"]),
    ],
)  # fmt: skip
def test_bad_csv_rows_are_refused_by_row_and_column(
    tmp_path: Path, people, rows: list[str], messages: list[str]
) -> None:
    path = tmp_path / "figures.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    _refused(path, *messages)


def _workbook(path: Path, rows: list[list[object]], hidden: bool = False) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    if hidden:
        workbook.create_sheet("Old figures").sheet_state = "hidden"
    workbook.save(path)
    return path


def test_xlsx_formulas_hidden_sheets_and_macros_are_refused(tmp_path: Path, people) -> None:
    formula = _workbook(tmp_path / "f.xlsx", [["rural-crime", FORCE, "2026-03", "=2*6"]])
    _refused(formula, "sheet 'Data', row 2, column value: formulas are refused (=2*6)")
    hidden = _workbook(tmp_path / "h.xlsx", [["rural-crime", FORCE, "2026-03", 12]], hidden=True)
    _refused(hidden, "sheet 'Old figures': hidden sheets are refused")
    macro = tmp_path / "m.xlsm"
    macro.write_bytes((tmp_path / "h.xlsx").read_bytes())
    _refused(macro, "files with macros (.xlsm) are refused")
    smuggled = tmp_path / "s.xlsx"
    buffer = io.BytesIO((tmp_path / "f.xlsx").read_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"not really vba")
    smuggled.write_bytes(buffer.getvalue())
    _refused(smuggled, "files with macros (.xlsm) are refused")


def test_a_good_xlsx_imports(tmp_path: Path, people) -> None:
    path = _workbook(tmp_path / "good.xlsx", [["rural-crime", FORCE, "2026-03", 12]])
    assert _import(path).startswith("Submission ")


def test_an_oversized_file_and_a_user_without_the_analyst_role_are_refused(
    tmp_path: Path, people, make_user: Callable[..., Any]
) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(HEADER.encode() + b"\n" + b"x" * (5 * 1024 * 1024 + 1))
    _refused(big, "is over the 5,242,880 limit")
    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\nrural-crime,{FORCE},2026-03,12\n")
    make_user(Role.PANEL_MEMBER, username="pat")
    _refused(good, "pat may not enter data: it needs the analyst role", user="pat")


def test_a_revision_shows_old_and_new_and_both_are_kept(tmp_path: Path, people) -> None:
    from policeplan.staff import workflow

    first = tmp_path / "q1.csv"
    first.write_text(f"{HEADER}\nvictim-code-compliance,{FORCE},2026-03,80\n")
    one = Submission.objects.get(pk=int(_import(first).split()[1]))
    workflow.submit(one, one.created_by)
    call_command(
        "review_submission", str(one.pk), "--approve", "--user", "apollo", stdout=StringIO()
    )
    second = tmp_path / "q1-revised.csv"
    second.write_text(f"{HEADER}\nvictim-code-compliance,{FORCE},2026-03,82.5\n")
    two = Submission.objects.get(pk=int(_import(second).split()[1]))
    [row] = workflow.preview(two)
    assert (row.old, row.new, row.change) == (80.0, 82.5, "Revised")
    client = sign_in(Client(), two.created_by)
    page = client.get(f"/staff/submissions/{two.pk}/").content.decode()
    assert "80.0 → 82.5" in page
    workflow.submit(two, two.created_by)
    call_command(
        "review_submission", str(two.pk), "--approve", "--user", "apollo", stdout=StringIO()
    )
    assert [r["value"] for r in Client().get(API).json()["results"]] == [82.5]
    assert Observation.objects.filter(metric__slug="victim-code-compliance").count() == 2


def test_upload_page_lists_every_problem_and_stages_nothing(make_user: Callable[..., Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = sign_in(Client(), make_user(Role.ANALYST))
    before = _counts()
    bad = SimpleUploadedFile("bad.csv", f"{HEADER}\nvictim-code-compliance,{FORCE},2026-03,187.5\n"
                             "nope,x,2026-13,a\n".encode())  # fmt: skip
    response = client.post("/staff/local-data/upload/", {"file": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "problems: nothing was staged" in page and "govuk-error-summary" in page
    assert "row 2, column value: 187.5 is not a percentage between 0 and 100" in page
    assert "row 3, column metric: unknown metric" in page and "row 3, column area" in page
    assert _counts() == before
    good = SimpleUploadedFile(
        "good.csv", f"{HEADER}\nvictim-code-compliance,{FORCE},2026-03,87.5\n".encode()
    )
    response = client.post("/staff/local-data/upload/", {"file": good})
    assert response.status_code == 302 and response["Location"].startswith("/staff/submissions/")
    detail = client.get(response["Location"]).content.decode()
    assert "87.5" in detail and "New" in detail


def test_single_value_form_uses_the_same_checks(make_user: Callable[..., Any]) -> None:
    client = sign_in(Client(), make_user(Role.ANALYST))
    data = {"metric": "victim-code-compliance", "area": FORCE, "period_end": "2026-03",
            "value": "187.5"}  # fmt: skip
    refused = client.post("/staff/local-data/single/", data)
    assert refused.status_code == 400
    assert "column value: 187.5 is not a percentage between 0 and 100" in refused.content.decode()
    accepted = client.post("/staff/local-data/single/", {**data, "value": "87.5"})
    assert accepted.status_code == 302
    submission = Submission.objects.get(pk=int(accepted["Location"].rstrip("/").split("/")[-1]))
    assert submission.source == "form" and submission.import_run is not None


def test_templates_come_from_the_catalogue_and_import_once_filled(
    tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    client = sign_in(Client(), make_user(Role.ANALYST, username="ana2"))
    csv_text = client.get("/staff/local-data/template.csv?metric=victim-code-compliance").content
    lines = csv_text.decode().splitlines()
    assert (
        lines[0]
        == "metric,area,period_end,value,numerator,denominator,note,metric_name,unit,frequency"
    )
    assert lines[1].startswith(f"victim-code-compliance,{FORCE},")
    workbook = client.get("/staff/local-data/template.xlsx")
    assert workbook.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(workbook.content)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Data", "Guide"]
    slugs = [row[0].value for row in book["Data"].iter_rows(min_row=2)]
    assert "victim-code-compliance" in slugs and "ksi-casualties" in slugs and len(slugs) == 28
    for row in book["Data"].iter_rows(min_row=2):
        if row[0].value == "victim-code-compliance":
            row[3].value = 90
    book.save(path)
    out = StringIO()
    call_command("import_local_data", str(path), "--user", "ana2", stdout=out)
    submission = Submission.objects.get(pk=int(out.getvalue().split()[1]))
    assert [o.value for o in submission.observations.all()] == [90.0]
