"""Finding 2 of issue 12: rare crimes are never shown as a rate of 0.0."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from policeplan.geography.models import Area, AreaKind
from policeplan.official.queries import population

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_homicide_rate_is_per_million_and_never_zero(client: Client) -> None:
    text = _text(client.get("/plans/llr-2024-2029/metrics/homicide/").content.decode())
    assert "Per million population" in text
    force = Area.objects.get(kind=AreaKind.FORCE, force="leicestershire")
    held = population(force, date(2019, 12, 1))
    assert held is not None
    people = float(held)
    expected = f"{9 / people * 1_000_000:.1f}"
    assert f"December 2019 9 {expected}" in text
    table = text[text.index("12 months ending 12 months ending") : text.index("Source: ONS")]
    assert " 0.0 " not in table


def test_national_measures_homicide_rate_is_not_0_01_per_1000(client: Client) -> None:
    text = _text(client.get("/national-measures/").content.decode())
    assert "0.01 per 1,000" not in text
    assert re.search(r"ONS police recorded crime, \d+\.\d per million population", text)
