"""Terminal progress bars and summary tables for import commands (rich)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

T = TypeVar("T")


def console_for(stream: Any) -> Console:
    """A rich console writing to ``stream`` (a management command's stdout wrapper)."""
    return Console(file=stream, highlight=False, width=160 if not stream.isatty() else None)


def track(items: Sequence[T], description: str, console: Console) -> Iterator[T]:
    """Yield ``items`` while drawing a progress bar (only on a terminal; silent otherwise)."""
    if not console.is_terminal or len(items) < 2:
        yield from items
        return
    with Progress(*_columns(), console=console, transient=False) as progress:
        task = progress.add_task(description, total=len(items), current="")
        for item in items:
            progress.update(task, current=str(getattr(item, "name", ""))[-60:])
            yield item
            progress.advance(task)


class ProgressBar:
    """A progress bar advanced by callback (for work finishing out of order, e.g. in parallel)."""

    def __init__(self, total: int, description: str, console: Console) -> None:
        self.enabled = console.is_terminal and total > 1
        self._progress = Progress(*_columns(), console=console) if self.enabled else None
        self._task = None
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task(description, total=total, current="")

    def advance(self, name: str = "") -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, current=name[-60:])

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _columns() -> tuple[Any, ...]:
    return (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
    )


def summary_table(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    table = Table(title=title)
    for header in headers:
        table.add_column(
            header, justify="right" if header.startswith(("Rows", "No ", "Out")) else "left"
        )
    for row in rows:
        table.add_row(
            *("" if v is None else f"{v:,}" if isinstance(v, int) else str(v) for v in row)
        )
    return table
