"""``fetch_neighbourhoods`` and the public neighbourhood pages, against a local SYNTHETIC
data.police.uk. The synthetic texts include hostile HTML, which must never reach a page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import CommandError
from django.test import Client

from policeplan.neighbourhoods.models import Neighbourhood, TeamMember
from policeplan.provenance.models import ImportRun
from tests.fetch.conftest import LocalApi
from tests.fetch.synthetic_api import FORCE, Scripted

pytestmark = pytest.mark.django_db


def _runs() -> list[ImportRun]:
    return list(
        ImportRun.objects.filter(
            source="police_uk_api", kind="neighbourhoods", force=FORCE
        ).order_by("id")
    )


@pytest.fixture
def fetched(run_command: Callable[..., str]) -> str:
    return run_command("fetch_neighbourhoods", "--force", FORCE)


def test_fetch_stores_neighbourhoods_teams_and_provenance(
    fetched: str, local_api: LocalApi
) -> None:
    hoods = {n.police_uk_id: n for n in Neighbourhood.objects.filter(force=FORCE)}
    assert set(hoods) == {"NA01", "NB02", "NC03"}
    north = hoods["NA01"]
    assert north.name == "Synthetic North"
    assert north.description.startswith("<p>Synthetic description")  # stored as served
    assert (
        "<script>" not in north.description_text and "Second paragraph." in north.description_text
    )
    assert north.boundary[0] == [52.6, -1.2]
    assert north.contact_details["email"] == "synthetic.na01@example.org"
    assert north.priorities[0]["issue-date"] == "2024-01-10T00:00:00"
    assert [m.name for m in north.team.all()] == ["Synthetic Officer One", "Synthetic Officer Two"]
    assert [m.rank for m in north.team.all()] == ["Sergeant", "PCSO"]
    assert hoods["NC03"].boundary == [] and hoods["NC03"].team.get().rank == ""
    (run,) = _runs()
    assert run.status == "current" and run.month is None
    assert run.source_url == f"{local_api.base_url}/{FORCE}/neighbourhoods"
    assert len(run.sha256) == 64 and run.rows_read == 3 and run.rows_written == 3 + 3
    assert north.import_run == run
    assert "imported" in fetched


def test_a_refetch_of_the_same_answers_writes_nothing(
    fetched: str, run_command: Callable[..., str]
) -> None:
    stamps = list(Neighbourhood.objects.order_by("id").values_list("id", "fetched_at"))
    out = run_command("fetch_neighbourhoods", "--force", FORCE)
    assert "unchanged" in out
    assert len(_runs()) == 1
    assert list(Neighbourhood.objects.order_by("id").values_list("id", "fetched_at")) == stamps


def test_a_changed_answer_updates_and_removes(
    fetched: str, run_command: Callable[..., str], local_api: LocalApi
) -> None:
    del local_api.state.neighbourhoods["NC03"]
    local_api.state.neighbourhoods["NB02"]["people"] = [
        {"bio": None, "contact_details": {}, "name": "Synthetic Officer Four", "rank": "Inspector"}
    ]
    # A neighbourhood and a team member of six rows go: over the shrink guard's 10% (ADR 0013),
    # refused and nothing changed, until the fetch is told the removal is real.
    with pytest.raises(CommandError, match="would remove 1 of the 6 rows held"):
        run_command("fetch_neighbourhoods", "--force", FORCE)
    assert [run.status for run in _runs()] == ["current"]
    out = run_command("fetch_neighbourhoods", "--force", FORCE, "--allow-shrink")
    old, new = _runs()
    assert (old.status, new.status) == ("superseded", "current") and new.supersedes == old
    assert new.changes == {"added": [], "removed": ["NC03"]}
    assert set(Neighbourhood.objects.values_list("police_uk_id", flat=True)) == {"NA01", "NB02"}
    assert list(
        TeamMember.objects.filter(neighbourhood__police_uk_id="NB02").values_list("name", flat=True)
    ) == ["Synthetic Officer Four"]
    assert "NC03" in out


@pytest.mark.parametrize(
    ("path", "answers", "message"),
    [
        ("/leicestershire/NB02/people", [Scripted(body=b'[{"name":')], "returned malformed JSON"),
        (
            "/leicestershire/NB02",
            [Scripted(body=b"{}", delay=1.0)] * 2,
            "timed out (ReadTimeout) after 2 attempts",
        ),
        ("/leicestershire/neighbourhoods", [Scripted(body=b"[]")], "no neighbourhoods listed"),
    ],
)
def test_a_failed_fetch_changes_nothing(
    fetched: str,
    run_command: Callable[..., str],
    local_api: LocalApi,
    path: str,
    answers: list[Scripted],
    message: str,
) -> None:
    local_api.state.neighbourhoods["NA01"]["details"]["name"] = "Synthetic North (renamed)"
    local_api.state.script(path, *answers)
    with pytest.raises(CommandError) as error:
        run_command("fetch_neighbourhoods", "--force", FORCE)
    assert f"{local_api.base_url}{path}" in str(error.value) and message in str(error.value)
    assert "Nothing was changed for leicestershire." in str(error.value)
    assert len(_runs()) == 1
    assert Neighbourhood.objects.get(police_uk_id="NA01").name == "Synthetic North"


# --- pages ----------------------------------------------------------------------------------


def test_the_list_is_alphabetical_with_a_search(fetched: str, client: Client) -> None:
    html = client.get("/neighbourhoods/").content.decode()
    assert "Find your local policing team" in html
    assert html.index(">A</h2>") < html.index(">S</h2>")
    assert html.index("another Synthetic Place") < html.index("Synthetic North")
    assert html.index("Synthetic North") < html.index("Synthetic South")
    assert f'href="/neighbourhoods/{FORCE}/NA01/"' in html

    found = client.get("/neighbourhoods/", {"q": "north"}).content.decode()
    assert "1 neighbourhood matches “north”" in found
    assert "Synthetic North" in found and "Synthetic South" not in found
    assert 'value="north"' in found

    hostile = client.get("/neighbourhoods/", {"q": '"><script>alert(1)</script>'})
    text = hostile.content.decode()
    assert "<script>alert(1)" not in text and "No neighbourhoods match" in text


def test_an_empty_list_says_how_to_fetch(client: Client) -> None:
    html = client.get("/neighbourhoods/").content.decode()
    assert "No neighbourhood teams have been loaded yet" in html
    assert "python manage.py fetch_neighbourhoods" in html


def test_the_team_page_shows_safe_text_and_links(fetched: str, client: Client) -> None:
    response = client.get(f"/neighbourhoods/{FORCE}/NA01/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your local policing team" in html and "Synthetic North" in html
    assert "<p>Synthetic description of Synthetic North.</p>" in html  # our markup, not theirs
    assert "Second paragraph." in html
    for hostile in ("<script>alert", "onerror", "<img", 'alert("synthetic")'):
        assert hostile not in html
    assert '<a class="govuk-link" href="mailto:synthetic.na01@example.org">' in html
    assert 'href="https://twitter.example.org/syntheticNA01" rel="nofollow noopener"' in html
    assert 'href="javascript:' not in html  # an unsafe "link" is shown as text only
    assert "Synthetic Officer One" in html and "Sergeant" in html and "PCSO" in html
    assert "Synthetic priority: speeding on Synthetic Road." in html
    assert "Synthetic action: speed checks." in html
    assert "1 Synthetic Street" in html


def test_unknown_neighbourhoods_are_404(fetched: str, client: Client) -> None:
    assert client.get(f"/neighbourhoods/{FORCE}/ZZ99/").status_code == 404
    assert client.get("/neighbourhoods/atlantis/NA01/").status_code == 404
