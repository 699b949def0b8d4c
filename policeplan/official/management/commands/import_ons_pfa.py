"""Import ONS "Police Force Area data tables" workbooks (.xlsx), or folders of them."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.ingest.progress import console_for, summary_table, track
from policeplan.official.importer import discover, import_workbook


class Command(BaseCommand):
    help = (
        "Import ONS Police Force Area data tables workbooks. Each workbook is one transaction; "
        "a workbook already held unchanged is skipped; a different workbook for the same "
        "12-month period replaces it and keeps the old import run as a superseded revision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help=".xlsx workbooks or folders")
        parser.add_argument("--run-by", default=None, help="who or what ran the import")
        parser.add_argument("--source-url", default="", help="where the workbooks came from")
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="accept a workbook that removes more of a held edition's figures than "
            "POLICEPLAN_IMPORT_SHRINK_PERCENT allows (e.g. one without a table)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        if not console.is_terminal:  # logs and CI: room for the full workbook names
            console.width = max(console.width, 132)
        run_by = options["run_by"] or f"{getpass.getuser()} (manage.py import_ons_pfa)"
        for path in options["paths"]:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        files = list(discover(options["paths"]))
        if not files:
            raise CommandError("No .xlsx workbooks found in the paths given.")
        results = [
            import_workbook(f, run_by, options["source_url"], options["allow_shrink"])
            for f in track(files, "Importing", console)
        ]
        if options["verbosity"] > 0:
            rows = [
                (
                    Path(r.name).name,
                    r.status,
                    r.period_label.removeprefix("year ending "),
                    r.rows_read,
                    r.rows_written,
                    r.suppressed,
                    r.cells_changed,
                    r.cells_removed,
                )
                for r in results
            ]
            headers = ["File", "Result", "Year ending", "Rows read", "Rows written", "Markers"]
            table = summary_table(
                "ONS Police Force Area tables import", [*headers, "Changed", "Removed"], rows
            )
            table.columns[0].no_wrap = True
            for column in table.columns[3:]:
                column.justify = "right"
            console.print(table)
            for r in results:
                for d in r.changes.get("examples", []):
                    console.print(
                        f"  {Path(r.name).name}: {d['area']}, Table {d['table']} "
                        f"{d['measure']} ({d['unit']}, cell {d['cell']}): "
                        f"{d['before']} -> {d['after']}"
                    )
            counts = {
                s: sum(r.status == s for r in results)
                for s in ("imported", "replaced", "unchanged", "failed")
            }
            console.print(", ".join(f"{n} {s}" for s, n in counts.items()))
            created = sum(r.areas_created for r in results)
            if created:
                console.print(f"Areas added for rows without a held area: {created}")
        failed = [r for r in results if r.status == "failed"]
        if failed:
            problems = "\n".join(p for r in failed for p in r.problems)
            raise CommandError(
                f"{len(failed)} of {len(results)} workbooks were refused; nothing from them was "
                f"written.\n{problems}"
            )
