"""Load plan catalogues (``plans/*.yaml``) into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.catalogue.loader import CatalogueError, load_catalogue_dir, load_catalogue_file
from policeplan.metrics.readside import rebuild


class Command(BaseCommand):
    help = "Load plan catalogue YAML files (default: every file in POLICEPLAN_PLANS_DIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="catalogue files to load")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["paths"]
        try:
            if paths:
                results = [load_catalogue_file(p) for p in paths]
            else:
                results = load_catalogue_dir(Path(settings.POLICEPLAN_PLANS_DIR))
        except CatalogueError as exc:
            raise CommandError(f"Nothing was loaded.\n{exc}") from exc
        if any(r.changed for r in results):
            rebuild()  # the stored reports carry metric definitions; the data version moves
        for r in results:
            state = "updated" if r.changed else "unchanged"
            counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in r.counts.items())
            self.stdout.write(f"{r.plan_slug}: {state} ({counts})")
            for kind, slugs in r.removed.items():
                if slugs:
                    self.stdout.write(f"  removed {kind}: {', '.join(slugs)}")
