"""Fetch a force's neighbourhood policing teams from data.police.uk and store them.

Every neighbourhood's details, boundary, team and priorities are asked for first; then the
force's neighbourhoods are replaced through the import lifecycle (``policeplan.provenance``):
one transaction, with an :class:`ImportRun` recording the SHA-256 of the canonical JSON of
everything fetched. Fetching the same answers again writes
nothing; neighbourhoods the API no longer lists are deleted.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.utils import timezone

from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.content import ImportInput
from policeplan.provenance.errors import ImportFailed
from policeplan.provenance.lifecycle import (
    FAILED,
    Changes,
    ImportOutcome,
    ImportSource,
    Parsed,
    Written,
    run_import,
)
from policeplan.provenance.models import ImportRun, Slot
from policeplan.sources.police_uk_api import ApiError, PoliceUkApi

from .models import Neighbourhood, TeamMember

SOURCE = "police_uk_api"
KIND = "neighbourhoods"

Progress = Callable[[Sequence[Any], str], Iterable[Any]]


class NeighbourhoodApi(PoliceUkApi):
    """The API client plus the one neighbourhood endpoint it does not cover."""

    def neighbourhood_priorities(self, force: str, neighbourhood_id: str) -> list[dict[str, Any]]:
        """The team's priorities: ``issue``, ``issue-date``, ``action``, ``action-date``."""
        return self._list(f"/{quote(force, safe='')}/{quote(neighbourhood_id, safe='')}/priorities")


@dataclass
class NeighbourhoodsResult:
    force: str
    status: str  # imported, replaced, unchanged, failed
    neighbourhoods: int = 0
    team_members: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    requests: int = 0
    run_id: int | None = None
    problems: list[str] = field(default_factory=list)


