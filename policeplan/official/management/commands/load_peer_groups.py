"""Load peer groups (provisional, or a Home Office most similar group file) from a CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.ingest.progress import console_for, summary_table
from policeplan.official.peer_groups import PeerGroupFileInvalid, load_peer_groups


class Command(BaseCommand):
    help = (
        "Load peer groups from a CSV (force,group_name,member,provisional,source; police.uk "
        "force ids). Default: data/geography/peer_groups.csv. A group with provisional=false "
        "(a Home Office most similar group) replaces a force's provisional group; a "
        "provisional group never replaces a confirmed one. A file with any problem is refused "
        "whole."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", nargs="?", type=Path, default=None, help="peer-group CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["csv"] or Path(settings.POLICEPLAN_DATA_DIR) / "geography/peer_groups.csv"
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            outcomes = load_peer_groups(path)
        except PeerGroupFileInvalid as exc:
            raise CommandError(f"{path} was refused; no peer groups were changed.\n{exc}") from exc
        if options["verbosity"] > 0:
            rows = [
                (o.force, o.name, "yes" if o.provisional else "no", o.members, o.result)
                for o in outcomes
            ]
            headers = ["Force", "Peer group", "Provisional", "Members", "Result"]
            console_for(self.stdout).print(summary_table(f"Peer groups from {path}", headers, rows))
            for o in outcomes:
                if o.result == "kept":
                    self.stdout.write(
                        f"{o.force}: kept the confirmed (most similar group) peer group; the "
                        "provisional group in this file was not applied."
                    )
