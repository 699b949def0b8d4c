"""Hypothesis strategies that damage real files the way a hostile or careless user would:
truncation, byte flips, cell edits, huge values, bad encodings, zip and gzip wrapping.

Every strategy starts from the bytes of a real bundled file (or the app's own template) and
returns ``(name, bytes, what)``; ``what`` describes the mutations for the failure report."""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from hypothesis import strategies as st

NASTY_VALUES = [
    "",
    " ",
    "5_3.1",
    "1e30",
    "1E+30",
    "-1e30",
    "NaN",
    "inf",
    "-0",
    "1,000",
    "9" * 40,
    "x" * 5000,
    "\x00",
    "١٢",
    "\ufeff",
    '"',
    "\r\n",
    "=1+1",
    "😀",
    "2099-01",
    "0000-01",
    "Lincolnshire Police",
    "Jaywalking",
    "E01025631",
    "-1.215560",
    "52.619443",
]
nasty_text = st.one_of(st.sampled_from(NASTY_VALUES), st.text(max_size=30))


@dataclass
class Mutated:
    name: str
    data: bytes
    what: list[str] = field(default_factory=list)
    # Cells whose value was edited ((row, column) of a CSV, or a sheet part's cell reference).
    edited: set[object] = field(default_factory=set)

    def __repr__(self) -> str:
        return f"Mutated({self.name!r}, {len(self.data):,} bytes, {'; '.join(self.what)})"


# --- byte level -----------------------------------------------------------------------------


@st.composite
def byte_mutation(draw: st.DrawFn, item: Mutated) -> Mutated:
    data = bytearray(item.data)
    if not data:
        return item
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "duplicate"]))
    at = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        data = data[:at]
    elif kind == "flip":
        data[at] ^= draw(st.integers(1, 255))
    elif kind == "insert":
        data[at:at] = draw(st.binary(min_size=1, max_size=16))
    elif kind == "delete":
        del data[at : at + draw(st.integers(1, 64))]
    else:
        end = min(len(data), at + draw(st.integers(1, 4096)))
        data[at:at] = data[at:end]
    return Mutated(item.name, bytes(data), [*item.what, f"{kind} at byte {at}"], item.edited)


# --- CSV level ------------------------------------------------------------------------------


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


@st.composite
def csv_mutation(draw: st.DrawFn, item: Mutated) -> Mutated:
    """Edit the rows of a plain UTF-8 CSV: a cell, a huge value, a row dropped or doubled."""
    try:
        rows = _rows(item.data)
    except (UnicodeDecodeError, csv.Error):
        return item
    if len(rows) < 2:
        return item
    kind = draw(st.sampled_from(["cell", "cell", "huge", "drop row", "double row", "extra"]))
    row = draw(st.integers(0, len(rows) - 1))
    column = draw(st.integers(0, max(len(rows[row]) - 1, 0)))
    edited = set(item.edited)
    if kind in ("cell", "huge") and rows[row]:
        value = draw(nasty_text) if kind == "cell" else "9" * draw(st.integers(100, 200_000))
        rows[row][column] = value
        edited.add((row + 1, column))
        what = f"{kind}: row {row + 1} column {column + 1} = {value[:20]!r}"
    elif kind == "drop row":
        del rows[row]
        what = f"dropped row {row + 1}"
    elif kind == "double row":
        rows.insert(row, list(rows[row]))
        what = f"doubled row {row + 1}"
    else:
        rows[row].append(draw(nasty_text))
        what = f"extra cell on row {row + 1}"
    return Mutated(item.name, _csv(rows), [*item.what, what], edited)


@st.composite
def encoding_mutation(draw: st.DrawFn, item: Mutated) -> Mutated:
    encoding = draw(st.sampled_from(["latin-1", "utf-16", "cp1252", "utf-8-sig", "utf-32"]))
    try:
        data = item.data.decode("utf-8").encode(encoding, errors="replace")
    except UnicodeDecodeError:
        return item
    return Mutated(item.name, data, [*item.what, f"re-encoded as {encoding}"], item.edited)


