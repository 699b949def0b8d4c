"""Build a performance report for the Corporate Governance Board or the Police and Crime Panel."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.reporting.build import build_report
from policeplan.reporting.gather import ReportDataError
from policeplan.reporting.periods import ReportPeriodError


def who_runs_this() -> str:
    try:
        return f"{getpass.getuser()} (build_report)"
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "build_report"


class Command(BaseCommand):
    help = (
        "Build a performance report (HTML and a tagged PDF) for the Board or the Panel and store "
        "it with its figures and manifest. PERIOD is a calendar quarter (2025-Q4 is October to "
        "December 2025) or, for the Board, two consecutive months (2025-11..2025-12)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="plan slug, as loaded by load_plans")
        parser.add_argument(
            "--period",
            required=True,
            help="a calendar quarter such as 2025-Q4, or for the Board two months 2025-11..2025-12",
        )
        parser.add_argument(
            "--audience", required=True, help="board (Corporate Governance Board) or panel"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish it on the public site's report archive (an approver's decision)",
        )
        parser.add_argument("--user", default="", help="who is building it (default: you)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = options["user"] or who_runs_this()
        try:
            built = build_report(
                options["plan"],
                options["period"],
                options["audience"],
                built_by=user,
                publish=options["publish"],
            )
        except (ReportPeriodError, ReportDataError) as error:
            raise CommandError(str(error)) from None
        report = built.report
        self.stdout.write(f"Report {report.pk}: {report.title}")
        self.stdout.write(f"HTML: {built.html_path}")
        self.stdout.write(f"PDF: {built.pdf_path}")
        self.stdout.write(f"Manifest: {built.manifest_path}")
        compared = (
            f"compared with report {report.compared_with_id}"
            if report.compared_with_id
            else "the first report for this audience"
        )
        self.stdout.write(
            f"{built.with_data} headline metrics with figures, {built.awaiting} awaiting data, "
            f"{built.exceptions} exceptions; {len(report.figures['values']):,} figures; "
            f"{compared}."
        )
        if report.is_published:
            self.stdout.write(f"Published at {report.get_absolute_url()}")
