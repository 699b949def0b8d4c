"""Public pages render with the right heading, links, breadcrumbs and escaping."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from policeplan.catalogue.models import Metric, Mission, Plan, Strategy

pytestmark = pytest.mark.django_db


def _h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "page has no h1"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_shows_vision_missions_and_update_date(client: Client) -> None:
    html = _get(client, "/")
    plan = Plan.objects.get(slug="llr-2024-2029")
    assert _h1(html) == "Police and Crime Plan 2024 to 2029"
    assert plan.vision[:60] in html
    for mission in plan.missions.all():
        assert f'href="{mission.get_absolute_url()}"' in html
    assert "Last updated" in html
    assert 'href="#main-content"' in html  # skip link


def test_mission_page_lists_its_strategies(client: Client) -> None:
    mission = Mission.objects.get(plan__slug="llr-2024-2029", slug="effective-and-efficient-force")
    html = _get(client, mission.get_absolute_url())
    assert _h1(html) == mission.title
    assert mission.strategies.count() == 5
    for strategy in mission.strategies.all():
        assert f'href="{strategy.get_absolute_url()}"' in html
    assert "govuk-breadcrumbs" in html


def test_strategy_page_shows_aims_deliverables_indicators_and_metrics(client: Client) -> None:
    strategy = Strategy.objects.get(mission__plan__slug="llr-2024-2029", slug="neighbourhood-crime")
    html = _get(client, strategy.get_absolute_url())
    assert _h1(html) == strategy.title
    assert "What will I deliver to do it?" in html
    assert "How will I, and you, know it is working?" in html
    names = [m.name for m in strategy.metrics.filter(headline=True)]
    assert {"Burglary", "Robbery"} <= set(names)
    for metric in strategy.metrics.all():
        assert f'href="{metric.get_absolute_url()}"' in html


def test_metric_page_shows_definition_source_polarity_and_awaiting_data(client: Client) -> None:
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="victim-satisfaction")
    html = _get(client, metric.get_absolute_url())
    assert _h1(html) == metric.name
    assert "National Crime and Policing Measures" in html
    assert "Higher is better" in html
    assert "Awaiting data" in html
    # breadcrumbs lead back through strategy and mission
    assert f'href="{metric.strategy.get_absolute_url()}"' in html
    assert f'href="{metric.strategy.mission.get_absolute_url()}"' in html


def test_performance_framework_lists_all_37_metrics_with_sources(client: Client) -> None:
    html = _get(client, "/performance-framework/")
    assert _h1(html) == "Performance framework"
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>', html, re.S)
    assert len(rows) == 37
    for metric in Metric.objects.filter(plan__slug="llr-2024-2029", headline=True):
        assert f'href="{metric.get_absolute_url()}"' in html
    assert "Showing 37 headline metrics" in html


def test_performance_framework_filters_by_mission_and_source(client: Client) -> None:
    html = _get(client, "/performance-framework/?source=csew")
    assert "Showing 3 headline metrics" in html
    mission = "delivering-for-victims-and-witnesses"
    expected = Metric.objects.filter(
        plan__slug="llr-2024-2029", headline=True, strategy__mission__slug=mission
    ).count()
    html = _get(client, f"/performance-framework/?mission={mission}")
    assert f"Showing {expected} headline metric" in html
    both = _get(client, f"/performance-framework/?mission={mission}&source=local")
    expected_both = Metric.objects.filter(
        plan__slug="llr-2024-2029",
        headline=True,
        strategy__mission__slug=mission,
        source_kind="local",
    ).count()
    assert f"Showing {expected_both} headline metric" in both
    # an unknown filter value is ignored, not an error and not reflected into the page
    html = _get(client, '/performance-framework/?source="><script>alert(1)</script>')
    assert "Showing 37 headline metrics" in html
    assert "<script>alert(1)</script>" not in html


def test_compare_plans_page_shows_both_plans(client: Client) -> None:
    html = _get(client, "/plans/compare/")
    assert _h1(html) == "Compare police and crime plans"
    for plan in Plan.objects.all():
        assert f'href="/plans/{plan.slug}/"' in html
    assert "Partial" in html


def test_plan_page_and_previous_plan(client: Client) -> None:
    html = _get(client, "/plans/leicestershire-2021-2024/")
    assert "Warning" in html  # partial plan warning
    html = _get(client, "/plans/llr-2024-2029/")
    assert "Corporate Governance Board" in html
    assert "Strategic Policing Requirement" in html


def test_unknown_slugs_give_design_system_404(client: Client) -> None:
    for url in [
        "/plans/no-such-plan/",
        "/plans/llr-2024-2029/metrics/no-such-metric/",
        "/plans/llr-2024-2029/missions/nope/",
        "/plans/llr-2024-2029/strategies/nope/",
        "/no/such/page/",
    ]:
        html = _get(client, url, status=404)
        assert "Page not found" in html
        assert "govuk-" in html


def test_user_text_is_escaped(client: Client) -> None:
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="burglary")
    metric.definition = "<script>alert('x')</script>"
    metric.save()
    html = _get(client, metric.get_absolute_url())
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;" in html