# --- wrapping -------------------------------------------------------------------------------


@st.composite
def wrapping(draw: st.DrawFn, item: Mutated) -> Mutated:
    kind = draw(st.sampled_from(["gzip", "gzip in gzip", "stored gzip in gzip", "zip"]))
    data = item.data
    if kind == "gzip":
        data = gzip.compress(data, compresslevel=1)
    elif kind == "gzip in gzip":
        data = gzip.compress(gzip.compress(data, compresslevel=1), compresslevel=1)
    elif kind == "stored gzip in gzip":
        data = gzip.compress(gzip.compress(data, compresslevel=1), compresslevel=0)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{item.name[:7]}/{item.name}", data)
        data = buffer.getvalue()
    return Mutated(item.name, data, [*item.what, f"wrapped in {kind}"], item.edited)


# --- workbook level -------------------------------------------------------------------------

_VALUE_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"((?: [a-z]+="[^"]*")*)><v>([^<]*)</v></c>')


def rewrite_part(data: bytes, part: str, text: str) -> bytes | None:
    """The zip with one part replaced, or None when another part cannot be read."""
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                body = text.encode("utf-8") if info.filename == part else source.read(info)
                target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return None
    return out.getvalue()


@st.composite
def sheet_mutation(draw: st.DrawFn, item: Mutated) -> Mutated:
    """Edit a worksheet's XML: a number cell's value, a far cell, the declared extent."""
    try:  # an earlier mutation may have broken the zip: then there is nothing to edit
        with zipfile.ZipFile(io.BytesIO(item.data)) as archive:
            parts = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not parts:
                return item
            part = draw(st.sampled_from(parts))
            text = archive.read(part).decode("utf-8")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return item
    kind = draw(st.sampled_from(["number", "number", "text", "far cell", "dimension"]))
    cells = [m for m in _VALUE_CELL.finditer(text) if 't="' not in m.group(2)]
    edited = set(item.edited)
    if kind in ("number", "text") and cells:
        match = draw(st.sampled_from(cells))
        if kind == "number":
            value = draw(
                st.one_of(
                    st.sampled_from(["1E+30", "-1E+30", "1E+12", "999999999999", "1.5", "-3"]),
                    st.floats(allow_nan=False, allow_infinity=False).map(repr),
                )
            )
            body = f'<c r="{match[1]}"><v>{value}</v></c>'
        else:
            value = draw(nasty_text)
            escaped = value.replace("&", "&amp;").replace("<", "&lt;")
            escaped = "".join(c for c in escaped if c >= " " or c in "\t\n")
            body = f'<c r="{match[1]}" t="inlineStr"><is><t>{escaped}</t></is></c>'
        text = text[: match.start()] + body + text[match.end() :]
        edited.add((part, match[1]))
        what = f"{part} {match[1]} = {value[:20]!r}"
    elif kind == "far cell":
        cell = draw(st.sampled_from(["XFD1048576", "AZ1048576", "ZZ70000", "C100"]))
        row = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        text = text.replace(
            "</sheetData>", f'<row r="{row}"><c r="{cell}"><v>1</v></c></row></sheetData>'
        )
        edited.add((part, cell))
        what = f"{part}: a cell at {cell}"
    else:
        extent = draw(st.sampled_from(["A1:XFD1048576", "A1:B2", "A1:AZ1048576"]))
        text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{extent}"', text)
        what = f"{part}: dimension {extent}"
    data = rewrite_part(item.data, part, text)
    if data is None:
        return item
    return Mutated(item.name, data, [*item.what, what], edited)


def mutated(seed: Mutated, *layers: object, max_mutations: int = 3) -> st.SearchStrategy[Mutated]:
    """1..max_mutations mutations drawn from ``layers`` (functions of a Mutated to a strategy)."""

    @st.composite
    def build(draw: st.DrawFn) -> Mutated:
        item = seed
        for _ in range(draw(st.integers(1, max_mutations))):
            layer = draw(st.sampled_from(layers))
            item = draw(layer(item))  # type: ignore[operator]
        return item

    return build()
