"""Plans, plan detail, metrics and metric detail, as JSON and CSV."""

from __future__ import annotations

import pytest
from django.test import Client

from policeplan.catalogue.models import Metric, Plan, Strategy

from .conftest import assert_csv_matches_json, get_json

pytestmark = pytest.mark.django_db


def test_plans_lists_published_plans_as_json_and_csv(client: Client) -> None:
    results = assert_csv_matches_json(client, "/api/v1/plans")
    assert [r["slug"] for r in results] == ["llr-2024-2029", "leicestershire-2021-2024"]
    assert {r["status"] for r in results} == {"current", "previous"}
    assert results[0]["url"] == "http://testserver/api/v1/plans/llr-2024-2029"


def test_plans_filter_by_status(client: Client) -> None:
    page = get_json(client, "/api/v1/plans?status=previous")
    assert [r["slug"] for r in page["results"]] == ["leicestershire-2021-2024"]


def test_draft_plan_is_not_published(client: Client) -> None:
    Plan.objects.filter(slug="leicestershire-2021-2024").update(status="draft")
    page = get_json(client, "/api/v1/plans")
    assert [r["slug"] for r in page["results"]] == ["llr-2024-2029"]
    get_json(client, "/api/v1/plans/leicestershire-2021-2024", status=404)
    metrics = get_json(client, "/api/v1/metrics?limit=5000")["results"]
    assert {m["plan"] for m in metrics} == {"llr-2024-2029"}


def test_plan_detail_has_missions_strategies_and_their_metrics(client: Client) -> None:
    plan = Plan.objects.get(slug="llr-2024-2029")
    detail = get_json(client, "/api/v1/plans/llr-2024-2029")
    assert detail["vision"] == plan.vision
    assert [m["slug"] for m in detail["missions"]] == list(
        plan.missions.order_by("order").values_list("slug", flat=True)
    )
    strategies = {s["slug"]: s for m in detail["missions"] for s in m["strategies"]}
    neighbourhood = strategies["neighbourhood-crime"]
    assert {"burglary", "robbery"} <= set(neighbourhood["metrics"])
    strategy = Strategy.objects.get(mission__plan=plan, slug="neighbourhood-crime")
    assert neighbourhood["aims"] == strategy.aims
    assert neighbourhood["deliverables"] == strategy.deliverables
    assert neighbourhood["indicators"] == strategy.indicators


def test_metrics_list_every_published_metric_and_filters(client: Client) -> None:
    results = assert_csv_matches_json(client, "/api/v1/metrics?limit=5000")
    assert len(results) == Metric.objects.count()
    current = get_json(client, "/api/v1/metrics?plan=llr-2024-2029&limit=5000")["results"]
    assert len(current) == Metric.objects.filter(plan__slug="llr-2024-2029").count()
    headline = get_json(client, "/api/v1/metrics?plan=llr-2024-2029&headline=true&limit=5000")
    assert all(m["headline"] for m in headline["results"])
    burglary = next(m for m in current if m["slug"] == "burglary")
    assert burglary["series"] == ["police-uk", "ons-pfa"]
    assert burglary["strategy"] == "neighbourhood-crime"


def test_metric_detail_has_definition_source_polarity_and_series(client: Client) -> None:
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="burglary")
    detail = get_json(client, "/api/v1/metrics/burglary")
    assert detail["definition"] == metric.definition
    assert detail["polarity"] == "lower-is-better"
    assert detail["polarity_label"] == "Lower is better"
    assert detail["source_kind"] == metric.source_kind
    assert detail["source_label"] == metric.source_label
    assert detail["series"] == metric.series
    assert "police-uk" in detail["series_with_data"]
    observations = "/api/v1/observations?plan=llr-2024-2029&metric=burglary"
    assert detail["observations_url"] == f"http://testserver{observations}"
    assert detail["page_url"].endswith(metric.get_absolute_url())


def test_metric_detail_is_looked_up_in_the_plan_asked_for(client: Client) -> None:
    assert not Metric.objects.filter(plan__slug="leicestershire-2021-2024").exists()
    problem = get_json(client, "/api/v1/metrics/burglary?plan=leicestershire-2021-2024", 404)
    assert problem["detail"].startswith("No metric 'burglary' in plan 'leicestershire-2021-2024'")
    previous = get_json(client, "/api/v1/plans/leicestershire-2021-2024")
    assert previous["status"] == "previous"
