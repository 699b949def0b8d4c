"""Bulk row writers: PostgreSQL COPY, batched executemany elsewhere (SQLite).

Both run inside the caller's transaction on Django's own connection, so a failure or a
``kill -9`` part-way leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db import connection

SQLITE_BATCH = 20_000
COPY_BATCH = 10_000


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` into ``table``; returns how many were written."""
    if connection.vendor == "postgresql":
        return _copy_rows(table, columns, rows)
    return _executemany_rows(table, columns, rows)


def _copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    qn = connection.ops.quote_name
    sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    iterator = iter(rows)
    # The raw driver's errors (a lost connection mid-COPY, a refused value) become Django's,
    # which the import lifecycle reports as the file's error (ADR 0013).
    with connection.wrap_database_errors:
        return _copy_batches(raw, sql, iterator)


def _copy_batches(raw: Any, sql: str, iterator: Iterator[Sequence[Any]]) -> int:
    written = 0
    with raw.cursor() as cursor:
        # Imports are re-runnable copies of published files: not waiting for the WAL flush at
        # commit is safe (a server crash can only lose whole, recent imports, which a re-run
        # restores; never part of one). See ADR 0006.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        while batch := list(islice(iterator, COPY_BATCH)):
            copy.write("".join([copy_text_line(row) for row in batch]))
            written += len(batch)
    return written


NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text_line(row: Sequence[Any]) -> str:
    """One line of COPY's text format.

    Hand-written because it is the hot loop of every bulk load (psycopg's ``write_row`` and
    the ``csv`` module both cost several times more per row). The common row has no backslash,
    tab or line break in any value: the line is checked as a whole and only a row that fails
    the check is escaped value by value.
    """
    values = [NULL if v is None else v if v.__class__ is str else str(v) for v in row]
    line = "\t".join(values)
    if (
        line.count("\\") == row.count(None)
        and line.count("\t") == len(values) - 1
        and "\n" not in line
        and "\r" not in line
    ):
        return line + "\n"
    escaped = [v if v is NULL else v.translate(_ESCAPES) for v in values]
    return "\t".join(escaped) + "\n"


def _executemany_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    qn = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(columns))
    # Table and column names come from model metadata, quoted; values are parameters.
    columns_sql = ", ".join(qn(c) for c in columns)
    sql = f"INSERT INTO {qn(table)} ({columns_sql}) VALUES ({placeholders})"  # noqa: S608
    written = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, SQLITE_BATCH)):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
