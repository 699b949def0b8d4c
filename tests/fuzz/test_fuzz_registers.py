"""Property: every mutated register file (the synthetic fixtures of each of the nine register
kinds) ends in a TemplateRefused naming its problems or in rows that an independent reading
agrees with; never an escaping exception. The parser alone, no database."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policeplan.sources.local_template import TemplateRefused
from policeplan.sources.register_specs import SPECS
from policeplan.sources.registers import RegisterAllowed, parse_register
from tests.fuzz.conftest import fuzz
from tests.fuzz.mutations import (
    Mutated,
    byte_mutation,
    csv_mutation,
    encoding_mutation,
    mutated,
    wrapping,
)
from tests.fuzz.test_fuzz_parsers import classified

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
AREAS = ["Leicester", "Charnwood", "Melton", "Rutland", "E07000130"]
BODIES = ["corporate-governance-board", "The Corporate Governance Board", "jarap"]
ALLOWED = RegisterAllowed(
    {a.lower(): a for a in AREAS}, {b.lower(): b for b in BODIES}, dt.date(2026, 11, 26)
)


def register_outcome(kind: str, item: Mutated) -> str:
    try:
        rows = parse_register(SPECS[kind], item.name, item.data, ALLOWED)
    except TemplateRefused as exc:
        assert exc.problems and exc.name == item.name
        assert all(problem.message for problem in exc.problems)
        return "clear error"
    # Accepted: one typed row for each data row an independent reading finds with content.
    text = item.data.decode("utf-8-sig")
    found = [r for r in csv.reader(io.StringIO(text, newline=""))][1:]
    assert len(rows) == sum(1 for r in found if any(c.strip() for c in r))
    for row in rows:
        for column in ("latitude", "longitude"):
            value = row.values.get(column)
            assert value is None or -90 <= value <= 90
    return "correct import"


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_fuzz_register_parser(kind: str) -> None:
    seed = Mutated(f"synthetic-{kind}.csv", (FIXTURES / f"synthetic-{kind}.csv").read_bytes())
    assert register_outcome(kind, seed) == "correct import"

    @fuzz
    @given(mutated(seed, csv_mutation, byte_mutation, encoding_mutation, wrapping))
    def run(item: Mutated) -> None:
        classified("register parser", lambda i: register_outcome(kind, i), item)

    run()


def test_row6_register_coordinates_are_parsed_strictly() -> None:
    """'5_3.1' was read as 53.1 (Decimal() takes underscores, like float())."""
    data = (FIXTURES / "synthetic-places.csv").read_bytes().replace(b"52.6330", b"5_2.6330")
    with pytest.raises(TemplateRefused) as caught:
        parse_register(SPECS["places"], "places.csv", data, ALLOWED)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "latitude")
    assert problem.message.startswith("'5_2.6330' is not a number")


@given(st.sampled_from(["١٢", "1_000", "1e3", "NaN"]))
def test_money_is_ascii_digits(text: str) -> None:
    rows = list(csv.reader(io.StringIO((FIXTURES / "synthetic-grants.csv").read_text())))
    column = next(i for i, name in enumerate(rows[0]) if "amount" in name)
    rows[1][column] = text
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    with pytest.raises(TemplateRefused):
        parse_register(SPECS["grants"], "grants.csv", out.getvalue().encode(), ALLOWED)
