"""Observations: filters, paging with `next` links, CSV, provenance, gaps and publication."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from policeplan.analysis.periods import Month, month_range
from policeplan.catalogue.models import Plan
from policeplan.metrics.models import Observation
from policeplan.provenance.models import ImportRun

from .conftest import assert_csv_matches_json, get_json

pytestmark = pytest.mark.django_db

LEICESTERSHIRE = "E23000021"
BURGLARY_MONTHS = (
    "/api/v1/observations?metric=burglary&area=E23000021&period_kind=month&from=2024-04&to=2025-03"
)


def _burglary_months() -> list[Observation]:
    return list(
        Observation.objects.filter(
            metric__plan__slug="llr-2024-2029",
            metric__slug="burglary",
            series="police-uk",
            area__code=LEICESTERSHIRE,
            period_kind="month",
            period_end__range=(date(2024, 4, 1), date(2025, 3, 1)),
        ).order_by("period_end")
    )


def test_unfiltered_list_counts_every_published_observation(client: Client) -> None:
    page = get_json(client, "/api/v1/observations?limit=3")
    assert page["count"] == Observation.objects.count() > 0
    assert len(page["results"]) == 3
    assert page["previous"] is None


def test_following_next_links_visits_every_row_once(client: Client) -> None:
    url: str | None = "/api/v1/observations?limit=5000"
    keys = []
    while url:
        page = get_json(client, url)
        keys += [
            (r["plan"], r["metric"], r["series"], r["area_code"], r["period_kind"], r["period_end"])
            for r in page["results"]
        ]
        url = page["next"]
    assert len(keys) == len(set(keys)) == Observation.objects.count()


def test_paging_links_and_headers(client: Client) -> None:
    response = client.get("/api/v1/observations?metric=burglary&limit=10&offset=10")
    page = response.json()
    assert page["limit"] == 10 and page["offset"] == 10
    assert page["next"] == (
        "http://testserver/api/v1/observations?metric=burglary&limit=10&offset=20"
    )
    assert page["previous"] == (
        "http://testserver/api/v1/observations?metric=burglary&limit=10&offset=0"
    )
    assert response["Link"] == f'<{page["next"]}>; rel="next", <{page["previous"]}>; rel="prev"'
    first = get_json(client, "/api/v1/observations?metric=burglary&limit=20")["results"]
    assert page["results"] == first[10:]


def test_filter_by_metric_area_granularity_and_months(client: Client) -> None:
    expected = _burglary_months()
    assert expected, "the bundled data has burglaries in 2024/25"
    results = assert_csv_matches_json(client, BURGLARY_MONTHS)
    assert [r["period_end"] for r in results] == [
        str(Month.from_date(o.period_end)) for o in expected
    ]
    assert [r["value"] for r in results] == [o.value for o in expected]
    assert {r["metric"] for r in results} == {"burglary"}
    assert {r["area_code"] for r in results} == {LEICESTERSHIRE}
    assert {r["period_kind"] for r in results} == {"month"}
    assert all("2024-04" <= r["period_end"] <= "2025-03" for r in results)


def test_area_slug_works_like_its_code(client: Client) -> None:
    by_code = get_json(client, BURGLARY_MONTHS)
    by_slug = get_json(client, BURGLARY_MONTHS.replace("area=E23000021", "area=leicestershire"))
    assert by_slug["results"] == by_code["results"]


def test_missing_months_are_gaps_not_zeros(client: Client) -> None:
    url = "/api/v1/observations?metric=all-crime&area=E23000021&period_kind=month&limit=5000"
    results = get_json(client, url)["results"]
    months = [Month.parse(r["period_end"]) for r in results]
    every_month = month_range(min(months), max(months))
    assert len(months) < len(every_month), "the bundled data has missing months"
    assert all(r["value"] > 0 for r in results)


def test_series_and_granularity_filters(client: Client) -> None:
    for kind in ("month", "quarter", "financial_year", "rolling_12"):
        page = get_json(client, f"/api/v1/observations?period_kind={kind}&limit=1")
        assert page["count"] == Observation.objects.filter(period_kind=kind).count()
    page = get_json(client, "/api/v1/observations?series=police-uk-outcomes&limit=50")
    assert page["count"] == Observation.objects.filter(series="police-uk-outcomes").count()
    assert {r["series"] for r in page["results"]} == {"police-uk-outcomes"}


def test_quarter_and_rolling_rows_name_their_period(client: Client) -> None:
    quarter = get_json(client, "/api/v1/observations?period_kind=quarter&from=2025-03&to=2025-03")
    row = quarter["results"][0]
    assert (row["period"], row["period_start"], row["period_end"]) == (
        "Q4 2024/25",
        "2025-01",
        "2025-03",
    )
    latest = Observation.objects.filter(period_kind="rolling_12").first()
    assert latest is not None
    end = Month.from_date(latest.period_end)
    url = f"/api/v1/observations?period_kind=rolling_12&from={end}&to={end}"
    row = get_json(client, url)["results"][0]
    assert row["period"] == f"12 months to {end.label}"
    assert (row["period_start"], row["period_end"]) == (str(end - 11), str(end))


def test_rows_carry_provenance(client: Client) -> None:
    results = get_json(client, BURGLARY_MONTHS)["results"]
    run_ids = {run for r in results for run in r["source_runs"]}
    assert run_ids and all(r["import_run"] in r["source_runs"] for r in results)
    assert set(ImportRun.objects.filter(id__in=run_ids).values_list("id", flat=True)) == run_ids
    for r in results:
        assert r["numerator"] is None and r["denominator"] is None
        assert r["computed_at"].endswith("Z")


def test_rates_carry_numerator_and_denominator(client: Client) -> None:
    page = get_json(client, "/api/v1/observations?series=police-uk-outcomes&limit=20")
    assert any(r["denominator"] for r in page["results"])


def test_draft_plans_observations_are_not_published(client: Client) -> None:
    Plan.objects.filter(slug="llr-2024-2029").update(status="draft")
    assert get_json(client, "/api/v1/observations")["count"] == 0
    problem = get_json(client, "/api/v1/observations?metric=burglary", status=404)
    assert problem["detail"].startswith("No published plan 'llr-2024-2029'")
