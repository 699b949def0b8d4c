"""Metric pages with data, exceptions, national measures and coverage."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.test import Client

from policeplan.catalogue.models import Metric
from policeplan.metrics.models import Observation

pytestmark = pytest.mark.django_db

POLICE_UK_METRICS = [
    "burglary", "robbery", "vehicle-crime", "theft-from-the-person", "shoplifting",
    "violence-and-sexual-offences", "anti-social-behaviour", "business-crime-positive-outcomes",
    "positive-outcomes", "neighbourhood-crime",
]  # fmt: skip


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("slug", POLICE_UK_METRICS)
def test_police_uk_metric_pages_show_chart_table_and_comparison(client: Client, slug: str) -> None:
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug=slug)
    html = _html(client, metric.get_absolute_url())
    assert "Figures published" in html
    found = re.search(r'<script id="chart-\d+-spec" type="application/json">(.*?)</script>', html)
    assert found, "no chart spec on the page"
    spec = json.loads(found.group(1))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    months = [row["month"] for row in spec["data"]["values"]]
    assert months[0] == "2019-12" and months[-1] == "2025-12"
    gap = [row for row in spec["data"]["values"] if row["month"] == "2023-06"]
    assert gap and gap[0]["value"] is None  # a gap, not zero
    assert "No data published for this month (a gap, not zero)" in html
    assert "Compared with the previous 12 months" in html
    assert "Where these figures come from" in html


def test_metric_page_for_each_local_authority(client: Client) -> None:
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="burglary")
    html = _html(client, metric.get_absolute_url())
    assert "By local authority" in html
    for area in ["blaby", "leicester", "rutland"]:
        assert f'href="?area={area}"' in html
        page = _html(client, f"{metric.get_absolute_url()}?area={area}")
        assert "police.uk street-level crimes:" in page


def test_twelve_month_comparison_uses_latest_comparable_window(client: Client) -> None:
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="burglary")
    html = _html(client, metric.get_absolute_url())
    # December 2025 cannot be compared (2024 is missing); November 2022 can
    assert "12 months missing in the previous 12 months" in html
    current = Observation.objects.get(
        metric=metric, area__kind="force", period_kind="rolling_12", period_end=date(2022, 11, 1)
    ).value
    previous = Observation.objects.get(
        metric=metric, area__kind="force", period_kind="rolling_12", period_end=date(2021, 11, 1)
    ).value
    assert f"{current:,.0f} in 12 months to November 2022" in html
    assert f"{previous:,.0f} in 12 months to November 2021" in html


def test_lsoa_map_and_geojson(client: Client) -> None:
    html = _html(client, "/plans/llr-2024-2029/metrics/burglary/")
    assert "By neighbourhood area (LSOA)" in html
    response = client.get("/geography/leicestershire/lsoa.geojson?vintage=2011")
    assert response.status_code == 200
    assert len(response.json()["features"]) == 611
    # 611 - 23 replaced + 47 new codes; the default is the newest vintage held.
    assert len(client.get("/geography/leicestershire/lsoa.geojson").json()["features"]) == 635
    assert client.get("/geography/leicestershire/lsoa.geojson?vintage=1999").status_code == 404
    assert client.get("/geography/no-such-force/lsoa.geojson").status_code == 404


def test_exceptions_page_lists_metrics_with_data(client: Client) -> None:
    html = _html(client, "/exceptions/")
    assert "Exceptions" in html
    assert 'href="/plans/llr-2024-2029/metrics/burglary/"' in html


def test_national_measures_page(client: Client) -> None:
    html = _html(client, "/national-measures/")
    assert "Reduce neighbourhood crime" in html
    assert "Awaiting data" in html  # e.g. homicide, victim satisfaction
    assert 'href="/plans/llr-2024-2029/metrics/neighbourhood-crime/"' in html


def test_coverage_page_shows_the_gap_as_missing(client: Client) -> None:
    html = _html(client, "/data/coverage/")
    section = html[html.index('id="leicestershire-street"') :]
    assert "48 months held, 25 missing between December 2019 and December 2025" in section


def test_metric_page_links_to_the_same_data_as_csv(client: Client) -> None:
    html = _html(client, "/plans/llr-2024-2029/metrics/robbery/?area=rutland")
    found = re.search(r'href="(/api/v1/observations[^"]*format=csv)"', html)
    assert found, "no CSV download link"
    response = client.get(found.group(1).replace("&amp;", "&"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="robbery")
    held = Observation.objects.filter(
        metric=metric, area__slug="rutland", period_kind="month", series="police-uk"
    )
    assert len(lines) == held.count() + 1
    assert all(",robbery,police-uk," in line for line in lines[1:])


def test_national_measures_show_ons_homicide_figures(client: Client) -> None:
    html = _html(client, "/national-measures/")
    homicide = Observation.objects.filter(
        metric__slug="homicide", area__kind="force", area__force="leicestershire"
    ).latest("period_end")
    assert "12 months to December 2019" in html
    assert f"{homicide.value:,.0f}" in html
