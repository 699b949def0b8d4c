"""Text helpers for the ONS Police Force Area tables: footnote digits, periods, offence groups.

ONS glues footnote references straight onto words ("Stalking and harassment4",
"year ending June 181,2", "Total recorded crime (excluding fraud3)"). These helpers take them
off without eating digits that belong to the label (years, "'11", "1,000", "P1", "aged 16").
Pure Python: no Django, no spreadsheet library.
"""

from __future__ import annotations

import re

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBREVIATIONS = {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}
_MONTH_WORDS = set(MONTHS) | set(_MONTH_ABBREVIATIONS)

# Words that are followed by a number which is part of the label ("rounded to 100",
# "aged 16"), so a trailing number after them is never a footnote.
_NUMBER_TAKING_WORDS = {
    "to", "per", "over", "under", "aged", "age", "stage", "wave", "phase", "tier", "level",
    "part", "group", "table", "section", "category", "annex", "appendix", "version", "v",
    "and", "or", "from", "than", "between",
}  # fmt: skip
_LARGEST_FOOTNOTE = 30

_TRAILING_NUMBERS = re.compile(r"^(?P<body>.*?)(?P<numbers>\d+(?:\s*,\s*\d+)*)$", re.DOTALL)
_FOOTNOTE_BEFORE_CLOSE = re.compile(r"(?<=[A-Za-z]{2})\d{1,2}(?:,\d{1,2})*(?=\))")
_FOOTNOTE_AFTER_CLOSE = re.compile(r"(?<=\))\d{1,2}(?:,\d{1,2})*(?=\s)")
_SHORT_CODE = re.compile(r"(?:^|\s)[A-Z]{1,2}$")
_YEAR_ENDING = re.compile(r"year\s+ending\s+([A-Za-z]+)\s+(\d+)", re.IGNORECASE)
_PERIOD_LABEL_END = re.compile(r"([A-Za-z]{3,9})\.?\s*'\s*(\d{2})$")


def clean_label(text: object) -> str:
    """Return a header or area name with whitespace tidied and glued footnote digits removed.

    "Stalking and harassment 5" -> "Stalking and harassment";
    "Total recorded crime (excluding fraud3)" -> "Total recorded crime (excluding fraud)";
    "ENGLAND AND WALES7,8" -> "ENGLAND AND WALES"; "year ending June 181,2" -> "year ending
    June 18"; "Apr '10 to Mar '114" -> "Apr '10 to Mar '11". Digits that belong to the label
    are kept: "mid-2018", "March 2019", "Rate per 1,000", "rounded to 100", "Table P1".
    """
    label = " ".join(str(text).split())
    label = _FOOTNOTE_BEFORE_CLOSE.sub("", label)
    label = _FOOTNOTE_AFTER_CLOSE.sub("", label)
    label = " ".join(label.split())
    return _strip_trailing_footnotes(label)


def _strip_trailing_footnotes(label: str) -> str:
    match = _TRAILING_NUMBERS.match(label)
    if not match:
        return label
    body, numbers = match.group("body"), match.group("numbers")
    first = re.match(r"\d+", numbers)
    assert first is not None  # the pattern guarantees a leading digit run
    digits = first.group()
    if body.endswith("'"):  # a two-digit year such as "Mar '114": keep "'11"
        return (body + digits[:2]).rstrip() if len(digits) >= 2 else label
    words = body.split()
    if words and words[-1].lower() in _MONTH_WORDS and body.endswith(" "):
        year = _split_year(digits)
        return label if year is None else body + year[0]
    last = body[-1:]
    if not (last == ")" or last.isalpha() or last.isspace()):
        return label  # "mid-2018", "1,000", "2019": the number is the label
    if last.isalpha() and _SHORT_CODE.search(body):
        return label  # "Table P1", "Annex A4": a reference code, not a footnote
    references = [int(part) for part in re.findall(r"\d+", numbers)]
    if any(ref > _LARGEST_FOOTNOTE or ref == 0 for ref in references):
        return label
    if last.isspace() and words and words[-1].lower() in _NUMBER_TAKING_WORDS:
        return label
    return body.rstrip()


def _split_year(digits: str) -> tuple[str, str] | None:
    """Split a year with glued footnotes: "20191" -> ("2019", "1"), "181" -> ("18", "1")."""
    if len(digits) >= 4 and digits[:2] in ("19", "20"):
        return digits[:4], digits[4:]
    if len(digits) >= 2:
        return digits[:2], digits[2:]
    return None


def month_number(name: str) -> int | None:
    """Month number for a month name or abbreviation ("June", "Jun", "Sept"), else None."""
    key = name.strip().rstrip(".").lower()
    return MONTHS.get(key) or _MONTH_ABBREVIATIONS.get(key)


def year_month(year: int, month: int) -> str:
    """Format a month as 'YYYY-MM'."""
    return f"{year:04d}-{month:02d}"


def add_months(period: str, months: int) -> str:
    """Shift a 'YYYY-MM' month by a whole number of months (negative goes back)."""
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + (month - 1) + months
    return year_month(index // 12, index % 12 + 1)


def periods_in_title(title: str) -> list[str]:
    """Every "year ending <month> <year>" in a title, as 'YYYY-MM' end months, in order.

    Footnote digits glued to the year are dropped: "year ending June 181,2" -> "2018-06",
    "year ending December 20191,2" -> "2019-12". A four-digit year is preferred when the digits
    start 19 or 20 and there are at least four of them.
    """
    found = []
    for month_name, digits in _YEAR_ENDING.findall(title):
        month = month_number(month_name)
        year = _split_year(digits)
        if month is None or year is None:
            continue
        found.append(year_month(_full_year(year[0]), month))
    return found


def latest_period_in_title(title: str) -> str | None:
    """The latest "year ending" month in a title ('YYYY-MM'), or None if it names none."""
    periods = periods_in_title(title)
    return max(periods) if periods else None


def period_label_end(label: str) -> str | None:
    """End month of a column label such as "Jan '19 to Dec '19" -> '2019-12', else None."""
    match = _PERIOD_LABEL_END.search(clean_label(label))
    if not match:
        return None
    month = month_number(match.group(1))
    if month is None:
        return None
    return year_month(_full_year(match.group(2)), month)


def _full_year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


# Offence-group headers are not spelt the same in every table (P2 has the typo "Residental";
# P1 says "Other theft offences" where P2/P3 say "All other theft offences").
OFFENCE_GROUP_ALIASES = {
    "residental burglary": "Residential burglary",
    "all other theft offences": "Other theft offences",
    "miscellaneous crimes": "Miscellaneous crimes against society",
    "stalking and harrassment": "Stalking and harassment",
}


def canonical_offence_group(header: str) -> str:
    """The offence-group name for a table header, footnotes removed and spellings unified."""
    label = clean_label(header)
    return OFFENCE_GROUP_ALIASES.get(label.lower(), label)
