"""The computation registry: every catalogue computation kind is registered once, and the
behaviour the engine and pages ask for comes from the registration."""

from __future__ import annotations

from typing import get_args

import pytest

from policeplan.catalogue.models import Metric
from policeplan.catalogue.schema import Computation
from policeplan.metrics.computations import (
    REGISTRY,
    ComputationKind,
    Engine,
    computation_of,
    register,
)


def test_every_schema_kind_is_registered_once() -> None:
    union = get_args(get_args(Computation)[0])
    assert {model for model in union} == {kind.model for kind in REGISTRY.values()}
    assert sorted(REGISTRY) == [
        "local_template",
        "ons_pfa_offence_group",
        "police_uk_crime_types",
        "police_uk_positive_outcomes",
        "register_count",
    ]
    with pytest.raises(ValueError, match="registered twice"):
        register(ComputationKind(REGISTRY["local_template"].model, Engine.LOCAL, "local"))


def test_behaviour_per_kind() -> None:
    counts = computation_of(
        {"computation": {"kind": "police_uk_crime_types", "crime_types": ["Burglary"]}}
    )
    rate = computation_of({"kind": "police_uk_positive_outcomes"})
    ons = computation_of({"kind": "ons_pfa_offence_group", "offence_group": "Robbery"})
    local = computation_of({"kind": "local_template", "field": "victims-code"})
    assert [c.engine for c in (counts, rate, ons, local)] == [
        Engine.POLICE_UK,
        Engine.POLICE_UK,
        Engine.ONS_PFA,
        Engine.LOCAL,
    ]
    assert [c.is_rate for c in (counts, rate, ons, local)] == [False, True, False, False]
    assert [c.source for c in (counts, rate, ons, local)] == [
        "police_uk",
        "police_uk",
        "ons_pfa",
        "local",
    ]
    assert ons.spec.table == "P1"  # the schema's default, typed
    assert counts.lsoa_crime_types() == ["Burglary"] and rate.lsoa_crime_types() is None
    with pytest.raises(ValueError, match="not computed from police.uk records"):
        ons.evaluate([])


def test_police_uk_evaluators_count_and_rate() -> None:
    cells = [
        ("Burglary", "Under investigation", 6),
        ("Burglary", "Offender given a caution", 2),
        ("Robbery", "Offender sent to prison", 1),
        ("Anti-social behaviour", None, 40),
    ]
    counts = computation_of({"kind": "police_uk_crime_types", "crime_types": ["Burglary"]})
    assert counts.evaluate(cells) == {"value": 8.0}
    rate = computation_of({"kind": "police_uk_positive_outcomes", "crime_types": ["Burglary"]})
    figure = rate.evaluate(cells)
    assert figure is not None
    assert (figure["numerator"], figure["denominator"]) == (2, 8)
    assert figure["value"] == pytest.approx(25.0)
    assert rate.evaluate([("Anti-social behaviour", None, 3)]) is None  # no crimes: no rate


@pytest.mark.django_db
def test_every_catalogue_series_has_a_registered_kind() -> None:
    series = [s for metric in Metric.objects.all() for s in metric.series]
    assert series
    assert {computation_of(s).kind.name for s in series} <= set(REGISTRY)
