"""Built again from the same data, a report says the same; revised data show up as what
changed since the last report, and verify_published catches published figures that moved."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from policeplan.reporting.build import BuiltReport
from policeplan.reporting.models import Report
from policeplan.reporting.render import mask_build_time
from tests.conftest import LEICESTERSHIRE_STREET

from .conftest import BUILT_AT

AUGUST = "2025-08-leicestershire-street.csv.gz"


def test_a_second_build_gives_the_same_manifest_and_content(
    build: Callable[..., BuiltReport],
) -> None:
    first = build()
    second = build(now=BUILT_AT + timedelta(hours=3))
    assert first.report.pk != second.report.pk
    assert first.report.manifest == second.report.manifest
    assert first.manifest_path.read_text() == second.manifest_path.read_text()
    assert first.report.figures == second.report.figures
    # Only the build time differs between the two documents.
    assert first.report.document_html != second.report.document_html
    assert mask_build_time(first.report.document_html) == mask_build_time(
        second.report.document_html
    )
    assert first.report.content_sha256 == second.report.content_sha256
    manifest = first.report.manifest
    assert manifest["report"]["period"] == "2025-Q4"
    runs = manifest["import_runs"]
    assert {run["source"] for run in runs} == {"police_uk", "ons_pfa"}
    assert all(len(run["sha256"]) == 64 and "/" not in run["file"] for run in runs)
    assert manifest["submissions"] == [] and manifest["approvals"] == []
    assert manifest["figures"]["count"] == len(first.report.figures["values"]) > 100


def revise_august(tmp_path: Path, drop_burglaries: int) -> Path:
    """The August 2025 file as a revision would bring it: a few burglaries fewer."""
    with gzip.open(LEICESTERSHIRE_STREET / AUGUST, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    crime_type = header.index("Crime type")
    dropped = 0
    kept = []
    for row in body:
        if row[crime_type] == "Burglary" and dropped < drop_burglaries:
            dropped += 1
            continue
        kept.append(row)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header, *kept])
    path = tmp_path / AUGUST
    path.write_bytes(gzip.compress(text.getvalue().encode("utf-8"), mtime=0))
    return path


def test_what_changed_names_revised_figures_with_their_import_revision(
    build: Callable[..., BuiltReport], tmp_path: Path
) -> None:
    september = build("2025-Q3", publish=True)
    before = {f["start"]: f["value"] for f in september.report.figures["values"]
              if f["metric"] == "burglary" and f["measure"] == "count"}  # fmt: skip
    out = io.StringIO()
    call_command("verify_published", stdout=out)
    checked = len(september.report.figures["values"])
    assert f"Checked {checked:,} figures in 1 published report (" in out.getvalue()
    assert "re-read from ONS table cells): every one matches the raw data" in out.getvalue()

    call_command("import_police_uk", str(revise_august(tmp_path, 3)), verbosity=0)
    call_command("compute_metrics", verbosity=0)

    december = build("2025-Q4")
    assert december.report.compared_with_id == september.report.pk
    html = december.report.body_html
    assert "Compared with the report to the Police and Crime Panel for July to September 2025" in (
        html
    )
    old, new = before["2025-08"], before["2025-08"] - 3
    assert (
        f"<td>Number, August 2025</td><td>{old:,.0f}</td><td>{new:,.0f}</td>"
        f"<td>{AUGUST} imported" in html
    )
    assert "replacing run" in html
    # Positive outcomes over the changed months are revised too; the unchanged months are not.
    assert "<td>Number, July 2025</td>" not in html

    # The published September report now states a figure the raw data no longer give.
    with pytest.raises(SystemExit) as exit_code:
        call_command("verify_published", stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert exit_code.value.code == 1
    assert f"burglary Number, August 2025 says {old:,.6g}; the raw data give {new:,.6g}" in (
        out.getvalue()
    )


def test_nothing_to_compare_with_before_the_first_report(
    build: Callable[..., BuiltReport],
) -> None:
    built = build("2025-11..2025-12", "board")
    assert "This is the first report to the Corporate Governance Board" in built.report.body_html
    assert Report.objects.get(pk=built.report.pk).compared_with is None
