"""Check an .xlsx workbook's size before any spreadsheet library loads it (ADR 0014).

A workbook names its own extent: one cell at ``XFD1048576`` in a 180 KB file makes a reader
that builds the sheet as a grid (python-calamine) allocate 17 billion cells. So before a
workbook is handed to calamine or openpyxl, :func:`check_workbook` streams every XML part
through the capped decompression of :mod:`policeplan.sources.compression` and an expat parser
(no DTDs, so no entity expansion), and measures each sheet from the cells it actually holds and
the ``<dimension>`` it declares. A sheet beyond the caller's :class:`SheetLimits` is refused
with a :class:`WorkbookRefused` naming the file, the sheet and the first cell beyond them;
nothing has been allocated for it. Pure Python, no Django.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from policeplan.sources.compression import (
    DecompressionRefused,
    Limits,
    iter_zip_member,
)

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_RELATIONSHIP_ID = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships id",
    "http://purl.oclc.org/ooxml/officeDocument/relationships id",
)
_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})\Z")

WORKBOOK_LIMITS = Limits(max_bytes=64 * 1024**2)
"""Caps on each XML part of a workbook: 64 MiB out (an ONS workbook's largest part is about
100 KB), and the usual ratio (their XML compresses about 12 times)."""


@dataclass(frozen=True)
class SheetLimits:
    """The largest sheet a reader accepts: rows, columns and cells (rows x columns, the grid a
    reader allocates), counted from A1."""

    max_rows: int
    max_columns: int
    max_cells: int


@dataclass
class SheetSize:
    """What a sheet holds: its name, its part in the zip and the extent of its cells."""

    name: str
    part: str
    rows: int = 0
    columns: int = 0
    cells: int = 0
    declared: str = ""  # the <dimension ref="..."> as written, if any


class WorkbookRefused(ValueError):
    """A workbook refused before it was loaded; names the file, sheet, row and column."""

    def __init__(
        self,
        file: str,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.sheet, self.row, self.column = file, sheet, row, column
        self.message = message
        where = [file]
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


def column_number(letters: str) -> int:
    """1-based column number of spreadsheet column letters ("A" -> 1, "XFD" -> 16384)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def column_letters(number: int) -> str:
    """Spreadsheet column letters of a 1-based column number (16384 -> "XFD")."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def check_workbook(
    file: str, data: bytes, limits: SheetLimits, *, parts: Limits = WORKBOOK_LIMITS
) -> list[SheetSize]:
    """Measure every sheet of an .xlsx workbook without loading it; refuse one too large.

    Raises :class:`WorkbookRefused` for a file that is not an .xlsx workbook, a part that fails
    the decompression caps, XML with a DTD or that is not well formed, or a sheet over
    ``limits`` (naming the first cell beyond them)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRefused(file, f"not a readable .xlsx workbook ({exc})") from None
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise WorkbookRefused(
                file, "not an .xlsx workbook (no xl/workbook.xml): save it as .xlsx"
            )
        sheet_names = _sheet_names(file, archive, parts)
        sizes = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            label = sheet_names.get(info.filename)
            scan = _SheetScan(file, label or info.filename, info.filename, limits)
            if info.filename.endswith((".xml", ".rels", ".vml")):
                scan.feed_all(_chunks(file, archive, info, parts))
            else:  # images and other binary parts: checked by the caps, never parsed
                for _ in _chunks(file, archive, info, parts):
                    pass
            if label is not None or scan.size.cells:
                sizes.append(scan.size)
    return sizes


def _chunks(
    file: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, parts: Limits
) -> Iterator[bytes]:
    """The chunks of one part, with decompression refusals turned into WorkbookRefused."""
    try:
        yield from iter_zip_member(file, archive, info, limits=parts)
    except DecompressionRefused as exc:
        raise WorkbookRefused(file, f"{exc.layer}: {exc.message}") from None


def _parser(file: str, part: str) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")

    def no_dtd(*_: object) -> None:
        raise WorkbookRefused(file, f"part {part} declares a DTD, which a workbook never needs")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    return parser


