"""Column limits, derived from the models, checked before the database sees a value.

SQLite stores a 70-character string in a ``max_length=64`` column; PostgreSQL refuses it with
a ``DataError`` that names neither the file nor the row. So every value an import writes is
checked here first, against limits read from the model fields themselves (never a
hand-written list): ``max_length``, a decimal's digits, the integer range of the column type
on this database, NOT NULL, finite floats, and no NUL character (PostgreSQL cannot store one
in text). A problem comes back as plain English naming the column and the limit; the caller
adds the file and row (ADR 0013).

Three ways in:

* :class:`RowLimits` checks tuples in a fixed column order (the police.uk COPY writer);
* :func:`check_instance` checks a model instance before ``bulk_create`` / ``save``;
* :func:`insert_guard` is installed by the lifecycle around every source's ``write``: it checks
  the parameters of each ``INSERT`` Django sends, so a source that checks nothing itself (a
  future register) is still covered.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connection, models

from .errors import ImportFailed

# Fields whose type the check cannot say anything about (dates, JSON, booleans) get a limit
# that only checks NOT NULL.
_INTEGER_TYPES = (models.IntegerField, models.AutoField)


@dataclass(frozen=True)
class ColumnLimit:
    """What one column accepts."""

    column: str
    null: bool = True
    max_length: int | None = None  # characters, for text
    text: bool = False
    integer_range: tuple[int, int] | None = None
    integer_digits: int | None = None  # decimals: digits before the point
    decimal_places: int | None = None
    finite: bool = False  # floats and decimals

    def problem(self, value: Any) -> str | None:
        """Why ``value`` cannot be stored in this column, or None when it can."""
        if value is None:
            return None if self.null else "is empty, but a value is required"
        if self.text and isinstance(value, str):
            if self.max_length is not None and len(value) > self.max_length:
                return (
                    f"{len(value):,} characters is over the column's limit of "
                    f"{self.max_length:,} ({_preview(value)})"
                )
            if "\x00" in value:
                return "contains a NUL character, which cannot be stored"
            return None
        if self.integer_range is not None and isinstance(value, int):
            low, high = self.integer_range
            if not low <= value <= high:
                return f"{value:,} is outside the column's range {low:,} to {high:,}"
            return None
        if self.finite and isinstance(value, (float, Decimal)):
            if not math.isfinite(value):
                return f"{value} is not a finite number"
            if self.integer_digits is not None and isinstance(value, Decimal):
                return self._decimal_problem(value)
        return None

    def _decimal_problem(self, value: Decimal) -> str | None:
        assert self.integer_digits is not None
        if abs(value) >= Decimal(10) ** self.integer_digits:
            return (
                f"{value:E} is too large: the column holds at most {self.integer_digits} "
                f"digits before the decimal point"
            )
        return None


def _preview(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _limit_of(field: models.Field[Any, Any]) -> ColumnLimit:
    column = field.column
    null = field.null or isinstance(field, models.AutoField)
    if isinstance(field, (models.CharField, models.TextField)):
        max_length = field.max_length if isinstance(field, models.CharField) else None
        return ColumnLimit(column, null, max_length=max_length, text=True)
    if isinstance(field, _INTEGER_TYPES):
        ranges = connection.ops.integer_field_ranges
        return ColumnLimit(column, null, integer_range=ranges.get(field.get_internal_type()))
    if isinstance(field, models.DecimalField):
        digits = (field.max_digits or 0) - (field.decimal_places or 0)
        return ColumnLimit(
            column,
            null,
            integer_digits=digits if field.max_digits is not None else None,
            decimal_places=field.decimal_places,
            finite=True,
        )
    if isinstance(field, models.FloatField):
        return ColumnLimit(column, null, finite=True)
    return ColumnLimit(column, null)


@functools.cache
def _limits(model: type[models.Model], vendor: str) -> dict[str, ColumnLimit]:
    fields = model._meta.concrete_fields
    return {field.column: _limit_of(field) for field in fields}


def limits_of(model: type[models.Model]) -> dict[str, ColumnLimit]:
    """Every concrete column of ``model`` and its limit, keyed by database column name."""
    return _limits(model, connection.vendor)


def column_problems(
    model: type[models.Model], values: Iterable[tuple[str, Any]]
) -> list[tuple[str, str]]:
    """(column, problem) for each value of ``(column, value)`` the column cannot hold."""
    limits = limits_of(model)
    found = []
    for column, value in values:
        limit = limits.get(column)
        problem = limit.problem(value) if limit is not None else None
        if problem is not None:
            found.append((column, problem))
    return found


class RowLimits:
    """Checks rows given as tuples in a fixed column order, cheaply enough for a bulk load.

    The quick test of a row is one expression made from the limits (``_quick_test``); only a
    row that fails it is examined column by column for the messages.
    """

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        labels: Sequence[str] = (),
        *,
        constant: int = 0,
        nul_free: bool = False,
    ) -> None:
        """``constant``: how many leading columns hold the same value in every row (checked in
        the first row only); ``nul_free``: the caller knows no text holds a NUL character
        (e.g. the whole file was searched for one)."""
        limits = limits_of(model)
        self.labels = dict(zip(columns, labels, strict=False))
        self.checks = [
            (index, limits[column]) for index, column in enumerate(columns) if column in limits
        ]
        self.columns = list(columns)
        varying = [(i, limit) for i, limit in self.checks if i >= constant]
        self.first = _quick_test(self.checks, nul_free)
        self.quick = _quick_test(varying, nul_free)
        self.seen = False

    def problems(self, row: Sequence[Any]) -> list[tuple[str, str]]:
        """(column label, problem) for every value of ``row`` over its column's limit."""
        quick = self.quick if self.seen else self.first
        self.seen = True
        if not quick(row):
            return []
        found = []
        for index, limit in self.checks:
            problem = limit.problem(row[index])
            if problem is not None:
                column = self.columns[index]
                found.append((self.labels.get(column, column), problem))
        return found


