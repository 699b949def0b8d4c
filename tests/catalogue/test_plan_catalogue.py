"""The real plan catalogues: counts and sources taken from the plan text in ../shared/plan."""

from __future__ import annotations

from collections import Counter

import pytest

from policeplan.catalogue.loader import parse_catalogue
from policeplan.catalogue.models import Metric, Mission, Plan, Strategy
from tests.conftest import PLANS_DIR

pytestmark = pytest.mark.django_db

# Read off the Performance Framework table of the 2024-2029 plan ("Priority / Headline Metric /
# Source"), with blank source cells taking the source of the row above.
EXPECTED_SOURCES_BY_METRIC_NAME = {
    "Published Letters to Govt": "local",
    "Published Medium Term Financial Strategy": "local",
    "Victim Satisfaction": "ncpm",
    "No. of places public can engage with officers": "local",
    "No. assets that have had their visibility increased.": "local",
    "Diversity of Force compared to diversity of LLR": "local",
    "Average length of service for a PCSO": "local",
    "Staff satisfaction for Force and OPCC": "local",
    "Confidence in the law enforcement response to cyber crime": "csew",
    "Officer hours saved": "local",
    "Number of Neighbourhood Officers": "local",
    "Abstractions from N'hood Policing (hrs)": "local",
    "Police deal with local concerns": "csew",
    "Incidences of murder and other homicides": "ncpm",
    "Offences involving discharge of a firearm": "ncpm",  # plan prints "or", a typo
    "Drug-related homicides": "ncpm",
    "Police referrals into drug treatment": "ncpm",
    "Incidences of serious violence (adults/young people)": "ncpm",
    "Hospital admissions for assaults with knife or sharp object": "ncpm",
    "VAWG Defined offences": "ncpm",
    "Satisfaction with police among victims of domestic abuse": "ncpm",
    "Stalking and harassment offences": "national_statistics",
    "Volume of Rural crime offences": "local",
    "Positive outcomes for Rural Offences": "local",
    "Incidences of shoplifting": "national_statistics",
    "Incidences of shopworker assaults": "local",
    "% positive outcomes": "national_statistics",
    "Number KSI": "partnership",
    "Burglary": "ncpm",
    "Vehicle Crime": "ncpm",
    "Theft from Person": "ncpm",
    "Robbery": "ncpm",
    "Level of Victim Code of Practice Compliance": "local",
    "Level of Duty to Collaborate Compliance": "local",
    "Police do an excellent or good job": "csew",
    "Positive Outcomes": "national_statistics",
    "Volumes of OOCR": "national_statistics",
}


def _normalise(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").rstrip(".").split())


def test_current_plan_has_three_missions_and_fourteen_strategies() -> None:
    plan = Plan.objects.get(slug="llr-2024-2029")
    assert plan.missions.count() == 3
    assert Strategy.objects.filter(mission__plan=plan).count() == 14
    assert plan.commissioner == "Rupert Matthews"
    assert (plan.period_start, plan.period_end) == (2024, 2029)
    assert plan.national_priorities.count() == 7


def test_performance_framework_has_all_37_headline_metrics_with_their_sources() -> None:
    headline = Metric.objects.filter(plan__slug="llr-2024-2029", headline=True).order_by("order")
    assert headline.count() == 37
    by_name = {_normalise(m.name): m.source_kind for m in headline}
    expected = {_normalise(k): v for k, v in EXPECTED_SOURCES_BY_METRIC_NAME.items()}
    assert by_name == expected
    counts = Counter(m.source_kind for m in headline)
    assert counts == Counter(expected.values())


def test_blank_source_cells_inherit_the_row_above() -> None:
    metrics = list(
        Metric.objects.filter(plan__slug="llr-2024-2029", headline=True).order_by("order")
    )
    for above, row in zip(metrics, metrics[1:], strict=False):
        if row.source_inherited:
            assert row.source_kind == above.source_kind
            assert row.source_label == above.source_label
    assert sum(m.source_inherited for m in metrics) == 10  # 5 + 1 + 3 + 1 blank cells


def test_every_strategy_has_a_mission_in_this_plan_and_metrics_map_to_strategies() -> None:
    for metric in Metric.objects.select_related("strategy__mission__plan"):
        assert metric.strategy.mission.plan_id == metric.plan_id


def test_previous_plan_is_marked_partial() -> None:
    plan = Plan.objects.get(slug="leicestershire-2021-2024")
    assert plan.partial
    assert plan.partial_note
    assert plan.commitments
    assert Mission.objects.filter(plan=plan).count() == 0


def test_catalogue_files_validate_on_their_own() -> None:
    for path in sorted(PLANS_DIR.glob("*.yaml")):
        catalogue = parse_catalogue(str(path), path.read_text(encoding="utf-8"))
        assert catalogue.plan.slug == path.stem