def _parse_part(file: str, part: str, chunks: Iterable[bytes], parser: expat.XMLParserType) -> None:
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise WorkbookRefused(file, f"part {part} is not well-formed XML ({exc})") from None


def _sheet_names(file: str, archive: zipfile.ZipFile, parts: Limits) -> dict[str, str]:
    """Part name -> sheet name, from xl/workbook.xml and its relationships."""
    ids: dict[str, str] = {}
    targets: dict[str, str] = {}

    def on_sheet(name: str, attributes: dict[str, str]) -> None:
        if name.endswith(" sheet") and name.split(" ")[0] in _MAIN:
            rid = next((attributes[a] for a in _RELATIONSHIP_ID if a in attributes), None)
            if rid is not None:
                ids[rid] = attributes.get("name", "")

    def on_relationship(name: str, attributes: dict[str, str]) -> None:
        if name.endswith(" Relationship") and "Id" in attributes and "Target" in attributes:
            target = attributes["Target"]
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[attributes["Id"]] = posixpath.normpath(path)

    for part, handler in (
        ("xl/workbook.xml", on_sheet),
        ("xl/_rels/workbook.xml.rels", on_relationship),
    ):
        if part not in archive.namelist():
            continue
        parser = _parser(file, part)
        parser.StartElementHandler = handler
        _parse_part(file, part, _chunks(file, archive, archive.getinfo(part), parts), parser)
    return {targets[rid]: name for rid, name in ids.items() if rid in targets}


@dataclass
class _SheetScan:
    """Follows the cells of one part (as a reader places them) and stops at the limits."""

    file: str
    label: str
    part: str
    limits: SheetLimits
    size: SheetSize = field(init=False)
    row: int = 0
    column: int = 0

    def __post_init__(self) -> None:
        self.size = SheetSize(self.label, self.part)

    def feed_all(self, chunks: Iterable[bytes]) -> None:
        parser = _parser(self.file, self.part)
        parser.StartElementHandler = self.start
        _parse_part(self.file, self.part, chunks, parser)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace not in _MAIN:
            return
        if local == "row":
            # Only cells are measured: an empty row element allocates nothing in a reader.
            self.row = _number(attributes.get("r")) or self.row + 1
            self.column = 0
        elif local == "c":
            reference = _CELL_REF.match(attributes.get("r", ""))
            if reference:
                self.column = column_number(reference[1])
                self.row = int(reference[2])
            else:  # cells may omit their reference: the next column of the current row
                self.column += 1
                self.row = max(self.row, 1)
            self.size.cells += 1
            self._reach(self.row, self.column)
        elif local == "dimension":
            self.size.declared = attributes.get("ref", "")
            last = self.size.declared.rpartition(":")[2]
            reference = _CELL_REF.match(last)
            if reference:
                self._reach(int(reference[2]), column_number(reference[1]), declared=True)

    def _reach(self, row: int, column: int, *, declared: bool = False) -> None:
        rows, columns = max(self.size.rows, row), max(self.size.columns, column)
        limits = self.limits
        problem = None
        if rows > limits.max_rows:
            problem = f"more than {limits.max_rows:,} rows"
        elif columns > limits.max_columns:
            problem = f"more than {limits.max_columns:,} columns"
        elif rows * columns > limits.max_cells:
            problem = f"more than {limits.max_cells:,} cells ({rows:,} rows by {columns:,} columns)"
        elif self.size.cells > limits.max_cells:
            problem = f"more than {limits.max_cells:,} cells"
        if problem is not None:
            cell = f"{column_letters(column)}{row}"
            how = (
                f"declares its extent as {self.size.declared}"
                if declared
                else f"has a cell at {cell}"
            )
            raise WorkbookRefused(
                self.file,
                f"the sheet {how}: {problem}; refused before loading the workbook",
                sheet=self.label,
                row=row,
                column=column_letters(column),
            )
        if not declared:
            self.size.rows, self.size.columns = rows, columns


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 8 else None
