"""Load the bundled geography (forces, local authorities, LSOA 2011 boundaries, IoD2019)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from policeplan.geography.loader import load_geography
from policeplan.metrics.readside import rebuild


class Command(BaseCommand):
    help = "Create or update areas from the bundled geography files (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = options["data_dir"] or Path(settings.POLICEPLAN_DATA_DIR)
        result = load_geography(data_dir)
        rebuild()  # area names and residents (rates per 1,000) are in the stored reports
        self.stdout.write(f"Areas: {result.created} created, {result.updated} checked or updated")
