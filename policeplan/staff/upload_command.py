"""What ``import_local_data`` and ``import_register`` share: the user and file checks before
an upload is staged, and how its outcome is printed (``Submission <id>`` or every problem)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from policeplan.sources.local_template import MAX_BYTES


def read_upload(path: Path, username: str) -> tuple[Any, bytes]:
    """The active user called ``username`` and the file's bytes, or a ``CommandError``."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(f"no active user '{username}'")
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise CommandError(f"{path}: {path.stat().st_size:,} bytes is over the {MAX_BYTES:,} limit")
    return user, path.read_bytes()


def report(command: BaseCommand, path: Path, result: Any) -> None:
    """Print a staged upload's submission, or its problems and refuse (nothing was staged)."""
    if result.problems:
        for problem in result.problems:
            command.stderr.write(
                problem if problem.startswith(path.name) else f"{path.name}: {problem}"
            )
        raise CommandError(f"{path.name}: {len(result.problems)} problems; nothing was staged")
    assert result.submission is not None
    if result.unchanged:
        command.stdout.write(f"Unchanged: already held as Submission {result.submission.pk}")
        return
    command.stdout.write(f"Submission {result.submission.pk}")
