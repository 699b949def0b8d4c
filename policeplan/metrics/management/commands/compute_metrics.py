"""Compute metric observations from the records held (incremental unless --full)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from policeplan.metrics.compute import recompute
from policeplan.metrics.compute_official import recompute_official


class Command(BaseCommand):
    help = "Compute metric observations; only months whose inputs changed unless --full."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="recompute every month")
        parser.add_argument("--force", action="append", help="police.uk force id (repeatable)")
        parser.add_argument("--plan", help="only this plan's metrics")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = recompute(full=options["full"], forces=options["force"], plan_slug=options["plan"])
        rebuilt, official = recompute_official(full=options["full"], plan_slug=options["plan"])
        from policeplan.registers.metrics import recompute_registers

        counted, counts = recompute_registers(plan_slug=options["plan"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{len(result.forces)} forces, {result.months_recomputed} force-months recomputed, "
            f"{result.records_scanned:,} records scanned, {result.observations_written:,} "
            f"observations written, {result.observations_deleted:,} replaced; "
            f"{rebuilt} ONS series rebuilt ({official:,} observations); "
            f"{counted} register series counted ({counts:,} observations); {seconds:.1f} s"
        )
