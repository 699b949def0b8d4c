"""Reports carry the staff workspace's material: approved commentary and local figures, targets,
and for the Board approved material still under embargo, marked on every page. Read back as a
reader sees it: the HTML, and the text of the PDF (pypdf)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from policeplan.reporting.build import BuiltReport
from policeplan.reporting.gather import ReportDataError
from policeplan.reporting.staff_material import embargo_text
from policeplan.staff import workflow

from .synthetic_staff import (
    EMBARGOED_NOTE,
    PUBLISHED_ACTION,
    PUBLISHED_NOTE,
    SyntheticStaffMaterial,
    uploaded,
)


def pdf_pages(built: BuiltReport) -> list[str]:
    reader = PdfReader(BytesIO(bytes(built.report.pdf)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def section(html: str, slug: str) -> str:
    """The HTML of one metric's section."""
    start = html.index(f'<section class="app-report-metric" id="metric-{slug}"')
    return html[start : html.index("</section>", start)]


def awaiting(html: str) -> str:
    start = html.index('id="awaiting"')
    return html[start : html.index("</section>", start)]


def test_the_panel_report_carries_only_published_staff_material(
    build: Callable[..., BuiltReport], synthetic_staff_material: SyntheticStaffMaterial
) -> None:
    staff = synthetic_staff_material
    built = build("2025-Q4", "panel", now=timezone.now())
    html = built.report.body_html
    victims = section(html, "victim-satisfaction")
    assert '<td class="app-num">73%</td>' in victims  # September 2025, published
    assert "74.5%" not in html  # December 2025 is under embargo
    assert "Jul 2025 to Sep 2025, Leicestershire Police: 73%" in victims  # the latest figure
    assert "Target: 75, from 1 April 2025." in victims
    assert "Not meeting the target" in victims and "The latest figure, 73%, against 75%." in victims
    assert f"approved {timezone.localtime(staff.approved_at):%-d %B %Y}" in html
    burglary = section(html, "burglary")
    assert PUBLISHED_NOTE in burglary and PUBLISHED_ACTION in burglary
    assert "Synthetic Performance Team, on the period to December 2025" in burglary
    assert EMBARGOED_NOTE not in html
    assert "EMBARGOED" not in html and "Embargoed" not in html
    # The officers' figure is embargoed, so for the Panel the metric still awaits data.
    waiting = awaiting(html)
    assert (
        '<th scope="row">Number of Neighbourhood Officers</th>' in waiting
        and "Force Neighbourhood Policing" in waiting
    )
    text = " ".join(pdf_pages(built))
    assert PUBLISHED_NOTE in text and "Embargo" not in text.replace("embargo", "")
    manifest = built.report.manifest
    assert [s["id"] for s in manifest["submissions"]] == sorted(
        [staff.published.pk, staff.burglary_note.pk]
    )
    assert {a["approved_by"] for a in manifest["approvals"]} == {"synthetic-approver"}
    assert not any(a["embargoed_when_built"] for a in manifest["approvals"])
    assert [t["metric"] for t in manifest["targets"]] == ["victim-satisfaction"]
    local_runs = [r for r in manifest["import_runs"] if r["source"] == "local"]
    assert [r["id"] for r in local_runs] == [staff.published.import_run_id]


def test_the_board_report_carries_embargoed_material_marked_on_every_page(
    build: Callable[..., BuiltReport], synthetic_staff_material: SyntheticStaffMaterial
) -> None:
    staff = synthetic_staff_material
    built = build("2025-11..2025-12", "board", now=timezone.now())
    until = embargo_text(staff.embargo)
    notice = f"EMBARGOED until {until}: not for publication before then."
    html = built.report.body_html
    assert re.sub(r"<[^>]+>", "", html).count(notice) == 2  # at the top and at the end
    victims = section(html, "victim-satisfaction")
    assert "Embargoed</strong></h4>" in victims
    assert '<td class="app-num">74.5%</td>' in victims and f"Embargoed until {until}" in victims
    assert EMBARGOED_NOTE in victims
    officers = section(html, "number-of-neighbourhood-officers")
    assert '<td class="app-num">512</td>' in officers
    assert "Number of Neighbourhood Officers" not in awaiting(html)
    pages = pdf_pages(built)
    assert len(pages) > 10
    for number, text in enumerate(pages, start=1):
        assert notice in text, f"page {number} lacks the embargo notice"
        assert text.count("EMBARGOED") >= 2, f"page {number} lacks the footer mark"
    assert {a["submission"] for a in built.report.manifest["approvals"]} == {
        staff.published.pk, staff.embargoed.pk, staff.burglary_note.pk, staff.embargoed_note.pk,
    }  # fmt: skip
    assert built.report.has_embargoed
    # Built again from the same data and staff material: the same manifest and content.
    again = build("2025-11..2025-12", "board", now=timezone.now())
    assert again.report.manifest == built.report.manifest
    assert again.report.content_sha256 == built.report.content_sha256
    assert again.report.figures == built.report.figures
    with pytest.raises(ReportDataError, match="still under embargo, so it cannot be published"):
        build("2025-11..2025-12", "board", now=timezone.now(), publish=True)


def test_verify_published_rechecks_approved_local_values(
    build: Callable[..., BuiltReport], synthetic_staff_material: SyntheticStaffMaterial
) -> None:
    staff = synthetic_staff_material
    built = build("2025-Q4", "panel", now=timezone.now(), publish=True)
    figures = built.report.figures["values"]
    local = [f for f in figures if f["measure"] == "local"]
    assert [f["value"] for f in local] == [70.0, 71.0, 72.5, 73.0]
    out = io.StringIO()
    call_command("verify_published", stdout=out)
    assert f"Checked {len(figures):,} figures in 1 published report (" in out.getvalue()
    assert f", {len(local)} approved local values): every one matches" in out.getvalue()
    assert "every one matches" in out.getvalue()

    workflow.withdraw(staff.published, staff.approver, "SYNTHETIC: entered in error")
    with pytest.raises(SystemExit) as exit_code:
        call_command("verify_published", stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert exit_code.value.code == 1
    assert "victim-satisfaction Local figure, July 2025 to September 2025" in out.getvalue()
    assert "No approved value is public for it now (withdrawn since publication)" in out.getvalue()


def test_what_changed_names_revised_local_figures_with_their_submission(
    build: Callable[..., BuiltReport], synthetic_staff_material: SyntheticStaffMaterial
) -> None:
    staff = synthetic_staff_material
    september = build("2025-Q3", "panel", now=timezone.now(), publish=True)
    revision = workflow.approve(
        uploaded(
            "synthetic-revision.csv",
            "metric,area,period_end,value\nvictim-satisfaction,E23000021,2025-09,73.5\n"
            "number-of-neighbourhood-officers,E23000021,2025-12,498\n",
            staff.analyst,
        ),
        staff.approver,
    )
    december = build("2025-Q4", "panel", now=timezone.now())
    assert december.report.compared_with_id == september.report.pk
    html = december.report.body_html
    start = html.index('id="changes"')
    changes = html[start : html.index("</section>", start)]
    assert (
        "<td>Local figure, July 2025 to September 2025, Leicestershire Police</td><td>73%</td>"
        f"<td>73.5%</td><td>submission {revision.pk} (synthetic-revision.csv) approved" in changes
    )
    assert f"replacing submission {staff.published.pk}" in changes
    newly = changes[changes.index("Newly available metrics") :]
    assert "<li>Number of Neighbourhood Officers</li>" in newly
