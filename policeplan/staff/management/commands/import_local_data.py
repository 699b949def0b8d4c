"""``manage.py import_local_data FILE --user USERNAME``: the upload page's code path, for
scheduled loads. Prints ``Submission <id>`` (a draft) or every problem, staging nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.sources.local_template import MAX_BYTES
from policeplan.staff.local_data import import_local_data


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
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user '{options['user']}'")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{path}: {path.stat().st_size:,} bytes is over the {MAX_BYTES:,} limit"
            )
        result = import_local_data(
            path.name, path.read_bytes(), user, allow_shrink=options["allow_shrink"]
        )
        if result.problems:
            for problem in result.problems:
                self.stderr.write(
                    problem if problem.startswith(path.name) else f"{path.name}: {problem}"
                )
            raise CommandError(f"{path.name}: {len(result.problems)} problems; nothing was staged")
        assert result.submission is not None
        if result.unchanged:
            self.stdout.write(f"Unchanged: already held as Submission {result.submission.pk}")
            return
        self.stdout.write(f"Submission {result.submission.pk}")
