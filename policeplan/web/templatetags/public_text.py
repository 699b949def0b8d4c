"""Filters for what a public page may say about where data came from."""

from __future__ import annotations

from pathlib import PurePath

from django import template

register = template.Library()


@register.filter
def file_name(path: str | None) -> str:
    """The file's name without the server's folders: ``/srv/data/2025-01-x.csv`` ->
    ``2025-01-x.csv``. Public pages name files, never where they lie on a server."""
    return PurePath(str(path or "")).name
