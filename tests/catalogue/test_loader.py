"""Strict loading: bad catalogue files are refused with the file and key path; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from policeplan.catalogue.loader import CatalogueError, load_catalogue_dir, load_catalogue_file
from policeplan.catalogue.models import Metric, Plan, PlanLoad

pytestmark = pytest.mark.django_db

# A small synthetic catalogue (not a real plan) used to exercise the loader.
SYNTHETIC = {
    "schema_version": 1,
    "plan": {
        "slug": "synthetic-2030-2034",
        "title": "Synthetic test plan",
        "force": "exampleshire",
        "area_name": "Exampleshire",
        "commissioner": "A Commissioner",
        "period": {"start": 2030, "end": 2034},
        "status": "draft",
        "source_document": "synthetic test fixture",
        "vision": "A synthetic vision.",
        "missions": [
            {
                "slug": "safer-streets",
                "title": "Safer streets",
                "strategies": [
                    {"slug": "burglary-reduction", "title": "Burglary reduction", "aims": ["x"]},
                    {"slug": "road-safety", "title": "Road safety"},
                ],
            }
        ],
        "metrics": [
            {
                "slug": "burglary",
                "name": "Burglary",
                "strategy": "burglary-reduction",
                "framework_priority": "Burglary reduction",
                "source": {"kind": "ncpm", "label": "NC&PM*"},
                "unit": "count",
                "polarity": "lower-is-better",
                "frequency": "monthly",
                "definition": "Burglaries recorded.",
                "series": [
                    {
                        "slug": "police-uk",
                        "label": "police.uk",
                        "computation": {
                            "kind": "police_uk_crime_types",
                            "crime_types": ["Burglary"],
                        },
                    }
                ],
            },
            {
                "slug": "ksi",
                "name": "Killed or seriously injured",
                "strategy": "road-safety",
                "framework_priority": "Road safety",
                "source": {"kind": "partnership", "label": "Partnership Data"},
                "unit": "count",
                "polarity": "lower-is-better",
                "frequency": "annual",
                "definition": "KSI casualties.",
            },
        ],
    },
}


def _write(tmp_path: Path, data: object, name: str = "synthetic-2030-2034.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _variant(**plan_changes: object) -> dict:
    data = yaml.safe_load(yaml.safe_dump(SYNTHETIC))
    data["plan"].update(plan_changes)
    return data


def _refused(path: Path) -> CatalogueError:
    before = (Plan.objects.count(), Metric.objects.count(), PlanLoad.objects.count())
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_file(path)
    assert (Plan.objects.count(), Metric.objects.count(), PlanLoad.objects.count()) == before
    assert str(path) in str(caught.value)
    return caught.value


def test_synthetic_catalogue_loads(tmp_path: Path) -> None:
    result = load_catalogue_file(_write(tmp_path, SYNTHETIC))
    assert result.changed
    assert result.counts == {"missions": 1, "strategies": 2, "metrics": 2, "headline_metrics": 2}
    plan = Plan.objects.get(slug="synthetic-2030-2034")
    assert plan.metrics.get(slug="burglary").series[0]["computation"]["crime_types"] == ["Burglary"]


def test_loading_twice_writes_nothing_the_second_time(tmp_path: Path) -> None:
    path = _write(tmp_path, SYNTHETIC)
    load_catalogue_file(path)
    loads = PlanLoad.objects.count()
    metric_ids = list(Metric.objects.order_by("id").values_list("id", flat=True))
    second = load_catalogue_file(path)
    assert not second.changed
    assert PlanLoad.objects.count() == loads
    assert list(Metric.objects.order_by("id").values_list("id", flat=True)) == metric_ids


def test_editing_the_yaml_and_reloading_updates_in_place(tmp_path: Path) -> None:
    path = _write(tmp_path, SYNTHETIC)
    load_catalogue_file(path)
    burglary_id = Metric.objects.get(plan__slug="synthetic-2030-2034", slug="burglary").id
    edited = _variant(vision="An edited vision.")
    edited["plan"]["metrics"][0]["name"] = "Residential burglary"
    edited["plan"]["metrics"].pop(1)  # KSI removed from the plan
    _write(tmp_path, edited)
    result = load_catalogue_file(path)
    assert result.changed
    assert result.removed["metrics"] == ["ksi"]
    burglary = Metric.objects.get(plan__slug="synthetic-2030-2034", slug="burglary")
    assert (burglary.id, burglary.name) == (burglary_id, "Residential burglary")
    assert Plan.objects.get(slug="synthetic-2030-2034").vision == "An edited vision."
    assert PlanLoad.objects.filter(plan__slug="synthetic-2030-2034").count() == 2


def test_unknown_key_names_its_path(tmp_path: Path) -> None:
    data = _variant()
    data["plan"]["metrics"][1]["colour"] = "blue"
    error = _refused(_write(tmp_path, data))
    assert "plan.metrics[1].colour: unknown key" in str(error)


def test_duplicate_metric_slug(tmp_path: Path) -> None:
    data = _variant()
    data["plan"]["metrics"][1]["slug"] = "burglary"
    error = _refused(_write(tmp_path, data))
    assert "duplicate metric slug 'burglary'" in str(error)


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    text = yaml.safe_dump(SYNTHETIC, sort_keys=False).replace(
        "  title: Synthetic test plan\n", "  title: Synthetic test plan\n  title: Again\n", 1
    )
    path.write_text(text, encoding="utf-8")
    error = _refused(path)
    assert "duplicate key 'title'" in str(error)
    assert "line " in str(error)


def test_metric_naming_unknown_strategy(tmp_path: Path) -> None:
    data = _variant()
    data["plan"]["metrics"][0]["strategy"] = "no-such-strategy"
    error = _refused(_write(tmp_path, data))
    assert "strategy 'no-such-strategy' is not one of this plan's strategies" in str(error)


def test_bad_polarity(tmp_path: Path) -> None:
    data = _variant()
    data["plan"]["metrics"][0]["polarity"] = "up-is-good"
    error = _refused(_write(tmp_path, data))
    assert "plan.metrics[0].polarity" in str(error)
    assert "lower-is-better" in str(error)


def test_bad_source_kind_and_bad_computation(tmp_path: Path) -> None:
    data = _variant()
    data["plan"]["metrics"][0]["source"]["kind"] = "rumour"
    data["plan"]["metrics"][0]["series"][0]["computation"]["kind"] = "guess"
    error = _refused(_write(tmp_path, data))
    assert "plan.metrics[0].source.kind" in str(error)
    assert "plan.metrics[0].series[0].computation" in str(error)


def test_invalid_yaml_syntax_and_wrong_top_level(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nplan: [unclosed\n", encoding="utf-8")
    assert "not valid YAML" in str(_refused(broken))
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just a string\n", encoding="utf-8")
    assert "must be a mapping" in str(_refused(scalar))


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(yaml.safe_dump(SYNTHETIC).encode() + b"# caf\xe9\n")
    assert "not UTF-8" in str(_refused(path))


def test_a_bad_file_in_a_folder_stops_the_whole_folder(tmp_path: Path) -> None:
    _write(tmp_path, SYNTHETIC, "a-good.yaml")
    bad = _variant(slug="other-plan")
    bad["plan"]["metrics"][0]["polarity"] = "sideways"
    _write(tmp_path, bad, "b-bad.yaml")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_dir(tmp_path)
    assert "b-bad.yaml" in str(caught.value)
    assert not Plan.objects.filter(slug="synthetic-2030-2034").exists()


def test_management_command_reports_error_and_writes_nothing(tmp_path: Path) -> None:
    data = _variant()
    data["plan"]["metrics"][0]["polarity"] = "sideways"
    path = _write(tmp_path, data)
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_plans", str(path))
    assert not Plan.objects.filter(slug="synthetic-2030-2034").exists()
