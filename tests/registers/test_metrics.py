"""Headline metrics counted from the registers through the computation registry: recounted
here from the synthetic fixture files by hand (an independent route) and read back from the
open-data API and the metric page, after approval and after compute_metrics."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from policeplan.staff.models import Submission

from .conftest import fixture

pytestmark = pytest.mark.django_db

Publish = Callable[[str], Submission]


def _fy(day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    start = year if month >= 4 else year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _current_fy() -> str:
    return _fy(dt.date.today().isoformat())


def _figures(metric: str) -> dict[str, float]:
    url = f"/api/v1/observations?metric={metric}&series=register&area=E23000021&limit=5000"
    rows = Client().get(url).json()["results"]
    return {_fy(r["period_end"] + "-01"): r["value"] for r in rows}


def _rows(kind: str) -> list[dict[str, str]]:
    return list(csv.DictReader(StringIO(fixture(kind).read_text())))


def _years_from(first: str) -> list[str]:
    start, end = int(first[:4]), int(_current_fy()[:4])
    return [f"{y}/{(y + 1) % 100:02d}" for y in range(start, end + 1)]


def test_letters_to_government_and_mtfs_from_the_documents_register(published: Publish) -> None:
    assert _figures("published-letters-to-government") == {}
    published("documents")
    letters = Counter(_fy(r["date"]) for r in _rows("documents")
                      if r["type"] == "letter to government")  # fmt: skip
    assert letters == {"2024/25": 2}  # 2024-06-10 and 2025-01-20
    expected = {year: float(letters.get(year, 0)) for year in _years_from(min(letters))}
    assert _figures("published-letters-to-government") == expected
    mtfs = {_fy(r["date"]) for r in _rows("documents")
            if r["type"] == "medium term financial strategy"}  # fmt: skip
    first = min(_fy(r["date"]) for r in _rows("documents"))
    assert _figures("medium-term-financial-strategy") == {
        year: 1.0 if year in mtfs else 0.0 for year in _years_from(first)
    }


def test_places_and_visibility_from_the_estate_register(published: Publish) -> None:
    published("places")
    public = sum(1 for r in _rows("places") if r["public_access"] == "yes")
    assert public == 3
    assert _figures("places-public-can-engage") == {_current_fy(): 3.0}
    improved = Counter(_fy(r["visibility_increased"]) for r in _rows("places")
                       if r["visibility_increased"])  # fmt: skip
    assert improved == {"2024/25": 1, "2025/26": 1}
    assert _figures("assets-visibility-increased") == {
        year: float(improved.get(year, 0)) for year in _years_from("2024/25")
    }
    page = Client().get("/plans/llr-2024-2029/metrics/places-public-can-engage/")
    assert "Estate register: places open to the public, held now" in page.content.decode()


def test_compute_metrics_recounts_and_says_so(published: Publish) -> None:
    published("places")
    out = StringIO()
    call_command("compute_metrics", stdout=out)
    assert "4 register series counted" in out.getvalue()
    assert _figures("places-public-can-engage") == {_current_fy(): 3.0}
    rows = (
        Client()
        .get("/api/v1/observations?metric=places-public-can-engage&series=register")
        .json()["results"]
    )
    assert rows[0]["source_runs"] and rows[0]["import_run"] == rows[0]["source_runs"][-1]


@pytest.mark.parametrize(
    ("computation", "message"),
    [
        ({"counts": "places", "where": {"colour": "blue"}}, "has no column 'colour'"),
        ({"counts": "documents", "dated_by": "title"}, "'title' is not a date column"),
    ],
)
def test_a_register_count_names_real_columns(computation: dict, message: str) -> None:
    from pydantic import ValidationError

    from policeplan.catalogue.schema import RegisterCount

    with pytest.raises(ValidationError, match=message):
        RegisterCount.model_validate({"kind": "register_count", **computation})


def test_no_register_published_means_no_figure_not_zero(people: None) -> None:
    call_command("compute_metrics", stdout=StringIO())
    assert _figures("places-public-can-engage") == {}
    assert _figures("published-letters-to-government") == {}


def test_a_financial_year_still_running_does_not_make_other_figures_out_of_date(
    published: Publish,
) -> None:
    """The estate count for this financial year ends next March: a period still running is
    not newer data, so "current" stays the newest month that has ended."""
    published("places")
    api = Client().get("/api/v1/observations?metric=places-public-can-engage&area=E23000021")
    ends = [r["period_end"] for r in api.json()["results"]]
    this_month = dt.date.today().strftime("%Y-%m")
    assert ends and max(ends) > this_month  # a period still running is held
    page = Client().get("/plans/llr-2024-2029/metrics/homicide/").content.decode()
    named = re.search(r"newest figures held here \((\w+) (\d{4})\)", page)
    assert named, "the out-of-date warning names the newest month held"
    newest = dt.datetime.strptime(f"{named[1]} {named[2]}", "%B %Y").strftime("%Y-%m")
    assert newest <= this_month
    assert newest == max(e for e in _all_force_period_ends() if e <= this_month)


def _all_force_period_ends() -> list[str]:
    from policeplan.metrics.models import Observation

    ends = Observation.objects.published().filter(area__code="E23000021")
    return [d.strftime("%Y-%m") for d in ends.values_list("period_end", flat=True).distinct()]
