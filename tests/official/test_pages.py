"""Public official-statistics pages: the list of offence groups and editions, and a force
against its peers, region and England and Wales, with source, period and trend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from policeplan.provenance.models import ImportRun

pytestmark = pytest.mark.django_db
TOTAL_URL = "/official-statistics/total-recorded-crime-excluding-fraud/"


def _text(html: str) -> str:
    """Visible text with tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _table(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


def test_index_lists_offence_groups_and_editions_with_provenance(
    ons_editions: list[Path], client: Client
) -> None:
    response = client.get("/official-statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert 'href="/official-statistics/total-recorded-crime-excluding-fraud/"' in html
    assert 'href="/official-statistics/stalking-and-harassment/"' in html
    for period in ("March 2018", "June 2018", "September 2019", "December 2019"):
        assert f"Year ending {period}" in text
    assert "pfatablesdec19.xlsx" in text
    dec = ImportRun.objects.get(
        source="ons_pfa", status="current", period_label__endswith="Dec 2019"
    )
    assert dec.sha256[:12] in html
    assert "do not reconcile with the street-level counts from data.police.uk" in text


def test_peer_page_shows_leicestershire_against_provisional_peers_region_and_country(
    ons_editions: list[Path], client: Client
) -> None:
    response = client.get(TOTAL_URL)
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    comparison = _text(_table(html, "comparison"))
    assert "provisional peer group" in text
    assert "Source: ONS, Police Force Area data tables, year ending December 2019, Table P1" in text
    for area in (
        "Leicestershire Police 91,242 1,093,200 83.5",
        "Derbyshire Constabulary",
        "Lincolnshire Police",
        "Northamptonshire Police",
        "Nottinghamshire Police",
        "Staffordshire Police",
        "East Midlands (region)",
        "England and Wales",
    ):
        assert area in comparison
    assert "ranks 2nd of 6" in text
    assert "Greater Manchester" in text  # the coverage note for this edition
    assert "never mixed in one series" in text
    trend = _text(_table(html, "trend"))
    for figure in ("81,960", "84,571", "86,251", "87,167", "91,315", "92,046", "93,499"):
        assert figure in trend


def test_period_and_force_can_be_chosen(ons_editions: list[Path], client: Client) -> None:
    text = _text(client.get(TOTAL_URL + "?period=2018-03").content.decode())
    assert "year ending March 2018, Table P1" in text
    assert "Leicestershire Police 81,960" in text
    text = _text(client.get(TOTAL_URL + "?force=derbyshire&period=2019-06").content.decode())
    assert "Derbyshire Constabulary recorded" in text
    assert "No peer group is held for Derbyshire Constabulary" in text


def test_suppressed_figures_show_the_marker_and_its_meaning_never_zero(
    ons_editions: list[Path], client: Client
) -> None:
    html = client.get(TOTAL_URL + "?force=greater-manchester&period=2019-12").content.decode()
    row = _text(_table(html, "comparison")).split("North West")[0]
    assert "Greater Manchester Police .. (not available)" in row
    assert " 0 " not in row + " "
    assert "shown as published, never as zero" in _text(html)
    trend = _text(_table(html, "trend"))
    assert "December 2019 .. (not available)" in trend


@pytest.mark.parametrize(
    "url",
    [
        "/official-statistics/no-such-offence/",
        TOTAL_URL + "?period=2017-12",
        TOTAL_URL + "?period=not-a-month",
        TOTAL_URL + "?force=no-such-force",
    ],
)
def test_unknown_choices_are_not_found(ons_editions: list[Path], client: Client, url: str) -> None:
    assert client.get(url).status_code == 404
