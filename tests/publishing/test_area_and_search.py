"""Your area, area pages and search."""

from __future__ import annotations

import pytest
from django.test import Client

from policeplan.geography.models import Area

pytestmark = pytest.mark.django_db


def test_your_area_redirects_to_the_chosen_local_authority(client: Client) -> None:
    assert client.get("/your-area/").status_code == 200
    response = client.get("/your-area/?area=blaby")
    assert response.status_code == 302 and response["Location"] == "/areas/blaby/"
    page = client.get("/your-area/?area=nowhere").content.decode()
    assert "There is a problem" in page


def test_area_page_shows_trends_and_deprivation(client: Client) -> None:
    html = client.get("/areas/leicester/").content.decode()
    assert '<h1 class="govuk-heading-xl">Leicester</h1>' in html
    assert 'href="/plans/llr-2024-2029/metrics/burglary/?area=leicester"' in html
    lsoas = Area.objects.filter(kind="lsoa", vintage="2011", parent__name="Leicester")
    most_deprived = lsoas.filter(imd2019_decile__in=[1, 2]).count()
    assert f"{most_deprived} of the {lsoas.count()} neighbourhood areas" in html
    assert client.get("/areas/nowhere/").status_code == 404


def test_search_finds_metrics_and_areas_and_escapes_the_query(client: Client) -> None:
    html = client.get("/search/?q=burglary").content.decode()
    assert 'href="/plans/llr-2024-2029/metrics/burglary/"' in html
    html = client.get("/search/?q=hinckley").content.decode()
    assert 'href="/areas/hinckley-and-bosworth/"' in html
    html = client.get("/search/?q=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "0 results" in html
