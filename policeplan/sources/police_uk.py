"""Parse data.police.uk street, outcomes and stop-and-search CSV files into typed rows.

Pure Python, no Django, no side effects: bytes in, typed rows and a list of
:class:`ParseError` values out. Two ways in:

* :func:`parse_file` returns a :class:`ParseResult` holding every valid row in a list;
* :func:`iter_rows` returns a :class:`RowStream` that yields rows one at a time (for a bulk
  ``COPY``) and holds the errors once it has been read to the end.

Either way a file is all-or-nothing for an importer: rows with problems are left out and
reported, so a file with any error should be rejected as a whole (``run_import`` decides).

Tolerated: gzip compression (detected by its magic bytes, whatever the name), CRLF or LF line
endings, a UTF-8 byte-order mark. Everything else must match the published format exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from policeplan.sources.compression import DecompressionRefused, strip_gzip_layers
from policeplan.sources.police_uk_content import ContentRules, Force, load_forces, strict_decimal
from policeplan.sources.police_uk_formats import (
    HEADERS,
    LSOA_2021_FIRST_MONTH,
    FileIdentity,
    FileKind,
    OutcomeRow,
    ParseError,
    PoliceUkRow,
    StopAndSearchRow,
    StreetCrimeRow,
    UnrecognisedFileName,
    identify,
    local_authority_from_lsoa_name,
    lsoa_vintage_for_month,
    row_fields,
)
from policeplan.sources.police_uk_rows import (
    ColumnCheck,
    check_row,
    make_checks,
)
from policeplan.sources.police_uk_zip import (
    DEFAULT_MAX_COMPRESSION_RATIO,
    DEFAULT_MAX_TOTAL_BYTES,
    ZipArchiveError,
    ZipMember,
    iter_zip_members,
    list_zip_members,
)

__all__ = [
    "ContentRules",
    "Force",
    "DEFAULT_MAX_COMPRESSION_RATIO",
    "DEFAULT_MAX_ERRORS",
    "DEFAULT_MAX_TOTAL_BYTES",
    "LSOA_2021_FIRST_MONTH",
    "FileIdentity",
    "FileKind",
    "OutcomeRow",
    "ParseError",
    "ParseResult",
    "PoliceUkRow",
    "RowStream",
    "StopAndSearchRow",
    "StreetCrimeRow",
    "UnrecognisedFileName",
    "ZipArchiveError",
    "ZipMember",
    "identify",
    "iter_rows",
    "iter_zip_members",
    "list_zip_members",
    "load_forces",
    "local_authority_from_lsoa_name",
    "lsoa_vintage_for_month",
    "parse_file",
    "row_fields",
]

DEFAULT_MAX_ERRORS = 50
GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = "\ufeff"
_new_tuple = tuple.__new__


class _CsvReader(Protocol):
    """What the parser uses of a ``csv.reader`` (whose own type is private)."""

    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class RowStream:
    """Typed rows of one file, produced lazily; errors are complete once it is exhausted.

    Iterate it once. Afterwards ``errors`` holds the first ``max_errors`` problems,
    ``error_count`` the total and ``row_count`` the number of valid rows yielded.
    """

    def __init__(
        self,
        name: str,
        data: bytes,
        identity: FileIdentity,
        max_errors: int,
        gzip_layers_removed: int = 0,
        rules: ContentRules | None = None,
    ) -> None:
        self.file = name
        self.gzip_layers_removed = gzip_layers_removed
        self.rules = rules
        self.identity = identity
        self.max_errors = max_errors
        self.errors: list[ParseError] = []
        self.error_count = 0
        self.row_count = 0
        self._data: bytes | None = data
        self._bad_lines: set[int] = set()
        self._checks: list[ColumnCheck] = make_checks(identity, rules)
        # What the fast path accepts without asking check_row (None: anything non-empty).
        self._reporters = rules.reporters(identity) if rules else None
        self._falls_within = rules.falls_within(identity) if rules else None
        self._crime_types = rules.crime_types_for(identity.kind) if rules else None

    @property
    def more_errors(self) -> int:
        """How many errors were counted but not kept (beyond ``max_errors``)."""
        return self.error_count - len(self.errors)

    def __iter__(self) -> Iterator[PoliceUkRow]:
        data = self._data
        if data is None:
            raise RuntimeError(f"the rows of {self.file} have already been read")
        self._data = None
        return self._rows(data)

    def _error(self, row: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < self.max_errors:
            self.errors.append(ParseError(self.file, row, column, message))

    # --- bytes to text ------------------------------------------------------------------------

    def _text(self, data: bytes) -> str | None:
        try:
            data = strip_gzip_layers(self.file, data, removed=self.gzip_layers_removed)
        except DecompressionRefused as exc:
            self._error(None, None, f"{exc.layer}: {exc.message}")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self._find_bad_utf8(data)
            text = data.decode("utf-8", errors="replace")
        if text.startswith(_UTF8_BOM):
            text = text[1:]
        if not text.strip():
            header = ",".join(HEADERS[self.identity.kind])
            self._error(None, None, f"the file is empty: expected a header row '{header}'")
            return None
        if "\x00" in text:  # the csv module accepts NUL, but in these files it means damage
            for number, line in enumerate(io.StringIO(text, newline=""), start=1):
                if "\x00" in line:
                    self._bad_lines.add(number)
                    self._error(number, None, "contains a NUL character (is the file damaged?)")
        return text

    def _find_bad_utf8(self, data: bytes) -> None:
        """Record each line holding bytes that are not UTF-8, naming the column if possible."""
        header = HEADERS[self.identity.kind]
        # bytes.splitlines breaks on \r\n, \r and \n: the same lines the CSV reader counts.
        for number, line in enumerate(data.splitlines(), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                self._bad_lines.add(number)
                bad = line[exc.start : exc.start + 1].hex()
                prefix = line[: exc.start].decode("utf-8", errors="replace")
                index = len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0
                column = header[index] if number > 1 and index < len(header) else None
                self._error(number, column, f"contains byte 0x{bad} which is not valid UTF-8 text")

    # --- text to rows -------------------------------------------------------------------------

    def _rows(self, data: bytes) -> Iterator[PoliceUkRow]:
        if self.rules is not None:
            problems = self.rules.file_problems(self.identity)
            for problem in problems:
                self._error(None, None, problem)
            if problems:
                return
        text = self._text(data)
        if text is None:
            return
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except csv.Error as exc:
            self._error(1, None, f"the header row cannot be read as CSV ({exc})")
            return
        if 1 in self._bad_lines or not self._header_ok(header):
            return
        while True:
            try:
                for row in self._row_generator(reader):
                    self.row_count += 1
                    yield row
                break
            except csv.Error as exc:  # e.g. an over-long field: report it, go on to the next
                self._error(reader.line_num, None, f"cannot be read as CSV ({exc})")

    def _row_generator(self, reader: _CsvReader) -> Iterator[PoliceUkRow]:
        kind = self.identity.kind
        if kind is FileKind.STREET:
            return self._street_rows(reader)
        if kind is FileKind.OUTCOMES:
            return self._outcome_rows(reader)
        return self._checked_rows(reader)

    def _header_ok(self, found: list[str]) -> bool:
        expected = list(HEADERS[self.identity.kind])
        if found == expected:
            return True
        missing = [name for name in expected if name not in found]
        unexpected = [name for name in found if name not in expected]
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"'{name}'" for name in missing))
        if unexpected:
            parts.append("unexpected " + ", ".join(f"'{name}'" for name in unexpected))
        if not parts:
            parts.append("columns are in the wrong order or repeated")
        kind = self.identity.kind.value
        self._error(
            1, None, f"the header is not a data.police.uk {kind} header: " + "; ".join(parts)
        )
        return False

    def _undecodable(self, first: int, last: int) -> bool:
        """True if the row spans a line that is not text (already reported)."""
        return any(line in self._bad_lines for line in range(first, last + 1))

    def _report_blank(self, lines: list[int]) -> None:
        for line in lines:
            self._error(line, None, "the line is blank")
        lines.clear()

    def _street_rows(self, reader: _CsvReader) -> Iterator[StreetCrimeRow]:
        # The hot loop for ~2 M rows: the common case is checked inline and anything unusual
        # goes to check_row(), which re-checks every column and reports each problem.
        month = self.identity.month
        reporters, falls_within = self._reporters, self._falls_within
        crime_types, decimal = self._crime_types, strict_decimal
        width = len(HEADERS[FileKind.STREET])
        last = reader.line_num
        blank_lines: list[int] = []
        for fields in reader:
            first, last = last + 1, reader.line_num
            if not fields:
                blank_lines.append(first)
                continue
            if blank_lines:  # blank lines are only harmless at the very end of the file
                self._report_blank(blank_lines)
            if self._bad_lines and self._undecodable(first, last):
                continue
            if len(fields) == width:
                cid, mon, rep, falls, lon, lat, loc, code, lname, ctype, outcome, ctx = fields
                if (
                    mon == month
                    and rep
                    and falls
                    and ctype
                    and (reporters is None or rep in reporters)
                    and (falls_within is None or falls in falls_within)
                    and (crime_types is None or ctype in crime_types)
                    and (not lon or decimal(lon))
                    and (not lat or decimal(lat))
                ):
                    x = float(lon) if lon else None
                    y = float(lat) if lat else None
                    if (x is None or -180.0 <= x <= 180.0) and (y is None or -90.0 <= y <= 90.0):
                        yield _new_tuple(
                            StreetCrimeRow,
                            (
                                cid or None, mon, rep, falls, x, y, loc or None, code or None,
                                lname or None, ctype, outcome or None, ctx or None,
                            ),
                        )  # fmt: skip
                        continue
            checked = self._checked(first, fields)
            if checked is not None:
                yield StreetCrimeRow._make(checked)

    def _outcome_rows(self, reader: _CsvReader) -> Iterator[OutcomeRow]:
        month = self.identity.month
        reporters, falls_within, decimal = self._reporters, self._falls_within, strict_decimal
        width = len(HEADERS[FileKind.OUTCOMES])
        last = reader.line_num
        blank_lines: list[int] = []
        for fields in reader:
            first, last = last + 1, reader.line_num
            if not fields:
                blank_lines.append(first)
                continue
            if blank_lines:  # blank lines are only harmless at the very end of the file
                self._report_blank(blank_lines)
            if self._bad_lines and self._undecodable(first, last):
                continue
            if len(fields) == width:
                cid, mon, rep, falls, lon, lat, loc, code, lname, otype = fields
                if (
                    mon == month
                    and cid
                    and rep
                    and falls
                    and otype
                    and (reporters is None or rep in reporters)
                    and (falls_within is None or falls in falls_within)
                    and (not lon or decimal(lon))
                    and (not lat or decimal(lat))
                ):
                    x = float(lon) if lon else None
                    y = float(lat) if lat else None
                    if (x is None or -180.0 <= x <= 180.0) and (y is None or -90.0 <= y <= 90.0):
                        yield _new_tuple(
                            OutcomeRow,
                            (
                                cid, mon, rep, falls, x, y, loc or None, code or None,
                                lname or None, otype,
                            ),
                        )  # fmt: skip
                        continue
            checked = self._checked(first, fields)
            if checked is not None:
                yield OutcomeRow._make(checked)

    def _checked_rows(self, reader: _CsvReader) -> Iterator[StopAndSearchRow]:
        last = reader.line_num
        blank_lines: list[int] = []
        for fields in reader:
            first, last = last + 1, reader.line_num
            if not fields:
                blank_lines.append(first)
                continue
            if blank_lines:  # blank lines are only harmless at the very end of the file
                self._report_blank(blank_lines)
            if self._bad_lines and self._undecodable(first, last):
                continue
            checked = self._checked(first, fields)
            if checked is not None:
                # Stop and search has no Month column: data.police.uk files each search under
                # the file's month, which check_row has confirmed agrees with its Date.
                checked.insert(2, self.identity.month)
                yield StopAndSearchRow._make(checked)

    def _checked(self, line: int, fields: list[str]) -> list[object] | None:
        """Convert a row column by column, reporting every problem; ``None`` if any."""
        values, problems = check_row(self._checks, fields)
        for column, message in problems:
            self._error(line, column, message)
        return None if problems else values


@dataclass
class ParseResult:
    """The outcome of parsing one file: valid rows plus every problem found."""

    file: str
    identity: FileIdentity
    rows: list[PoliceUkRow]
    errors: list[ParseError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        """True if the file had no problems at all."""
        return self.error_count == 0

    @property
    def more_errors(self) -> int:
        """How many errors were counted beyond those kept in ``errors``."""
        return self.error_count - len(self.errors)


def iter_rows(
    name: str,
    data: bytes,
    *,
    identity: FileIdentity | None = None,
    max_errors: int = DEFAULT_MAX_ERRORS,
    gzip_layers_removed: int = 0,
    rules: ContentRules | None = None,
) -> RowStream:
    """Stream the typed rows of one file (for a bulk COPY); see :class:`RowStream`.

    ``identity`` defaults to :func:`identify` applied to ``name`` (which raises
    :class:`UnrecognisedFileName` for a name that is not a data.police.uk name); pass it
    explicitly for an upload whose name does not follow the pattern. ``gzip_layers_removed``
    is how many gzip layers the caller already removed (for the layer count in errors).
    ``rules`` (:class:`ContentRules`) checks the content against the file's name and this
    deployment: known force, month not in the future, ``Reported by`` and ``Falls within``
    the named force's, known crime types.
    """
    return RowStream(name, data, identity or identify(name), max_errors, gzip_layers_removed, rules)


def parse_file(
    name: str,
    data: bytes,
    *,
    identity: FileIdentity | None = None,
    max_errors: int = DEFAULT_MAX_ERRORS,
    rules: ContentRules | None = None,
) -> ParseResult:
    """Parse one data.police.uk CSV (plain or gzip) into typed rows and errors."""
    stream = iter_rows(name, data, identity=identity, max_errors=max_errors, rules=rules)
    rows = list(stream)
    return ParseResult(
        file=name,
        identity=stream.identity,
        rows=rows,
        errors=stream.errors,
        error_count=stream.error_count,
    )
