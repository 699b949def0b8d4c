"""ONS Police Force Area data tables: the parser against the eight real editions in
data/ons_pfa/, checked against published figures, an independent openpyxl reading and the
tables' own arithmetic; and error reporting on synthetic workbooks built here."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from policeplan.sources.ons_pfa import (
    OnsEdition,
    area_kind,
    clean_label,
    parse_workbook,
)
from policeplan.sources.ons_pfa_labels import latest_period_in_title, period_label_end

DATA = Path(__file__).resolve().parents[2] / "data" / "ons_pfa"
LEICESTERSHIRE = "E23000021"
TOTAL = "Total recorded crime (excluding fraud)"
KNIFE_TOTAL = "Total of selected serious offences"

# From /work/shared/data/README.md section 2 (Table P1, Leicestershire):
# file -> (period_end, total excl. fraud, violence against the person, robbery, burglary)
PUBLISHED = {
    "policeforceareatablesyearendingmarch2018v2.xlsx": ("2018-03", 81_960, 21_868, 880, 9_211),
    "policeforceareadatatablesyearendingjune2018corrected.xlsx": (
        "2018-06", 84_571, 23_454, 938, 8_901,
    ),
    "policeforceareatablesyearendingsep18corrected.xlsx": ("2018-09", 86_251, 24_780, 971, 8_690),
    "policeforceareatablesyearendingdecember2018.xlsx": ("2018-12", 87_167, 25_327, 1_019, 8_415),
    "policeforceareatablesyeendingmarch2019.xlsx": ("2019-03", 91_315, 27_464, 1_074, 8_345),
    "policeforceareatablesyearendingjune2019.xlsx": ("2019-06", 92_046, 27_840, 1_090, 8_282),
    "policeforceareatablesyearendingseptember2019.xlsx": (
        "2019-09", 93_499, 29_266, 1_094, 7_949,
    ),
}  # fmt: skip
DEC_2019 = "pfatablesdec19.xlsx"
ALL_FILES = [*PUBLISHED, DEC_2019]

OFFENCE_GROUPS = {
    TOTAL,
    "Violence against the person",
    "Homicide",
    "Violence with injury",
    "Violence without injury",
    "Stalking and harassment",
    "Death or serious injury - unlawful driving",
    "Sexual offences",
    "Robbery",
    "Theft offences",
    "Burglary",
    "Residential burglary",
    "Non-residential burglary",
    "Vehicle offences",
    "Theft from the person",
    "Bicycle theft",
    "Shoplifting",
    "Other theft offences",
    "Criminal damage and arson",
    "Drug offences",
    "Possession of weapons offences",
    "Public order offences",
    "Miscellaneous crimes against society",
}


@functools.cache
def edition(file_name: str) -> OnsEdition:
    return parse_workbook(file_name, (DATA / file_name).read_bytes())


@functools.cache
def openpyxl_book(file_name: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(DATA / file_name, data_only=True)


# --- real editions ------------------------------------------------------------------------


def test_all_eight_editions_are_bundled_with_attribution() -> None:
    assert sorted(p.name for p in DATA.glob("*.xlsx")) == sorted(ALL_FILES)
    attribution = (DATA / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in attribution
    )
    assert "Office for National Statistics" in attribution
    assert "RG-1427/Data-Analytics" in attribution


@pytest.mark.parametrize("file_name", list(PUBLISHED))
def test_leicestershire_p1_matches_published_figures(file_name: str) -> None:
    period_end, total, violence, robbery, burglary = PUBLISHED[file_name]
    ons = edition(file_name)
    assert ons.period_end == period_end
    assert ons.value("P1", LEICESTERSHIRE, TOTAL) == total
    assert ons.value("P1", LEICESTERSHIRE, "Violence against the person") == violence
    assert ons.value("P1", LEICESTERSHIRE, "Robbery") == robbery
    assert ons.value("P1", LEICESTERSHIRE, "Burglary") == burglary
    total_obs = ons.find("P1", LEICESTERSHIRE, TOTAL)
    assert (total_obs.area_name, total_obs.area_kind, total_obs.unit) == (
        "Leicestershire",
        "force",
        "count",
    )


def _independent_p1_figure(file_name: str, area_code: str, header_start: str) -> object:
    """Read a Table P1 cell with openpyxl, finding the row by area code and the column by the
    first header cell (in the rows above the data) whose text starts with ``header_start``."""
    book = openpyxl_book(file_name)
    sheet = next(ws for ws in book.worksheets if ws.title.strip() == "Table P1")
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    area_row = next(r for r in rows if str(r[0]).strip() == area_code)
    header_rows = rows[: rows.index(area_row)]
    column = next(
        i
        for row in header_rows
        for i, value in enumerate(row)
        if isinstance(value, str) and value.strip().startswith(header_start)
    )
    return area_row[column]


def test_dec_2019_leicestershire_matches_an_independent_reading() -> None:
    ons = edition(DEC_2019)
    for header_start, measure in (
        ("Total recorded crime", TOTAL),  # printed "Total recorded crime (excluding fraud3)"
        ("Violence against the person", "Violence against the person"),
        ("Robbery", "Robbery"),
        ("Burglary", "Burglary"),
    ):
        independent = _independent_p1_figure(DEC_2019, LEICESTERSHIRE, header_start)
        assert ons.value("P1", LEICESTERSHIRE, measure) == Decimal(str(independent))
    # What that independent reading gives (pinned so a change in both routes is noticed).
    assert ons.value("P1", LEICESTERSHIRE, TOTAL) == 91_242
    assert ons.value("P1", LEICESTERSHIRE, "Violence against the person") == 29_597
    assert ons.value("P1", LEICESTERSHIRE, "Robbery") == 1_061
    assert ons.value("P1", LEICESTERSHIRE, "Burglary") == 7_380


def test_period_comes_from_the_title_text() -> None:
    ons = edition(DEC_2019)  # the file name says only "dec19"
    assert (ons.period_start, ons.period_end) == ("2019-01", "2019-12")
    assert ons.title.endswith("number of offences, year ending December 2019")
    june_2018 = edition("policeforceareadatatablesyearendingjune2018corrected.xlsx")
    assert (june_2018.period_start, june_2018.period_end) == ("2017-07", "2018-06")
    assert june_2018.title.endswith("year ending June 18")  # "June 181,2" in the sheet


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("Table P1: ..., number of offences, year ending June 181,2", "2018-06"),
        ("Table P1: ..., number of offences, year ending March 181,2,3", "2018-03"),
        ("Table P1: ..., number of offences, year ending December 20191,2", "2019-12"),
        ("Table P2: year ending September 2018 compared with year ending September 20171,2", (
            "2018-09"
        )),
        ("Table P5: year ending March 2011 to year ending September 20191,2,3", "2019-09"),
        ("Table P1: offences in 2019", None),
    ],
)  # fmt: skip
def test_latest_period_in_title(title: str, period: str | None) -> None:
    assert latest_period_in_title(title) == period


@pytest.mark.parametrize("file_name", ALL_FILES)
def test_every_edition_has_the_same_offence_groups_in_p1_p2_p3(file_name: str) -> None:
    ons = edition(file_name)
    for table, units in (
        ("P1", {"count"}),
        ("P2", {"percent_change"}),
        ("P3", {"rate_per_1000"}),
    ):
        measures = {o.measure for o in ons.observations if o.table == table and o.unit in units}
        assert measures == OFFENCE_GROUPS, table
    p3_extras = {
        (o.measure, o.unit)
        for o in ons.observations
        if o.table == "P3" and o.unit != "rate_per_1000"
    }
    assert p3_extras == {
        ("Population", "population"),
        ("Households", "households"),
        ("Residential burglary", "rate_per_1000_households"),
    }


def _decimals_shown(number_format: str) -> int:
    """Decimal places an Excel number format shows, e.g. '#,##0.0' -> 1."""
    match = re.search(r"\.([0#]+)", number_format.split(";")[0])
    return len(match.group(1)) if match else 0


def _assert_rate_agrees(ons: OnsEdition, code: str, measure: str, unit: str) -> int:
    """Check a P3 rate against count / base * 1000 and return the decimals ONS shows.

    ONS divides by the unrounded mid-year estimate, but prints it rounded to the nearest 100,
    so the published rate must lie between count*1000/(base+50) and count*1000/(base-50),
    give or take half a unit of the precision it is shown to.
    """
    base_measure, base_unit = (
        ("Population", "population") if unit == "rate_per_1000" else ("Households", "households")
    )
    rate = ons.find("P3", code, measure, unit)  # type: ignore[arg-type]
    count = ons.value("P1", code, measure, "count")
    base = ons.value("P3", code, base_measure, base_unit)  # type: ignore[arg-type]
    assert rate.value is not None and count is not None and base is not None
    sheet = openpyxl_book(ons.file_name)[rate.sheet]
    decimals = _decimals_shown(sheet[rate.cell].number_format)
    half_unit = Decimal(5) / 10 ** (decimals + 1)
    lowest, highest = count * 1000 / (base + 50), count * 1000 / (base - 50)
    assert lowest - half_unit <= rate.value <= highest + half_unit, (code, measure, unit)
    return decimals


@pytest.mark.parametrize("file_name", ALL_FILES)
def test_p3_rates_agree_with_p1_counts_for_leicestershire(file_name: str) -> None:
    ons = edition(file_name)
    for measure in OFFENCE_GROUPS:
        decimals = _assert_rate_agrees(ons, LEICESTERSHIRE, measure, "rate_per_1000")
        assert decimals == 1
        # Leicestershire's figures are far enough from a rounding boundary to agree exactly
        # as printed.
        count = ons.value("P1", LEICESTERSHIRE, measure)
        population = ons.value("P3", LEICESTERSHIRE, "Population")
        rate = ons.value("P3", LEICESTERSHIRE, measure, "rate_per_1000")
        assert count is not None and population is not None and rate is not None
        assert round(count * 1000 / population, decimals) == round(rate, decimals)
    _assert_rate_agrees(ons, LEICESTERSHIRE, "Residential burglary", "rate_per_1000_households")


def test_p3_rates_agree_with_p1_counts_for_every_force_in_dec_2019() -> None:
    ons = edition(DEC_2019)
    checked = set()
    for obs in ons.observations:
        if obs.table != "P3" or obs.area_kind != "force" or obs.value is None:
            continue
        if obs.unit in ("rate_per_1000", "rate_per_1000_households"):
            assert obs.area_code is not None
            _assert_rate_agrees(ons, obs.area_code, obs.measure, obs.unit)
            checked.add(obs.area_code)
    # 43 forces less Greater Manchester ("..", no data) and City of London ("+", suppressed).
    assert len(checked) == 41
    assert ons.find("P3", "E23000005", TOTAL, "rate_per_1000").marker == ".."
    assert ons.find("P3", "E23000034", TOTAL, "rate_per_1000").marker == "+"


@pytest.mark.parametrize("file_name", ALL_FILES)
def test_knife_offences_total_for_leicestershire(file_name: str) -> None:
    ons = edition(file_name)
    count = ons.find("P4", LEICESTERSHIRE, KNIFE_TOTAL, "count")
    share = ons.find("P4", LEICESTERSHIRE, KNIFE_TOTAL, "percent")
    assert count.value is not None and count.value > 500
    assert share.value is not None and 0 < share.value < 100
    assert ons.find("P5", LEICESTERSHIRE, KNIFE_TOTAL, "percent_change").value is not None
    knife_kinds = {t.table: t.kind for t in ons.tables if t.kind.startswith("knife")}
    assert knife_kinds["P4"] == "knife_counts" and knife_kinds["P5"] == "knife_series"


def test_knife_tables_for_dec_2019() -> None:
    ons = edition(DEC_2019)
    assert ons.value("P4", LEICESTERSHIRE, KNIFE_TOTAL, "count") == 869
    assert ons.value("P4", LEICESTERSHIRE, "Robbery", "count") == 286
    knife_groups = {o.measure for o in ons.observations if o.table == "P4"}
    assert knife_groups == {
        KNIFE_TOTAL,
        "Attempted murder",
        "Threats to kill",
        "Assault with injury and assault with intent to cause serious harm",
        "Robbery",
        "Rape and sexual assault",
        "Homicide",
    }
    # P6's rate per 100,000 is P4's count over P3's population (rounded to 100).
    count = ons.value("P4", LEICESTERSHIRE, KNIFE_TOTAL, "count")
    population = ons.value("P3", LEICESTERSHIRE, "Population")
    rate = ons.value("P6", LEICESTERSHIRE, KNIFE_TOTAL, "rate_per_100000")
    assert count is not None and population is not None and rate is not None
    assert count * 100_000 / (population + 50) <= rate <= count * 100_000 / (population - 50)
    assert {t.table: t.kind for t in ons.tables}["P6"] == "knife_rates"


def test_area_kinds_and_rows_without_codes() -> None:
    ons = edition(DEC_2019)
    p1 = [o for o in ons.observations if o.table == "P1" and o.measure == TOTAL]
    kinds = {o.area_code: o.area_kind for o in p1}
    assert {c for c, k in kinds.items() if k == "country"} == {
        "K04000001",
        "E92000001",
        "W92000004",
    }
    assert len([c for c, k in kinds.items() if k == "region"]) == 9
    assert len([c for c, k in kinds.items() if k == "force"]) == 43
    btp = [o for o in p1 if o.area_code is None]
    assert [(o.area_name, o.area_kind, o.value) for o in btp] == [
        ("British Transport Police", "other", 70_516)
    ]
    names = {o.area_code: o.area_name for o in p1}
    assert names["K04000001"] == "ENGLAND AND WALES"  # "ENGLAND AND WALES7,8" in the sheet
    assert names["E23000028"] == "Essex"  # "Essex10"
    assert names["E12000002"] == "North West"  # "North West8"


def test_area_codes_with_glued_footnotes_are_read() -> None:
    # Table P2 of this edition prints South Yorkshire's code as "E230000118".
    ons = edition("policeforceareadatatablesyearendingjune2018corrected.xlsx")
    obs = ons.find("P2", "E23000011", TOTAL)
    assert (obs.area_name, obs.cell) == ("South Yorkshire", "C22")


def test_markers_are_kept_with_no_value() -> None:
    ons = edition(DEC_2019)
    gmp = ons.find("P1", "E23000005", TOTAL)
    assert (gmp.value, gmp.marker, gmp.suppressed) == (None, "..", True)
    assert gmp.marker_meaning == "not available"
    homicide_change = ons.find("P2", "E23000021", "Homicide")
    assert (homicide_change.value, homicide_change.marker) == (None, "-")
    assert homicide_change.marker_meaning is not None
    assert "fewer than 50" in homicide_change.marker_meaning
    assert ons.find("P1", LEICESTERSHIRE, TOTAL).suppressed is False


def test_skipped_sheets_are_listed() -> None:
    march_2018 = edition("policeforceareatablesyearendingmarch2018v2.xlsx")
    assert march_2018.skipped_sheets == (
        "Notes", "Table P6", "Table P7", "Table P8", "Table P9", "Table P10",
    )  # fmt: skip
    assert [t.table for t in march_2018.tables] == ["P1", "P2", "P3", "P4", "P5"]
    dec_2019 = edition(DEC_2019)
    assert dec_2019.tables[0].coverage == "England and Wales (excluding Greater Manchester Police)"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Stalking and harassment 5", "Stalking and harassment"),
        ("Stalking and harassment4", "Stalking and harassment"),
        ("Total recorded crime (excluding fraud3)", "Total recorded crime (excluding fraud)"),
        ("Total recorded crime (excluding fraud)3", "Total recorded crime (excluding fraud)"),
        ("ENGLAND AND WALES4,5,6,7,8,9,10,11", "ENGLAND AND WALES"),
        ("Residential burglary (households) 6,7,9", "Residential burglary (households)"),
        ("Non-residential  burglary5,6", "Non-residential burglary"),
        ("Number of\n offences\n involving a\n knife7", "Number of offences involving a knife"),
        ("year ending June 181,2", "year ending June 18"),
        ("year ending December 20191,2", "year ending December 2019"),
        ("Apr '10 to\n Mar '114", "Apr '10 to Mar '11"),
        ("Population figures\n (mid-2018)3  rounded to 100", (
            "Population figures (mid-2018) rounded to 100"
        )),
        # digits that belong to the label stay
        ("Table P1", "Table P1"),
        ("mid-2018", "mid-2018"),
        ("Rate per 100,000", "Rate per 100,000"),
        ("year ending March 2019", "year ending March 2019"),
        ("Adults aged 16", "Adults aged 16"),
        ("2019", "2019"),
        ("Dyfed-Powys4", "Dyfed-Powys"),
        ("London, City of", "London, City of"),
    ],
)  # fmt: skip
def test_clean_label(text: str, cleaned: str) -> None:
    assert clean_label(text) == cleaned


def test_period_label_end() -> None:
    assert period_label_end("Jan '19 to Dec '19") == "2019-12"
    assert period_label_end("Apr '10 to\n Mar '114") == "2011-03"
    assert period_label_end("Total of selected serious offences") is None


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("E23000021", "Leicestershire", "force"),
        ("W15000004", "Dyfed-Powys", "force"),
        ("E12000004", "East Midlands", "region"),
        ("K04000001", "ENGLAND AND WALES", "country"),
        ("E92000001", "ENGLAND", "country"),
        ("W92000004", "WALES", "country"),
        (None, "British Transport Police", "other"),
        (None, "Action Fraud", "other"),
        (None, "England and Wales (excluding Greater Manchester Police)", "other"),
        (None, "England and Wales", "country"),
    ],
)
def test_area_kind(code: str | None, name: str, kind: str) -> None:
    assert area_kind(code, name) == kind
