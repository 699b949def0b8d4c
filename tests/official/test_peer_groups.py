"""Peer groups as data: the bundled provisional group, strict refusal of bad files, and a Home
Office most similar group (MSG) file replacing the provisional group."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from policeplan.geography.models import PeerGroup
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db
HEADER = "force,group_name,member,provisional,source\n"
PROVISIONAL_MEMBERS = {
    "derbyshire",
    "lincolnshire",
    "northamptonshire",
    "nottinghamshire",
    "staffordshire",
}


def _groups() -> list[tuple[str, str, bool, set[str]]]:
    return [
        (g.force.force, g.name, g.provisional, {m.force for m in g.members.all()})
        for g in PeerGroup.objects.select_related("force").prefetch_related("members")
    ]


def _leicestershire_group() -> PeerGroup:
    return PeerGroup.objects.get(force__force="leicestershire")


def test_bundled_file_holds_the_provisional_east_midlands_group(ons_editions: list[Path]) -> None:
    group = _leicestershire_group()
    assert group.name == "Provisional peer group (East Midlands forces and Staffordshire)"
    assert group.provisional is True
    assert "most similar group" in group.source and "could not be confirmed" in group.source
    assert {m.force for m in group.members.all()} == PROVISIONAL_MEMBERS
    assert (REPO_ROOT / "data" / "geography" / "peer_groups.csv").is_file()


def test_reloading_the_bundled_file_is_unchanged(ons_editions: list[Path]) -> None:
    before = _groups()
    out = StringIO()
    call_command("load_peer_groups", stdout=out)
    assert "unchanged" in out.getvalue()
    assert _groups() == before


def test_an_unknown_force_id_is_refused_and_nothing_is_written(
    ons_editions: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "msg.csv"
    bad.write_text(
        HEADER
        + "leicestershire,Most similar group,derbyshire,false,Home Office\n"
        + "leicestershire,Most similar group,leics-police,false,Home Office\n",
        encoding="utf-8",
    )
    before = _groups()
    with pytest.raises(CommandError) as caught:
        call_command("load_peer_groups", str(bad), verbosity=0)
    message = str(caught.value)
    assert f"{bad}, row 3, column member: 'leics-police' is not a known police force id" in message
    assert "no peer groups were changed" in message
    assert _groups() == before


def test_bad_columns_and_values_are_each_named(ons_editions: list[Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("force,group,member\nleicestershire,x,derbyshire\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"row 1: expected the columns force, group_name"):
        call_command("load_peer_groups", str(bad), verbosity=0)
    bad.write_text(
        HEADER
        + "nowhere,G,leicestershire,perhaps,s\n"
        + "leicestershire,G,leicestershire,true,s\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        call_command("load_peer_groups", str(bad), verbosity=0)
    message = str(caught.value)
    assert "row 2, column force: 'nowhere' is not a known police force id" in message
    assert "row 2, column provisional: expected true or false, found 'perhaps'" in message
    assert "row 3, column member: a force is not its own peer" in message


def test_a_most_similar_group_file_replaces_the_provisional_group(
    ons_editions: list[Path], tmp_path: Path, client: object
) -> None:
    msg = tmp_path / "home-office-msg.csv"
    members = ["derbyshire", "nottinghamshire", "staffordshire", "kent", "essex"]
    msg.write_text(
        HEADER
        + "".join(
            f"leicestershire,Most similar group,{m},false,Home Office MSG (test file)\n"
            for m in members
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("load_peer_groups", str(msg), stdout=out)
    assert "replaced" in out.getvalue()
    assert _groups() == [
        ("leicestershire", "Most similar group", False, set(members)),
    ]
    # The default provisional file no longer overrides a confirmed group (make run reloads it).
    out = StringIO()
    call_command("load_peer_groups", stdout=out)
    assert "kept" in out.getvalue()
    assert _leicestershire_group().provisional is False

    html = client.get("/official-statistics/robbery/").content.decode()  # type: ignore[attr-defined]
    start = html.index('id="comparison"')
    table = html[start : html.index("</table>", start)]
    assert "Kent Police" in table and "Essex Police" in table
    assert "Lincolnshire Police" not in table
    assert "provisional" not in html.lower()
    assert "Most similar group" in html
