"""Bulk row writers: PostgreSQL COPY, batched executemany elsewhere (SQLite).

Rows arrive in batches held column by column (:class:`Columns`): the per-row work of the
write is done by C loops (``zip``, ``map``, psycopg's binary COPY, sqlite3's ``executemany``)
rather than Python code per value (ADR 0016). Both writers run inside the
caller's transaction on Django's own connection, so a failure or a ``kill -9`` part-way leaves
nothing behind.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import repeat
from typing import Any

from django.db import connection, models

from policeplan.provenance.limits import ColumnLimit, limits_of


@dataclass
class Columns:
    """``rows`` rows held column by column: ``constant`` values are the same on every row,
    each of ``varying`` holds one value per row. Every batch of one write has the same column
    names in the same order."""

    rows: int
    constant: dict[str, Any]
    varying: dict[str, Sequence[Any]]

    @property
    def names(self) -> list[str]:
        return [*self.constant, *self.varying]


class ColumnsCheck:
    """A quick test of a whole batch against its columns' limits (``provenance.limits``),
    column by column in C loops (the longest text, the smallest and largest integer, the sum
    of the floats...). ``passes`` is True when every value is within its column's limits;
    False means some value may not be: check that batch row by row (``RowLimits``) for the
    precise problems. Cheaper than checking every row, and never less strict."""

    def __init__(self, model: type[models.Model]) -> None:
        self.limits = limits_of(model)

    def passes(self, batch: Columns) -> bool:
        for name, value in batch.constant.items():
            limit = self.limits.get(name)
            if limit is not None and limit.problem(value) is not None:
                return False
        for name, values in batch.varying.items():
            limit = self.limits.get(name)
            if limit is not None and not _within(limit, values):
                return False
        return True


def _within(limit: ColumnLimit, values: Sequence[Any]) -> bool:
    """True when no value of ``values`` can be over ``limit``."""
    try:
        if not limit.null and None in values:
            return False
        if limit.text:
            present = list(filter(None, values))
            if limit.max_length is not None and max(map(len, present), default=0) > (
                limit.max_length
            ):
                return False
            return "\x00" not in "".join(present)
        if limit.integer_range is not None:
            numbers = list(filter(None, values))  # 0 is in every integer column's range
            low, high = limit.integer_range
            return not numbers or (low <= min(numbers) and max(numbers) <= high)
        if limit.finite:
            # A NaN or an infinity makes the sum NaN or infinite (so might a huge sum: then
            # the rows are checked one by one, finding nothing). Decimals: always row by row.
            return limit.integer_digits is None and math.isfinite(sum(filter(None, values)))
    except TypeError:  # a value of an unexpected type: row by row, where it is reported
        return False
    return True


def insert_columns(table: str, batches: Iterable[Columns]) -> int:
    """Write every batch into ``table``; returns how many rows were written."""
    iterator = iter(batches)
    first = next(iterator, None)
    if first is None:
        return 0
    if connection.vendor == "postgresql":
        return _copy(table, first, iterator)
    return _executemany(table, first, iterator)


def _chain(first: Columns, rest: Iterator[Columns]) -> Iterator[Columns]:
    yield first
    for batch in rest:
        if batch.names != first.names:
            raise ValueError(f"batch columns {batch.names} differ from {first.names}")
        yield batch


# --- PostgreSQL -------------------------------------------------------------------------------


def _copy(table: str, first: Columns, rest: Iterator[Columns]) -> int:
    """COPY in binary format: psycopg's C code turns each row into the column types' binary
    forms (no text to format, escape or parse again on the server); ADR 0016."""
    qn = connection.ops.quote_name
    names = first.names
    sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in names)}) FROM STDIN (FORMAT BINARY)"
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    # The raw driver's errors (a lost connection mid-COPY, a refused value) become Django's,
    # which the import lifecycle reports as the file's error (ADR 0013).
    with connection.wrap_database_errors:
        return _copy_batches(raw, sql, names, table, first, rest)


def _copy_batches(
    raw: Any, sql: str, names: list[str], table: str, first: Columns, rest: Iterator[Columns]
) -> int:
    written = 0
    with raw.cursor() as cursor:
        # Imports are re-runnable copies of published files: not waiting for the WAL flush at
        # commit is safe (a server crash can only lose whole, recent imports, which a re-run
        # restores; never part of one). See ADR 0006.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        types = _column_types(cursor, table, names)
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        copy.set_types(types)
        for batch in _chain(first, rest):
            deque(map(copy.write_row, rows_of(batch)), maxlen=0)
            written += batch.rows
    return written


def _column_types(cursor: Any, table: str, names: list[str]) -> list[int]:
    """The type OID of each column, in ``names`` order (binary COPY needs the exact types)."""
    cursor.execute(
        "SELECT attname, atttypid::int FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [connection.ops.quote_name(table)],
    )
    found = dict(cursor.fetchall())
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"{table} has no column {', '.join(missing)}")
    return [found[n] for n in names]


def rows_of(batch: Columns) -> Iterator[tuple[Any, ...]]:
    """The batch's rows, as tuples in :attr:`Columns.names` order."""
    constants = [repeat(v, batch.rows) for v in batch.constant.values()]
    return zip(*constants, *batch.varying.values(), strict=True)


# --- SQLite ------------------------------------------------------------------------------------


def _executemany(table: str, first: Columns, rest: Iterator[Columns]) -> int:
    qn = connection.ops.quote_name
    placeholders = ", ".join(["?"] * len(first.names))
    # Table and column names come from model metadata, quoted; values are parameters.
    columns_sql = ", ".join(qn(c) for c in first.names)
    sql = f"INSERT INTO {qn(table)} ({columns_sql}) VALUES ({placeholders})"  # noqa: S608
    written = 0
    connection.ensure_connection()
    raw = connection.connection  # sqlite3's own cursor: no per-row work by Django's wrapper
    assert raw is not None
    cursor = raw.cursor()
    try:
        with connection.wrap_database_errors:
            for batch in _chain(first, rest):
                constants = [repeat(_parameter(v), batch.rows) for v in batch.constant.values()]
                cursor.executemany(sql, zip(*constants, *batch.varying.values(), strict=True))
                written += batch.rows
    finally:
        cursor.close()
    return written


def _parameter(value: Any) -> Any:
    """A constant adapted once, as Django's SQLite adapters would on every row."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return value
