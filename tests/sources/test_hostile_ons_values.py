"""Issue 11, row 7: an ONS figure out of range for its column (1e30) is a clear error naming
sheet, row and column; numbers in text cells are parsed strictly. No database."""

from __future__ import annotations

import re

import pytest

from policeplan.sources.ons_pfa import OnsPfaWorkbookInvalid, parse_workbook
from policeplan.sources.ons_pfa_sheet import MAX_FIGURE
from tests.sources.test_hostile_sheets import EDITION, ons_bytes, part_of, rewrite_part


def with_value(cell: str, value: str, *, text: bool = False) -> bytes:
    """The real edition with one Table P1 figure cell replaced by ``value``."""

    def change(xml: str) -> str:
        pattern = re.compile(rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
        body = (
            f'<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>'
            if text
            else f'<c r="{cell}"><v>{value}</v></c>'
        )
        changed, count = pattern.subn(body, xml)
        assert count == 1
        return changed

    return rewrite_part(ons_bytes(), part_of("Table P1"), change)


def figure_cell() -> tuple[str, str]:
    """A cell of Table P1 that holds a number, and the column's header."""
    edition = parse_workbook(EDITION, ons_bytes())
    obs = next(o for o in edition.observations if o.table == "P1" and o.value is not None)
    return obs.cell, obs.column_header


def test_row7_an_ons_value_of_1e30_names_sheet_row_and_column() -> None:
    cell, _header = figure_cell()
    with pytest.raises(OnsPfaWorkbookInvalid) as caught:
        parse_workbook(EDITION, with_value(cell, "1E+30"))
    [error] = caught.value.errors
    letters, row = re.fullmatch(r"([A-Z]+)(\d+)", cell).groups()  # type: ignore[union-attr]
    assert (error.file, error.sheet, error.row, error.column) == (
        EDITION,
        "Table P1",
        int(row),
        letters,
    )
    assert error.message.startswith("1e+30 is out of range: a figure must be below 10^12")


@pytest.mark.parametrize("text", ["1_000", "NaN", " 1e3", "١٢"])
def test_numbers_written_as_text_are_parsed_strictly(text: str) -> None:
    cell, _header = figure_cell()
    with pytest.raises(OnsPfaWorkbookInvalid) as caught:
        parse_workbook(EDITION, with_value(cell, text, text=True))
    [error] = caught.value.errors
    assert error.message.startswith("expected a number in the")
    assert error.message.endswith(f"column, found {text.strip()!r}")


def test_the_limit_fits_the_column_that_stores_figures() -> None:
    from policeplan.official.models import OfficialObservation

    field = OfficialObservation._meta.get_field("value")
    assert 10 ** (field.max_digits - field.decimal_places) >= MAX_FIGURE  # type: ignore[union-attr,operator]
