"""Published reports at permanent addresses, in the open data API; drafts nowhere public."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO

from django.core.management import call_command
from django.test import Client

from policeplan.reporting.build import BuiltReport


def test_published_reports_are_served_and_listed_and_drafts_are_not(
    build: Callable[..., BuiltReport], client: Client
) -> None:
    draft = build("2025-Q3").report
    report = build("2025-Q4", publish=True).report

    listing = client.get("/reports/").content.decode()
    assert "October to December 2025 (Q4 2025, calendar quarter)" in listing
    assert f'href="/reports/{report.pk}/report.pdf"' in listing
    assert "July to September 2025" not in listing
    for path in ("/", "report.pdf", "report.html", "manifest.json"):
        assert client.get(f"/reports/{draft.pk}/{path.lstrip('/')}").status_code == 404
    out = StringIO()
    call_command("verify_published", "--report", str(draft.pk), stdout=out)
    figures = draft.figures["values"]
    ons = sum(1 for f in figures if f["measure"].startswith("ons_"))
    assert (
        f"Checked {len(figures):,} figures in 1 report ({len(figures) - ons:,} recounted from "
        f"police.uk street records, {ons:,} re-read from ONS table cells): every one matches"
    ) in out.getvalue()

    page = client.get(f"/reports/{report.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Police and Crime Plan 2024-2029: performance, October to December 2025" in html
    assert html.index('id="exceptions-heading"') < html.index('id="metric-burglary-heading"')
    charts = re.findall(r'<img src="(charts/[0-9a-f]{32}\.svg)" alt="Chart: ([^"]+)"', html)
    assert len(charts) == 9
    svg = client.get(f"/reports/{report.pk}/{charts[0][0]}")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")

    pdf = client.get(f"/reports/{report.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-1.7")
    assert client.get(f"/reports/{report.pk}/manifest.json").json() == report.manifest
    standalone = client.get(f"/reports/{report.pk}/report.html").content.decode()
    assert '<html lang="en-GB">' in standalone and 'href="report.css"' in standalone
    assert client.get(f"/reports/{report.pk}/report.css").status_code == 200


def test_verify_published_says_when_nothing_is_published(db: None) -> None:
    out = StringIO()
    call_command("verify_published", stdout=out)
    assert out.getvalue().startswith(
        "Checked 0 figures in 0 published reports: no report has been published yet"
    )


def test_the_api_lists_published_reports_with_every_figure(
    build: Callable[..., BuiltReport], client: Client
) -> None:
    build("2025-Q3")
    report = build("2025-Q4", publish=True).report
    listing = client.get("/api/v1/reports").json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert (row["id"], row["audience"], row["period"]) == (report.pk, "panel", "2025-Q4")
    assert (row["first_month"], row["last_month"]) == ("2025-10", "2025-12")
    assert row["pdf_url"].endswith(f"/reports/{report.pk}/report.pdf")
    assert row["figures"] == len(report.figures["values"])

    csv = client.get("/api/v1/reports?format=csv&audience=panel").content.decode()
    assert csv.splitlines()[0].startswith("id,plan,audience,audience_label,period,")
    assert client.get("/api/v1/reports?audience=board").json()["count"] == 0

    detail = client.get(f"/api/v1/reports/{report.pk}").json()
    assert detail["manifest"] == report.manifest
    burglary = [
        f for f in detail["results"]
        if f["metric"] == "burglary" and f["measure"] == "count" and f["end"] == "2025-12"
    ]  # fmt: skip
    assert len(burglary) == 1 and burglary[0]["runs"]
    missing = client.get("/api/v1/reports/999999")
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("/api/#unknown-report")


def test_report_html_has_no_scripts_or_style_attributes(
    build: Callable[..., BuiltReport],
) -> None:
    """The site serves it under a strict Content-Security-Policy."""
    report = build().report
    for html in (report.body_html, report.document_html):
        assert "<script" not in html
        assert "<style" not in html
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)  # no event handler attributes
