"""Fetch a force's neighbourhood policing teams from data.police.uk and store them.

Every neighbourhood's details, boundary, team and priorities are asked for first; then the
force's neighbourhoods are replaced in one transaction with an :class:`ImportRun` recording the
SHA-256 of the canonical JSON of everything fetched. Fetching the same answers again writes
nothing; neighbourhoods the API no longer lists are deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone

from policeplan.geography.models import Area, AreaKind
from policeplan.ingest.models import ImportRun
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
    status: str  # imported, replaced, unchanged
    neighbourhoods: int = 0
    team_members: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    requests: int = 0
    run_id: int | None = None


def fetch_neighbourhoods(
    api: NeighbourhoodApi,
    force: str,
    run_by: str,
    *,
    progress: Progress = lambda items, label: items,
) -> NeighbourhoodsResult:
    """Fetch and store one force's neighbourhoods. Raises :class:`ApiError` (naming the URL)
    if any request fails or an answer has the wrong shape; nothing is written then."""
    started = timezone.now()
    listing_url = f"{api.base_url}/{quote(force, safe='')}/neighbourhoods"
    listing = api.neighbourhoods(force)
    ids = _listed_ids(listing, listing_url)
    fetched = [_fetch_one(api, force, nid) for nid in progress(ids, "Neighbourhoods")]
    requests = 1 + 4 * len(ids)
    canonical = json.dumps(
        {"force": force, "neighbourhoods": fetched},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    digest = hashlib.sha256(canonical).hexdigest()
    slot = {"source": SOURCE, "kind": KIND, "force": force}
    current = ImportRun.objects.filter(status=ImportRun.Status.CURRENT, **slot).first()
    if current is not None and current.content_sha256 == digest:
        return NeighbourhoodsResult(
            force,
            "unchanged",
            neighbourhoods=len(fetched),
            team_members=current.rows_written - len(fetched),
            requests=requests,
            run_id=current.id,
        )
    with transaction.atomic():
        if current is not None:
            current.status = ImportRun.Status.SUPERSEDED
            current.save(update_fields=["status"])
        run = ImportRun.objects.create(
            **slot,
            month=None,
            status=ImportRun.Status.CURRENT,
            period_label=f"fetched {started:%Y-%m-%d}",
            source_path=listing_url,
            source_url=listing_url,
            sha256=digest,
            content_sha256=digest,
            size_bytes=len(canonical),
            rows_read=len(fetched),
            started_at=started,
            finished_at=started,
            run_by=run_by,
            supersedes=current,
        )
        result = _store(force, fetched, run)
        run.rows_written = result.neighbourhoods + result.team_members
        run.changes = {"added": result.added, "removed": result.removed}
        run.finished_at = timezone.now()
        run.save()
    result.status = "replaced" if current is not None else "imported"
    result.requests, result.run_id = requests, run.id
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
