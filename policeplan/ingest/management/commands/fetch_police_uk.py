"""Fetch a force's months from the data.police.uk API (or its monthly archive) and import them."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.ingest.fetch import FetchFailed, FetchPlan, FetchReport, fetch_police_uk
from policeplan.ingest.progress import console_for, summary_table, track
from policeplan.sources.police_uk_api import (
    DEFAULT_BASE_URL,
    Checkpoint,
    CheckpointError,
    PoliceUkApi,
)
from policeplan.sources.police_uk_api_csv import month_range
from policeplan.sources.police_uk_archive import (
    DEFAULT_ARCHIVE_BASE_URL,
    DEFAULT_MAX_ARCHIVE_BYTES,
)


class Command(BaseCommand):
    help = (
        "Fetch a force's street crimes and stop and search for a range of months from the "
        "data.police.uk API (street crimes neighbourhood by neighbourhood), or with --archive "
        "from the monthly archive zip, and import them like downloaded files: one transaction "
        "per file, provenance, unchanged months skipped, changed months kept as revisions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", required=True, help="data.police.uk force id")
        parser.add_argument("--from", dest="first", required=True, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, help="last month, YYYY-MM")
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="API base URL")
        parser.add_argument(
            "--checkpoint", type=Path, help="file recording finished requests, to resume a run"
        )
        parser.add_argument(
            "--archive", action="store_true", help="import from the monthly archive zips instead"
        )
        parser.add_argument("--archive-base-url", default=DEFAULT_ARCHIVE_BASE_URL)
        parser.add_argument(
            "--archive-max-bytes",
            type=int,
            default=DEFAULT_MAX_ARCHIVE_BYTES,
            help="refuse an archive larger than this (bytes)",
        )
        parser.add_argument(
            "--replace-files",
            action="store_true",
            help="let API answers replace months held from downloaded files (which have LSOAs)",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="accept a month that removes more of the held rows than "
            "POLICEPLAN_IMPORT_SHRINK_PERCENT allows",
        )
        parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
        parser.add_argument("--max-attempts", type=int, default=5, help="tries per request")
        parser.add_argument(
            "--backoff", type=float, default=1.0, help="first retry delay in seconds (doubles)"
        )
        parser.add_argument("--run-by", default=None, help="who or what ran the fetch")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        try:
            month_range(options["first"], options["last"])
        except ValueError as exc:
            raise CommandError(f"--from/--to: {exc}") from exc
        if options["max_attempts"] < 1 or options["timeout"] <= 0:
            raise CommandError("--max-attempts must be at least 1 and --timeout positive")
        plan = FetchPlan(
            force=options["force"],
            first_month=options["first"],
            last_month=options["last"],
            run_by=options["run_by"] or f"{getpass.getuser()} (manage.py fetch_police_uk)",
            archive=options["archive"],
            archive_base_url=options["archive_base_url"],
            archive_max_bytes=options["archive_max_bytes"],
            replace_files=options["replace_files"],
            allow_shrink=options["allow_shrink"],
            timeout=options["timeout"],
            max_attempts=options["max_attempts"],
            backoff_seconds=options["backoff"],
        )
        try:
            checkpoint = Checkpoint(options["checkpoint"]) if options["checkpoint"] else None
        except CheckpointError as exc:
            raise CommandError(str(exc)) from exc
        api = PoliceUkApi(
            options["base_url"],
            connect_timeout=plan.timeout,
            read_timeout=plan.timeout,
            max_attempts=plan.max_attempts,
            backoff_seconds=plan.backoff_seconds,
            checkpoint=checkpoint,
        )
        with api:
            try:
                report = fetch_police_uk(
                    api, plan, progress=lambda items, label: track(items, label, console)
                )
            except FetchFailed as exc:
                if options["verbosity"] > 0:
                    self._summarise(console, exc.report)
                raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            self._summarise(console, report)

    def _summarise(self, console: Any, report: FetchReport) -> None:
        rows = [(f.name, f.status, f.rows, f.requests) for f in report.files]
        headers = ["File", "Result", "Rows", "Requests"]
        console.print(summary_table(f"data.police.uk: {report.force}", headers, rows))
        for f in report.files:
            if f.note:
                console.print(f"  {f.name}: {f.note}")
        availability = report.availability
        if availability is not None:
            if availability.missing:
                console.print("Not published by data.police.uk: " + ", ".join(availability.missing))
            if availability.stop_and_search_missing:
                console.print(
                    f"No stop and search published for {report.force}: "
                    + ", ".join(availability.stop_and_search_missing)
                )
        if report.neighbourhoods_without_boundary:
            console.print(
                "Neighbourhoods without a usable boundary (their crimes may be missing): "
                + ", ".join(report.neighbourhoods_without_boundary)
            )
        if any(f.kind == "street" and f.url and "/crimes-street/" in f.url for f in report.files):
            console.print(
                f"Street crimes were asked for in {report.neighbourhoods} neighbourhoods. "
                "API-derived files have no LSOA columns and no crimes without a location."
            )
        counts: dict[str, int] = {}
        for f in report.files:
            counts[f.status] = counts.get(f.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        console.print(f"{summary or 'nothing to fetch'}; {report.requests} requests")