def fetch_neighbourhoods(
    api: NeighbourhoodApi,
    force: str,
    run_by: str,
    *,
    progress: Progress = lambda items, label: items,
    allow_shrink: bool = False,
) -> NeighbourhoodsResult:
    """Fetch and store one force's neighbourhoods. Raises :class:`ApiError` (naming the URL)
    if any request fails or an answer has the wrong shape, or :class:`ImportFailed` if the
    answers cannot be stored; nothing is written then."""
    started = timezone.now()
    listing_url = f"{api.base_url}/{quote(force, safe='')}/neighbourhoods"
    listing = api.neighbourhoods(force)
    ids = _listed_ids(listing, listing_url)
    fetched = [_fetch_one(api, force, nid) for nid in progress(ids, "Neighbourhoods")]
    canonical = json.dumps(
        {"force": force, "neighbourhoods": fetched},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    answers = NeighbourhoodAnswers(force, fetched, requests=1 + 4 * len(ids))
    item = ImportInput(
        listing_url, read=functools.partial(bytes, canonical), url=listing_url, fetched_at=started
    )
    outcome = run_import(answers, item, run_by=run_by, allow_shrink=allow_shrink)
    result = answers.summarise(outcome)
    if result.status == FAILED:
        raise ImportFailed(listing_url, result.problems)
    return result


class NeighbourhoodAnswers(ImportSource[list[dict[str, Any]]]):
    """Everything fetched for one force's neighbourhoods; its SHA-256 is that of the
    canonical JSON of the answers. One slot per force: a new answer replaces the last."""

    source = SOURCE
    max_bytes = None  # built here from answers already read within the API client's limits

    def __init__(self, force: str, fetched: list[dict[str, Any]], requests: int) -> None:
        self.force = force
        self.fetched = fetched
        self.requests = requests

    def identify(self, item: ImportInput) -> Slot:
        fetched = item.fetched_at or timezone.now()
        return Slot(SOURCE, KIND, self.force, None, f"fetched {fetched:%Y-%m-%d}")

    def parse(
        self, item: ImportInput, content: bytes, slot: Slot | None
    ) -> Parsed[list[dict[str, Any]]]:
        assert slot is not None
        return Parsed(slot, self.fetched, len(self.fetched))

    def write(self, run: ImportRun, parsed: Parsed[list[dict[str, Any]]]) -> Written:
        # Neighbourhoods are kept by id and updated in place: no retire() is needed.
        result = _store(self.force, parsed.rows, run)
        written = result.neighbourhoods + result.team_members
        return Written(len(parsed.rows), written, detail=result)

    def compare(self, previous: ImportRun | None, before: Any, written: Written) -> Changes:
        result: NeighbourhoodsResult = written.detail
        held = previous.rows_written if previous is not None else 0
        changes = {"added": result.added, "removed": result.removed}
        return Changes(changes, held, max(0, held - written.rows_written))

    def summarise(self, outcome: ImportOutcome[list[dict[str, Any]]]) -> NeighbourhoodsResult:
        if outcome.status == FAILED:
            return NeighbourhoodsResult(self.force, FAILED, problems=outcome.problems)
        run = outcome.run
        assert run is not None
        if outcome.written is None:  # unchanged
            result = NeighbourhoodsResult(
                self.force,
                outcome.status,
                neighbourhoods=len(self.fetched),
                team_members=run.rows_written - len(self.fetched),
            )
        else:
            result = outcome.written.detail
            result.status = outcome.status
        result.requests, result.run_id = self.requests, run.id
        return result


def _listed_ids(listing: list[dict[str, Any]], url: str) -> list[str]:
    ids = [entry.get("id") for entry in listing]
    if not all(isinstance(i, str) and i.strip() for i in ids):
        raise ApiError(url, "a neighbourhood in the list has no id")
    if len(set(ids)) != len(ids):
        raise ApiError(url, "the list names a neighbourhood more than once")
    if not ids:
        # Deleting every team because of one empty answer would be worse than stale data.
        raise ApiError(url, "the force has no neighbourhoods listed; nothing was changed")
    return [str(i) for i in ids]


def _optional(fetch: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """An answer a neighbourhood may lack: 404 means none."""
    try:
        return fetch()
    except ApiError as exc:
        if exc.status == 404:
            return []
        raise


def _fetch_one(api: NeighbourhoodApi, force: str, nid: str) -> dict[str, Any]:
    details = api.neighbourhood(force, nid)
    boundary = _optional(lambda: api.neighbourhood_boundary(force, nid))
    people = _optional(lambda: api.neighbourhood_people(force, nid))
    priorities = _optional(lambda: api.neighbourhood_priorities(force, nid))
    url = f"{api.base_url}/{quote(force, safe='')}/{quote(nid, safe='')}"
    try:
        points = [[float(p["latitude"]), float(p["longitude"])] for p in boundary]
    except (KeyError, TypeError, ValueError):
        raise ApiError(
            url + "/boundary", "a boundary point has no usable latitude/longitude"
        ) from None
    for index, person in enumerate(people, start=1):
        if not isinstance(person, dict) or not _text(person.get("name")):
            raise ApiError(url + "/people", f"team member {index} has no name")
    return {
        "id": nid,
        "details": details,
        "boundary": points,
        "people": people,
        "priorities": [p for p in priorities if isinstance(p, dict)],
    }


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _store(force: str, fetched: list[dict[str, Any]], run: ImportRun) -> NeighbourhoodsResult:
    existing = {n.police_uk_id: n for n in Neighbourhood.objects.filter(force=force)}
    areas = {a.code: a for a in Area.objects.filter(kind=AreaKind.NEIGHBOURHOOD, force=force)}
    result = NeighbourhoodsResult(force, "imported")
    kept: list[Neighbourhood] = []
    for item in fetched:
        details = item["details"]
        neighbourhood = existing.get(item["id"]) or Neighbourhood(
            force=force, police_uk_id=item["id"]
        )
        if neighbourhood.pk is None:
            result.added.append(item["id"])
        neighbourhood.name = _text(details.get("name")) or item["id"]
        neighbourhood.description = _text(details.get("description"))
        neighbourhood.url_force = _text(details.get("url_force"))[:1000]
        contact = details.get("contact_details")
        neighbourhood.contact_details = contact if isinstance(contact, dict) else {}
        locations = details.get("locations")
        neighbourhood.locations = locations if isinstance(locations, list) else []
        neighbourhood.boundary = item["boundary"]
        neighbourhood.priorities = item["priorities"]
        neighbourhood.area = areas.get(item["id"])
        neighbourhood.fetched_at = run.started_at
        neighbourhood.import_run = run
        neighbourhood.save()
        kept.append(neighbourhood)
        TeamMember.objects.filter(neighbourhood=neighbourhood).delete()
        members = [
            TeamMember(
                neighbourhood=neighbourhood,
                name=_text(person.get("name")),
                rank=_text(person.get("rank")),
                bio=_text(person.get("bio")),
                contact_details=(
                    person["contact_details"]
                    if isinstance(person.get("contact_details"), dict)
                    else {}
                ),
                order=order,
            )
            for order, person in enumerate(item["people"])
        ]
        TeamMember.objects.bulk_create(members)
        result.team_members += len(members)
    listed = {item["id"] for item in fetched}
    gone = [n for pid, n in existing.items() if pid not in listed]
    result.removed = sorted(n.police_uk_id for n in gone)
    Neighbourhood.objects.filter(pk__in=[n.pk for n in gone]).delete()
    result.neighbourhoods = len(kept)
    return result
