"""``manage.py import_local_data FILE --user USERNAME``: the upload page's code path, for
scheduled loads. Prints ``Submission <id>`` (a draft) or every problem, staging nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from policeplan.staff.local_data import import_local_data
from policeplan.staff.upload_command import read_upload, report


class Command(BaseCommand):
    help = "Stage a local data template (CSV or XLSX) as a draft submission for approval."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="The analyst entering the figures")
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="as on every import command; an upload adds a submission and removes no "
            "approved figure, so today the shrink guard never refuses local data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user, content = read_upload(path, options["user"])
        result = import_local_data(path.name, content, user, allow_shrink=options["allow_shrink"])
        report(self, path, result)
