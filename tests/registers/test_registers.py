"""Every register kind end to end on the synthetic fixtures: imported and approved through the
staff workflow, then read back from its public page (the text a reader sees) and its API
resource (JSON and CSV, published entries only). Plus the declarations: template columns, the
models and the README agree."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.db import models as django_models
from django.test import Client

from policeplan.registers.models import MODELS, Action
from policeplan.sources.register_specs import SPECS
from policeplan.staff.models import Submission
from tests.conftest import REPO_ROOT

from .conftest import approve, fixture, import_register

pytestmark = pytest.mark.django_db

Publish = Callable[[str], Submission]

# What each register's page must show once its fixture is published, read from the fixture.
SHOWN = {
    "meetings": ["Synthetic Corporate Governance Board June", "10 June 2025",
                 "The Corporate Governance Board"],
    "actions": ["Report on 101 call answering times", "Chief Constable", "12 August 2025",
                "1 action overdue"],
    "recommendations": ["Synthetic: improve the time taken to answer 101 calls", "In progress",
                        "Area for improvement"],
    "decisions": ["SYN-D-2025-01", "Synthetic precept proposal 2025/26", "3 February 2025"],
    "documents": ["Synthetic annual report 2024/25", "Letter to government", "20 January 2025"],
    "finance": ["Police pay", "£165,000,000", "£290"],
    "places": ["Synthetic Central Police Station", "Monday to Friday 8am to 8pm", "Leicester"],
    "grants": ["Synthetic Youth Boxing Club", "£12,500", "Melton"],
    "teams": ["Synthetic City Centre team", "Castle and Abbey wards", "synthetic-city@example.org"],
}  # fmt: skip


def _fixture_rows(kind: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(fixture(kind).read_text())))


@pytest.mark.parametrize("kind", list(SPECS))
def test_each_register_is_public_only_once_approved(kind: str, people: None) -> None:
    page = f"/accountability/{kind}/"
    submission = import_register(kind, fixture(kind))
    first = SHOWN[kind][0]
    assert first not in Client().get(page).content.decode()
    assert Client().get(f"/api/v1/{kind}").json()["count"] == 0
    approve(submission)
    text = Client().get(page).content.decode()
    for shown in SHOWN[kind]:
        assert shown in text, shown
    expected = _fixture_rows(kind)
    data = Client().get(f"/api/v1/{kind}?limit=5000").json()
    assert data["count"] == len(expected)
    key = SPECS[kind].column_names[0]
    assert sorted(str(r[key]) for r in data["results"]) == sorted(r[key] for r in expected)
    body = Client().get(f"/api/v1/{kind}?format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == len(expected)
    assert set(SPECS[kind].column_names) <= set(rows[0])


def test_actions_overdue_are_flagged_on_the_body_page(published: Publish) -> None:
    published("meetings")
    published("actions")
    page = Client().get("/accountability/governance/corporate-governance-board/")
    text = page.content.decode()
    assert "Synthetic Corporate Governance Board August" in text
    # SYN-A-1 is open and was due 2025-08-12: overdue; SYN-A-3 is due in 2099; SYN-A-2 is done.
    assert "1 open action overdue." in text
    assert "Report on 101 call answering times" in text and "Overdue" in text
    assert "Review of rural crime team resourcing" in text
    assert "Publish the estate strategy consultation" not in text  # complete: not open
    jarap = Client().get("/accountability/governance/jarap/").content.decode()
    assert "Synthetic JARAP July" in jarap
    assert "No open actions from this body have been published." in jarap
    overdue = {
        r["reference"]: r["overdue"] for r in Client().get("/api/v1/actions").json()["results"]
    }
    assert overdue == {"SYN-A-1": True, "SYN-A-2": False, "SYN-A-3": False}


def test_recommendations_say_how_long_they_have_been_open(published: Publish) -> None:
    published("recommendations")
    rows = {r["reference"]: r for r in Client().get("/api/v1/recommendations").json()["results"]}
    # Closed 2024-04-01, published 2023-10-01: 183 days; the open one counts to today.
    assert rows["SYN-R-2"]["days_open"] == 183
    assert rows["SYN-R-1"]["days_open"] == (dt.date.today() - dt.date(2023, 10, 1)).days
    text = Client().get("/accountability/recommendations/").content.decode()
    assert "183 (closed)" in text


def test_documents_are_searchable(published: Publish) -> None:
    published("documents")
    text = Client().get("/accountability/documents/?q=letter+funding").content.decode()
    assert "1 of 5 match “letter funding”." in text
    assert "Synthetic letter to the Home Secretary on the funding formula" in text
    assert "Synthetic annual report" not in text
    none = Client().get("/accountability/documents/?q=zebra").content.decode()
    assert "Nothing in the documents matches “zebra”." in none
    api = Client().get("/api/v1/documents?q=homicide").json()
    assert [r["title"] for r in api["results"]] == ["Synthetic homicide profile briefing"]


def test_finance_chart_and_table_of_spend_by_category(published: Publish) -> None:
    published("finance")
    text = Client().get("/accountability/finance/").content.decode()
    assert "Spend by category over the years" in text
    # 2025/26 budget lines: police pay £165,000,000 + premises £13,000,000 = £178,000,000.
    assert "In 2025/26 the largest was Police pay at £165,000,000 of £178,000,000." in text
    assert "<strong>£162,000,000</strong>" in text  # 2023/24: 150m + 12m
    assert 'data-vega-spec="finance-budget"' in text and "/charts/" in text


def test_places_near_you_by_local_authority_and_by_a_point(published: Publish) -> None:
    published("places")
    rutland = Client().get("/accountability/places/?area=E06000017").content.decode()
    assert "1 place in the area chosen" in rutland and "Synthetic Oakham Beat Surgery" in rutland
    from policeplan.registers import placemap

    frame = placemap.frame()
    assert frame is not None
    x, y = frame.pixel(-1.1330, 52.6330)  # the synthetic Leicester station's own spot
    near = Client().get(f"/accountability/places/?map.x={x:.0f}&map.y={y:.0f}").content.decode()
    assert "Places nearest the point you chose, in Leicester." in near
    table = near[near.index('id="places-near"') :]
    order = [table.index(n) for n in ("Synthetic Central Police Station",
                                      "Synthetic Loughborough Front Counter")]  # fmt: skip
    assert order == sorted(order) and "0.0 km" in table
    outside = Client().get("/accountability/places/?map.x=0&map.y=0").content.decode()
    assert "That point is outside the force area" in outside
    svg = Client().get("/accountability/places/map.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert "<title>Synthetic Central Police Station</title>" in svg.content.decode()


def test_the_index_lists_every_register_and_body(published: Publish) -> None:
    published("grants")
    text = Client().get("/accountability/").content.decode()
    for spec in SPECS.values():
        assert spec.title.replace("'", "&#x27;") in text
    assert "The Corporate Governance Board</a>: 0 meetings published" in text


def test_an_approved_action_is_audited_and_its_provenance_kept(published: Publish) -> None:
    submission = published("actions")
    action = Action.objects.get(reference="SYN-A-1")
    assert (
        action.submission_id == submission.pk and action.import_run_id == submission.import_run_id
    )
    assert action.row == 2


def test_staff_template_download_and_upload(people: None, client_as) -> None:
    from policeplan.staff.roles import Role

    analyst = client_as(Role.ANALYST)
    page = analyst.get("/staff/registers/").content.decode()
    assert "Commissioner&#x27;s Safety Fund grants" in page
    template = analyst.get("/staff/registers/grants/template.csv")
    assert template.content.decode().splitlines()[0].split(",")[:1] == ["reference"]
    assert {"organisation", "amount", "area", "purpose", "awarded"} <= set(
        template.content.decode().splitlines()[0].split(",")
    )
    xlsx = analyst.get("/staff/registers/places/template.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    bad = io.BytesIO(b"organisation,amount,area,purpose,awarded\nOrg,-1,Leicester,P,2025-01-01\n")
    bad.name = "bad.csv"
    refused = analyst.post("/staff/registers/grants/upload/", {"file": bad})
    assert refused.status_code == 400
    assert "row 2, column amount: -1 is negative" in refused.content.decode()
    with fixture("grants").open("rb") as good:
        staged = analyst.post("/staff/registers/grants/upload/", {"file": good})
    assert staged.status_code == 302
    assert Client().get("/staff/registers/").status_code == 302  # anonymous: sign in
    assert client_as(Role.PANEL_MEMBER).get("/staff/registers/").status_code == 403


@pytest.mark.parametrize("kind", list(SPECS))
def test_the_model_has_a_field_for_every_template_column(kind: str) -> None:
    fields = {
        f.name: f
        for f in MODELS[kind]._meta.get_fields()
        if isinstance(f, django_models.Field) and f.name not in (
            "id", "submission", "import_run", "row", "published_from", "published_until")
    }  # fmt: skip
    assert sorted(fields) == sorted(SPECS[kind].column_names)
    for column in SPECS[kind].columns:
        field = fields[column.name]
        if isinstance(field, django_models.CharField) and column.type in ("text", "link"):
            assert field.max_length is not None and field.max_length >= column.max_length


def test_the_readme_documents_every_template_column() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for spec in SPECS.values():
        assert f"**{spec.kind}** ({spec.title})" in readme
        for column in spec.columns:
            assert f"| `{column.name}` | {column.described.strip()} |" in readme


def test_staff_teams_show_on_the_neighbourhoods_page_when_the_api_gave_none(
    published: Publish,
) -> None:
    before = Client().get("/neighbourhoods/").content.decode()
    assert "No neighbourhood teams have been loaded yet" in before
    published("teams")
    text = Client().get("/neighbourhoods/").content.decode()
    assert "2 teams, from the force's own register" in text
    assert "Synthetic Rutland team" in text and "synthetic-rutland@example.org" in text


def test_the_review_page_shows_the_entries_and_what_approval_replaces(
    people: None, client_as
) -> None:
    from policeplan.staff.roles import Role

    submission = import_register("grants", fixture("grants"))
    page = client_as(Role.APPROVER).get(f"/staff/submissions/{submission.pk}/").content.decode()
    assert "Commissioner&#x27;s Safety Fund grants: 4 grants" in page
    assert "replaces the whole published register (0 grants published now)" in page
    assert "Synthetic Women&#x27;s Refuge Trust" in page and "£20,000" in page


def test_withdrawing_brings_back_the_version_it_replaced(tmp_path, people: None) -> None:
    from django.contrib.auth.models import User

    from policeplan.staff import workflow

    approve(import_register("grants", fixture("grants")))
    path = tmp_path / "grants-v2.csv"
    path.write_text(
        "organisation,amount,area,purpose,awarded\nSynthetic Wrong Org,1,Rutland,X,2025-02-02\n"
    )
    second = import_register("grants", path, "ana", "--allow-shrink")
    approve(second)
    assert Client().get("/api/v1/grants").json()["count"] == 1
    workflow.withdraw(second, User.objects.get(username="apollo"), "Synthetic: uploaded in error")
    names = [r["organisation"] for r in Client().get("/api/v1/grants").json()["results"]]
    assert len(names) == 4 and "Synthetic Wrong Org" not in names