def _clause(index: int, limit: ColumnLimit, nul_free: bool) -> str | None:
    """A Python expression, true when value ``r[index]`` may break ``limit`` (then
    :meth:`ColumnLimit.problem` says how). Made only of the index, numbers and fixed text."""
    v = f"r[{index}]"
    if limit.text:
        tests = [f"len({v}) > {int(limit.max_length)}"] if limit.max_length is not None else []
        tests += [] if nul_free else [f"'\\x00' in {v}"]
        test = f"({v} is not None and ({' or '.join(tests)}))" if tests else ""
    elif limit.integer_range is not None:
        low, high = (int(n) for n in limit.integer_range)
        test = f"({v} is not None and not {low} <= {v} <= {high})"
    elif limit.finite:
        bound = f" or abs({v}) >= {10 ** int(limit.integer_digits)}" if limit.integer_digits else ""
        test = f"({v} is not None and (not isfinite({v}){bound}))"
    else:
        test = ""
    if not limit.null:
        test = f"{v} is None" + (f" or {test}" if test else "")
    return test or None


def _quick_test(
    checks: list[tuple[int, ColumnLimit]], nul_free: bool
) -> Callable[[Sequence[Any]], bool]:
    """One compiled expression for every column of a row, instead of a loop of method calls
    per value: the check costs the bulk loader a few percent rather than a third of its time.
    The source is built from column indexes and integer limits only, never from data."""
    clauses = [c for c in (_clause(i, limit, nul_free) for i, limit in checks) if c]
    if not clauses:
        return lambda row: False
    source = "lambda r: bool(" + " or ".join(f"({c})" for c in clauses) + ")"
    namespace = {"isfinite": math.isfinite, "__builtins__": {"len": len, "abs": abs, "bool": bool}}
    test: Callable[[Sequence[Any]], bool] = eval(source, namespace)  # noqa: S307 - see above
    return test


def check_instance(file: str, where: str, instance: models.Model) -> None:
    """Raise :class:`ImportFailed` if a field of ``instance`` is over its column's limit.
    ``where`` names the file and the row or cell the instance came from."""
    problems = column_problems(
        type(instance),
        ((f.column, getattr(instance, f.attname)) for f in type(instance)._meta.concrete_fields),
    )
    if problems:
        raise ImportFailed(file, [f"{where}, column {c}: {p}" for c, p in problems])


# --- the lifecycle's safety net: every INSERT Django sends during an import's write ---------

# Django's INSERTs: ``VALUES (...), (...)`` (one parameter per value), or on PostgreSQL a bulk
# insert as ``SELECT * FROM UNNEST(%s::type[], ...)`` (one list parameter per column).
_INSERT = re.compile(
    r'^INSERT INTO "(?P<table>[^"]+)" \((?P<columns>[^)]*)\) '
    r"(?:(?P<values>VALUES)|SELECT \* FROM UNNEST)"
)


@functools.cache
def _model_of_table(table: str) -> type[models.Model] | None:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            return model
    return None


def insert_guard(file: str) -> Callable[..., Any]:
    """A ``connection.execute_wrapper`` that refuses an INSERT whose values break their
    columns' limits, naming the file, the row (counted per table within this import) and the
    column. Statements other than Django's INSERTs pass through unchecked."""
    written: dict[str, int] = {}

    def guard(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        match = _INSERT.match(sql) if params else None
        if match is not None:
            _check_insert(file, match, params, many, written)
        return execute(sql, params, many, context)

    return guard


def _check_insert(
    file: str, match: re.Match[str], params: Any, many: bool, written: dict[str, int]
) -> None:
    table = match["table"]
    model = _model_of_table(table)
    if model is None:
        return
    columns = [c.strip().strip('"') for c in match["columns"].split(",")]
    rows: list[Sequence[Any]]
    if many:
        rows = list(params)
    elif match["values"]:
        rows = [params[i : i + len(columns)] for i in range(0, len(params), len(columns))]
    else:  # UNNEST: a list of values per column
        rows = list(zip(*params, strict=True))
    limits = RowLimits(model, columns)
    first = written.get(table, 0)
    for offset, row in enumerate(rows, start=1):
        problems = limits.problems(row)
        if problems:
            raise ImportFailed(
                file,
                [
                    f"{file}, row {first + offset:,} written to {table}, column {column}: {problem}"
                    for column, problem in problems
                ],
            )
    written[table] = first + len(rows)
