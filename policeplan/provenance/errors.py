"""Errors shared by every importer."""

from __future__ import annotations


class ImportFailed(Exception):
    """A file was refused; nothing from it was written. ``problems`` are plain English."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(problems))
