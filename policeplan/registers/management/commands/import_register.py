"""``manage.py import_register KIND FILE --user USERNAME``: the staff upload page's code path
for a register. Prints ``Submission <id>`` (awaiting approval; ``--draft`` leaves it a draft)
or every problem by row and column, staging nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from policeplan.registers.publication import import_register
from policeplan.sources.register_specs import SPECS
from policeplan.staff.upload_command import read_upload, report


class Command(BaseCommand):
    help = "Stage a register file (CSV or XLSX) as a submission for approval."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(SPECS), help="Which register")
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="The analyst entering the register")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Leave it a draft (submit it from the staff area) instead of awaiting approval",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="Accept an upload that drops more of the register's entries than "
            "POLICEPLAN_IMPORT_SHRINK_PERCENT allows (the upload replaces the whole register)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user, content = read_upload(path, options["user"])
        result = import_register(
            options["kind"],
            path.name,
            content,
            user,
            submit=not options["draft"],
            allow_shrink=options["allow_shrink"],
        )
        report(self, path, result)
