"""Fetch a force's neighbourhood policing teams from data.police.uk."""

from __future__ import annotations

import getpass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.ingest.progress import console_for, summary_table, track
from policeplan.neighbourhoods.importer import NeighbourhoodApi, fetch_neighbourhoods
from policeplan.provenance.errors import ImportFailed
from policeplan.sources.police_uk_api import DEFAULT_BASE_URL, ApiError


class Command(BaseCommand):
    help = (
        "Fetch a force's neighbourhoods, with each one's details, boundary, team and "
        "priorities, from the data.police.uk API and store them in one transaction "
        "(unchanged answers write nothing; neighbourhoods no longer listed are removed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", default=None, help="data.police.uk force id (default POLICEPLAN_FORCE)"
        )
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="API base URL")
        parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
        parser.add_argument("--max-attempts", type=int, default=5, help="tries per request")
        parser.add_argument(
            "--backoff", type=float, default=1.0, help="first retry delay in seconds (doubles)"
        )
        parser.add_argument("--run-by", default=None, help="who or what ran the fetch")
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="accept answers that remove more of the held neighbourhoods and team members "
            "than POLICEPLAN_IMPORT_SHRINK_PERCENT allows",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        force = options["force"] or settings.POLICEPLAN_FORCE
        if options["max_attempts"] < 1 or options["timeout"] <= 0:
            raise CommandError("--max-attempts must be at least 1 and --timeout positive")
        run_by = options["run_by"] or f"{getpass.getuser()} (manage.py fetch_neighbourhoods)"
        api = NeighbourhoodApi(
            options["base_url"],
            connect_timeout=options["timeout"],
            read_timeout=options["timeout"],
            max_attempts=options["max_attempts"],
            backoff_seconds=options["backoff"],
        )
        with api:
            try:
                result = fetch_neighbourhoods(
                    api,
                    force,
                    run_by,
                    progress=lambda items, label: track(items, label, console),
                    allow_shrink=options["allow_shrink"],
                )
            except (ApiError, ImportFailed) as exc:
                raise CommandError(f"{exc}\nNothing was changed for {force}.") from exc
        if options["verbosity"] > 0:
            rows = [
                (
                    result.force,
                    result.status,
                    result.neighbourhoods,
                    result.team_members,
                    len(result.added),
                    len(result.removed),
                )
            ]
            headers = ["Force", "Result", "Neighbourhoods", "Team members", "Added", "Removed"]
            console.print(summary_table("data.police.uk neighbourhoods", headers, rows))
            if result.removed:
                console.print("Removed (no longer listed): " + ", ".join(result.removed))
            console.print(f"{result.requests} requests")
