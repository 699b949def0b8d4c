"""Every metric of the current plan names an owner (a team or role title), stored and strict."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from policeplan.catalogue.loader import CatalogueError, load_catalogue_file, parse_catalogue
from policeplan.catalogue.models import Metric
from tests.catalogue.test_loader import SYNTHETIC, _write
from tests.conftest import PLANS_DIR

pytestmark = pytest.mark.django_db

LLR = PLANS_DIR / "llr-2024-2029.yaml"


def test_every_metric_of_the_2024_plan_has_an_owner_and_says_where_it_comes_from() -> None:
    plan = parse_catalogue(str(LLR), LLR.read_text(encoding="utf-8")).plan
    assert len(plan.metrics) >= 37
    assert [m.slug for m in plan.metrics if not m.owner] == []
    # The plan names no owner for any metric, so each is the OPCC's assignment, and says so.
    assert [m.slug for m in plan.metrics if "OPCC's assignment" not in m.owner_note] == []


def test_owner_is_loaded_into_the_database() -> None:
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="victim-code-compliance")
    assert metric.owner == "OPCC Victims and Witnesses Commissioning team"
    assert metric.owner_note.startswith("The OPCC's assignment")
    assert Metric.objects.filter(plan__slug="llr-2024-2029", owner="").count() == 0


def test_owner_note_without_an_owner_is_refused(tmp_path: Path) -> None:
    data: Any = copy.deepcopy(SYNTHETIC)
    data["plan"]["metrics"][0]["owner_note"] = "assigned by the OPCC"
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_file(_write(tmp_path, data))
    assert "owner_note is set but owner is empty" in str(caught.value)


def test_owner_longer_than_the_column_is_refused_before_the_database(tmp_path: Path) -> None:
    data: Any = copy.deepcopy(SYNTHETIC)
    data["plan"]["metrics"][1]["owner"] = "x" * 201
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_file(_write(tmp_path, data))
    assert "metrics[1].owner" in str(caught.value)
