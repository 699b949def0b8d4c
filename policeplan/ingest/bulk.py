"""Bulk row writers: PostgreSQL COPY, batched executemany elsewhere (SQLite).

Both run inside the caller's transaction on Django's own connection, so a failure or a
``kill -9`` part-way leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection

SQLITE_BATCH = 20_000


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` into ``table``; returns how many were written."""
    if connection.vendor == "postgresql":
        return _copy_rows(table, columns, rows)
    return _executemany_rows(table, columns, rows)


def _copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    qn = connection.ops.quote_name
    sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    written = 0
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


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
