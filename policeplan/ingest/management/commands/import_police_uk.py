"""Import data.police.uk CSV files (plain or .gz), folders of them, or archive zips."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.ingest.parallel import import_files
from policeplan.ingest.police_uk import discover
from policeplan.ingest.progress import ProgressBar, console_for, summary_table
from policeplan.sources.police_uk import ZipArchiveError


class Command(BaseCommand):
    help = (
        "Import data.police.uk street, outcomes and stop-and-search files. Each file is one "
        "transaction; a file already held unchanged is skipped; a new copy of a month replaces "
        "it and keeps the old import run as a superseded revision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="CSV/.csv.gz files, folders, zips")
        parser.add_argument("--run-by", default=None, help="who or what ran the import")
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="parallel files (default: one per core on PostgreSQL, 1 on SQLite)",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="accept a revision that removes more of a month's rows than "
            "POLICEPLAN_IMPORT_SHRINK_PERCENT allows (e.g. a header-only file)",
        )
        parser.add_argument(
            "--allow-new-crime-type",
            action="store_true",
            help="accept a Crime type data.police.uk has not used before (a new category)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        run_by = options["run_by"] or f"{getpass.getuser()} (manage.py import_police_uk)"
        for path in options["paths"]:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        try:
            files = list(discover(options["paths"]))
        except ZipArchiveError as exc:
            raise CommandError(f"Nothing was imported.\n{exc}") from exc
        if not files:
            raise CommandError("No data.police.uk CSV files found in the paths given.")
        bar = ProgressBar(len(files), "Importing", console)
        try:
            results = import_files(
                files,
                run_by,
                jobs=options["jobs"],
                on_done=lambda r: bar.advance(r.name),
                allow_shrink=options["allow_shrink"],
                allow_new_crime_type=options["allow_new_crime_type"],
            )
        finally:
            bar.close()
        rows = [
            (
                r.name.rsplit("/", 1)[-1],
                r.status,
                r.rows_read,
                r.rows_written,
                r.rows_without_location,
                r.rows_outside_force_area,
                r.rows_removed,
            )
            for r in results
            # Unchanged files are only counted, unless asked for (-v 2)
            if r.status != "unchanged" or options["verbosity"] > 1
        ]
        headers = ["File", "Result", "Rows read", "Rows written", "No location", "Outside force"]
        headers.append("Removed")
        if options["verbosity"] > 0 and rows:
            console.print(summary_table("police.uk import", headers, rows))
            for r in results:
                for change_column in ("last_outcome_category", "outcome_type", "outcome"):
                    for d in r.changes.get(change_column, []):
                        console.print(
                            f"  {r.name.rsplit('/', 1)[-1]}: {d['value']}: "
                            f"{d['before']:,} -> {d['after']:,}"
                        )
        counts = {
            s: sum(r.status == s for r in results)
            for s in ("imported", "replaced", "unchanged", "failed")
        }
        if options["verbosity"] > 0:
            removed = sum(r.rows_removed for r in results)
            console.print(
                ", ".join(f"{n} {s}" for s, n in counts.items()) + f"; {removed:,} rows removed"
            )
        failed = [r for r in results if r.status == "failed"]
        if failed:
            problems = "\n".join(p for r in failed for p in r.problems)
            raise CommandError(
                f"{len(failed)} of {len(results)} files were refused; nothing from them was "
                f"written.\n{problems}"
            )
