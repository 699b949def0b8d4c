"""Load residents per area from a CSV (area_code,population,year,source) for rates per 1,000."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.geography.population import PopulationFileError, load_population
from policeplan.metrics.readside import rebuild


class Command(BaseCommand):
    help = "Set area populations from a CSV: area_code,population,year,source (one transaction)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = load_population(options["file"])
        except (PopulationFileError, OSError) as error:
            raise CommandError(str(error)) from None
        rebuild()  # rates per 1,000 residents are in the stored reports
        self.stdout.write(f"Populations set for {count} area{'s' if count != 1 else ''}")
