"""Recompute every figure in every published report from the raw data; differences fail."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.reporting.models import Report
from policeplan.reporting.verify import verify


class Command(BaseCommand):
    help = (
        "Recompute every figure in the published reports from the stored police.uk records, "
        "ONS cells and approved local values, independently of the metrics engine, and list any "
        "that differ. Exits 1 on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--report",
            type=int,
            action="append",
            help="check this report (repeatable), published or not; default: every published one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reports = Report.objects.select_related("plan").order_by("id")
        if options["report"]:
            reports = reports.filter(id__in=options["report"])
            missing = set(options["report"]) - set(reports.values_list("id", flat=True))
            if missing:
                raise CommandError(f"No report {', '.join(map(str, sorted(missing)))}.")
        else:
            reports = reports.published()
        result = verify(reports)
        for difference in result.differences:
            self.stdout.write(difference.describe())
        summary = (
            f"Checked {result.checked:,} figures in {result.reports} "
            f"{'' if options['report'] else 'published '}report{'s' if result.reports != 1 else ''}"
        )
        if result.checked:
            summary += f" ({result.breakdown()})"
        if result.differences:
            self.stderr.write(f"{summary}: {len(result.differences):,} differ.")
            sys.exit(1)
        if result.reports == 0:
            self.stdout.write(
                f"{summary}: no report has been published yet (build_report --publish); "
                "check a draft with --report N."
            )
            return
        self.stdout.write(f"{summary}: every one matches the raw data.")
