"""Issue 11, row 6 (and row 7's file name): a police.uk file's content must match its name and
this deployment; numbers are parsed strictly. No database."""

from __future__ import annotations

from pathlib import Path

import pytest

from policeplan.sources.police_uk import (
    FileIdentity,
    FileKind,
    UnrecognisedFileName,
    identify,
    load_forces,
    parse_file,
)
from policeplan.sources.police_uk_content import KNOWN_CRIME_TYPES, ContentRules
from tests.sources.test_police_uk_parse import street, street_row

REPO = Path(__file__).resolve().parents[2]
FORCES = load_forces(REPO / "data" / "police_uk" / "forces.csv")
RULES = ContentRules(FORCES, "2026-11")
DERBYSHIRE = "2025-01-derbyshire-street.csv"
LINCOLNSHIRE = {"Reported by": "Lincolnshire Police", "Falls within": "Lincolnshire Police"}


def errors(name: str, data: bytes, rules: ContentRules = RULES) -> list[tuple[object, ...]]:
    result = parse_file(name, data, rules=rules)
    assert result.rows == [] or not result.errors
    return [(e.file, e.row, e.column, e.message) for e in result.errors]


def test_the_force_list_is_police_uks() -> None:
    geography = (REPO / "data" / "geography" / "forces.csv").read_text(encoding="utf-8")
    territorial = {line.split(",")[0] for line in geography.splitlines()[1:]}
    assert len(territorial) == 43 and territorial < set(FORCES)
    assert set(FORCES) - territorial == {"btp", "northern-ireland"}
    assert FORCES["btp"].falls_within_any and not FORCES["derbyshire"].falls_within_any


def test_row6_rows_of_another_force_in_a_file_named_for_derbyshire() -> None:
    rows = [street_row({"Month": "2025-01", **LINCOLNSHIRE})]
    named = "the file name's force, derbyshire (Derbyshire Constabulary)"
    hint = " (if data.police.uk has renamed it, add the name to data/police_uk/forces.csv)"
    assert errors(DERBYSHIRE, street(rows)) == [
        (DERBYSHIRE, 2, "Reported by", f"'Lincolnshire Police' is not {named}{hint}"),
        (DERBYSHIRE, 2, "Falls within", f"'Lincolnshire Police' does not match {named}"),
    ]
    own = {"Reported by": "Derbyshire Constabulary", "Falls within": "Derbyshire Constabulary"}
    assert parse_file(DERBYSHIRE, street([street_row(own)]), rules=RULES).ok


def test_a_renamed_force_is_configuration_not_code(tmp_path: Path) -> None:
    table = (REPO / "data" / "police_uk" / "forces.csv").read_text(encoding="utf-8")
    renamed = table.replace(
        "derbyshire,Derbyshire Constabulary,own,",
        "derbyshire,Derbyshire Constabulary,own,Derbyshire Police|Derby Constabulary",
    )
    (tmp_path / "forces.csv").write_text(renamed, encoding="utf-8")
    rules = ContentRules(load_forces(tmp_path / "forces.csv"), "2026-11")
    new_name = {"Reported by": "Derbyshire Police", "Falls within": "Derbyshire Police"}
    assert parse_file(DERBYSHIRE, street([street_row(new_name)]), rules=rules).ok
    assert not parse_file(DERBYSHIRE, street([street_row(new_name)]), rules=RULES).ok


def test_row6_british_transport_police_rows_fall_within_any_force() -> None:
    btp = {"Reported by": "British Transport Police", "Falls within": "Derbyshire Constabulary"}
    assert parse_file("2025-01-btp-street.csv", street([street_row(btp)]), rules=RULES).ok
    wrong = {**btp, "Falls within": "Atlantis Police"}
    [(_, row, column, _message)] = errors("2025-01-btp-street.csv", street([street_row(wrong)]))
    assert (row, column) == (2, "Falls within")


def test_row6_a_force_id_nobody_knows() -> None:
    name = "2025-01-atlantis-street.csv"
    assert errors(name, street([street_row()])) == [
        (
            name,
            None,
            None,
            "'atlantis' in the file name is not a data.police.uk force id (one of the 45 in "
            "data/police_uk/forces.csv)",
        )
    ]


def test_row6_a_month_after_the_current_one() -> None:
    name = "2099-01-leicestershire-street.csv"
    assert errors(name, street([street_row({"Month": "2099-01"})])) == [
        (name, None, None, "the file name's month 2099-01 is after the current month 2026-11")
    ]
    early = "2009-01-leicestershire-street.csv"
    assert errors(early, street([])) == [
        (early, None, None, "the file name's month 2009-01 is before data.police.uk's first "
                            "month, 2010-12")
    ]  # fmt: skip


def test_row6_an_invented_crime_type_unless_allowed() -> None:
    data = street([street_row({"Crime type": "Jaywalking"})])
    [(_, row, column, message)] = errors("2025-01-leicestershire-street.csv", data)
    assert (row, column) == (2, "Crime type")
    assert message == (
        "'Jaywalking' is not a data.police.uk crime type (if data.police.uk has added this "
        "category, import again with --allow-new-crime-type)"
    )
    allowing = ContentRules(FORCES, "2026-11", allow_new_crime_type=True)
    result = parse_file("2025-01-leicestershire-street.csv", data, rules=allowing)
    assert result.ok and result.rows[0].crime_type == "Jaywalking"  # type: ignore[union-attr]


def test_row6_the_known_crime_types_cover_every_real_file(shared_data_dir: Path) -> None:
    import csv
    import gzip

    seen = set()
    for path in sorted((shared_data_dir / "police_uk").rglob("*-street.csv.gz"))[::9]:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            seen |= {row["Crime type"] for row in csv.DictReader(handle)}
    assert len(seen) == 14 and seen <= KNOWN_CRIME_TYPES


def test_row6_latitude_with_an_underscore_is_an_error_not_53_1() -> None:
    assert float("5_3.1") == 53.1  # what the old parser stored
    data = street([street_row({"Latitude": "5_3.1"})])
    assert errors("2025-01-leicestershire-street.csv", data) == [
        (
            "2025-01-leicestershire-street.csv",
            2,
            "Latitude",
            "'5_3.1' is not a number (expected digits like -1.130254)",
        )
    ]


def test_row7_a_file_named_for_month_0000_is_a_clear_error() -> None:
    with pytest.raises(UnrecognisedFileName) as caught:
        identify("0000-01-leicestershire-street.csv")
    assert str(caught.value) == (
        "'0000-01-leicestershire-street.csv' is not a data.police.uk file name: '0000-01' is "
        "not a month"
    )


def test_without_rules_the_parser_still_reads_any_force() -> None:
    identity = FileIdentity("2025-01", "exampleshire", FileKind.STREET)
    assert parse_file("upload.csv", street([street_row()]), identity=identity).ok
