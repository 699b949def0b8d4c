"""Fetch a force's street crimes and stop and search from data.police.uk and import them.

Two ways to get a month:

* the JSON API (default): street crimes are asked for neighbourhood by neighbourhood (the API
  has no force polygon), de-duplicated and written as a ``-street.csv``; stop and search comes
  from ``/stops-force`` as a ``-stop-and-search.csv``;
* the monthly archive zip (``archive=True``): the force's members of
  ``{archive_base_url}/YYYY-MM.zip`` (each holds the 36 months to YYYY-MM).

Either way every file goes through :func:`policeplan.ingest.police_uk.import_file` (the
import lifecycle of ``policeplan.provenance``), so the provenance, idempotency (content hash)
and revisions are the same as for a downloaded file. A month is imported only once every
request for it has succeeded, in one transaction: a failure part-way leaves nothing of that
month written.

Resuming: with a :class:`Checkpoint`, each finished request's answer is kept on disk beside
the checkpoint file until its month is imported, so a re-run after an interruption repeats no
finished request. A run that completes removes its checkpoint and kept answers.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from policeplan.ingest.police_uk import SOURCE, import_file
from policeplan.provenance.content import ImportInput
from policeplan.provenance.errors import ImportFailed
from policeplan.provenance.models import ImportRun, Slot
from policeplan.sources.police_uk_api import ApiError, Checkpoint, PoliceUkApi
from policeplan.sources.police_uk_api_csv import (
    ApiDataError,
    Availability,
    ConvertedMonth,
    available_months,
    force_name,
    stop_and_search_csv,
    street_csv,
    unique_crimes,
)
from policeplan.sources.police_uk_api_support import (
    LatLng,
    polygon_from_boundary,
    validate_polygon,
)
from policeplan.sources.police_uk_archive import (
    DEFAULT_ARCHIVE_BASE_URL,
    DEFAULT_MAX_ARCHIVE_BYTES,
    DEFAULT_MAX_EXPANDED_BYTES,
    archive_url,
    download,
)
from policeplan.sources.police_uk_zip import ZipArchiveError, ZipMember, list_zip_members

T = TypeVar("T")
Progress = Callable[[Sequence[Any], str], Iterable[Any]]
STREET, STOP_AND_SEARCH = "street", "stop-and-search"


def no_progress(items: Sequence[T], description: str) -> Iterable[T]:
    """The default progress reporter: none."""
    return items


class FetchFailed(Exception):
    """A fetch stopped; the message names the URL. ``report`` holds what was done before."""

    def __init__(self, message: str, report: FetchReport) -> None:
        self.report = report
        super().__init__(message)


@dataclass
class FetchPlan:
    """What to fetch, and how patiently (timeouts and retries also apply to archives)."""

    force: str
    first_month: str
    last_month: str
    run_by: str
    archive: bool = False
    archive_base_url: str = DEFAULT_ARCHIVE_BASE_URL
    archive_max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES
    replace_files: bool = False
    timeout: float = 60.0
    max_attempts: int = 5
    backoff_seconds: float = 1.0
    allow_shrink: bool = False  # accept a month that loses over the allowed share (ADR 0013)


@dataclass
class FetchedFile:
    """One file's outcome: imported, replaced, unchanged, kept (a bulk file is held), or
    imported by an earlier, interrupted run (resumed)."""

    name: str
    month: str
    kind: str
    status: str
    rows: int = 0
    requests: int = 0
    url: str = ""
    note: str = ""


@dataclass
class FetchReport:
    force: str
    force_name: str = ""
    availability: Availability | None = None
    files: list[FetchedFile] = field(default_factory=list)
    neighbourhoods: int = 0
    neighbourhoods_without_boundary: list[str] = field(default_factory=list)
    requests: int = 0


class ResponseCache:
    """Answers of finished requests, kept beside a :class:`Checkpoint` until no longer needed.

    The checkpoint records which requests finished (keys are small: force, neighbourhood and
    month rather than a polygon); the answers themselves are JSON files in
    ``<checkpoint>.responses/``. Without a checkpoint every call is simply made.
    """

    def __init__(self, checkpoint: Checkpoint | None) -> None:
        self.checkpoint = checkpoint
        self.folder = (
            checkpoint.path.with_name(checkpoint.path.name + ".responses")
            if checkpoint is not None  # (an empty Checkpoint is falsy: it has a length)
            else None
        )
        self.requests = 0

    def call(self, endpoint: str, params: Mapping[str, Any], fetch: Callable[[], T]) -> T:
        """The answer to a request: from an earlier run if it finished, otherwise fetched."""
        if self.checkpoint is not None and self.checkpoint.is_done(endpoint, params):
            try:
                answer: T = json.loads(self._path(endpoint, params).read_text(encoding="utf-8"))
                return answer
            except (OSError, ValueError):
                pass  # the kept answer is gone: ask again
        self.requests += 1
        value = fetch()
        if self.checkpoint is not None:
            self._keep(self._path(endpoint, params), value)
            self.checkpoint.mark_done(endpoint, params)
        return value

    def is_done(self, endpoint: str, params: Mapping[str, Any]) -> bool:
        return self.checkpoint is not None and self.checkpoint.is_done(endpoint, params)

    def mark_done(
        self, endpoint: str, params: Mapping[str, Any], forget: Iterable[tuple[str, Any]] = ()
    ) -> None:
        """Record a finished step and drop the kept answers it no longer needs."""
        if self.checkpoint is None:
            return
        self.checkpoint.mark_done(endpoint, params)
        for used_endpoint, used_params in forget:
            self._path(used_endpoint, used_params).unlink(missing_ok=True)

    def finish(self) -> None:
        """A run completed: remove the checkpoint and every kept answer."""
        if self.checkpoint is None or self.folder is None:
            return
        shutil.rmtree(self.folder, ignore_errors=True)
        self.checkpoint.path.unlink(missing_ok=True)

    def _path(self, endpoint: str, params: Mapping[str, Any]) -> Path:
        assert self.folder is not None
        digest = hashlib.sha256(Checkpoint.key(endpoint, params).encode()).hexdigest()[:32]
        return self.folder / f"{endpoint}-{digest}.json"

    @staticmethod
    def _keep(path: Path, value: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(value, stream, separators=(",", ":"))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def fetch_police_uk(
    api: PoliceUkApi, plan: FetchPlan, *, progress: Progress = no_progress
) -> FetchReport:
    """Fetch and import the months of ``plan``; raises :class:`FetchFailed` on a problem."""
    return _Fetcher(api, plan, progress).run()


class _Fetcher:
    def __init__(self, api: PoliceUkApi, plan: FetchPlan, progress: Progress) -> None:
        self.api = api
        self.plan = plan
        self.progress = progress
        self.cache = ResponseCache(api.checkpoint)
        self.report = FetchReport(plan.force)
        self._areas: list[tuple[str, list[LatLng]]] | None = None
        self.current = ""

    def run(self) -> FetchReport:
        force = self.plan.force
        try:
            forces = self.cache.call("forces", {}, self.api.forces)
            self.report.force_name = self._converted(
                f"{self.api.base_url}/forces", lambda: force_name(forces, force)
            )
            dates = self.cache.call("crimes_street_dates", {}, self.api.crimes_street_dates)
            self.report.availability = self._converted(
                f"{self.api.base_url}/crimes-street-dates",
                lambda: available_months(dates, force, self.plan.first_month, self.plan.last_month),
            )
            if self.plan.archive:
                self._fetch_archives(self.report.availability)
            else:
                self._fetch_from_api(self.report.availability)
        except (ApiError, ZipArchiveError) as exc:
            raise FetchFailed(self._stopped(str(exc)), self.report) from exc
        finally:
            self.report.requests = self.cache.requests
        self.cache.finish()
        return self.report

    def _stopped(self, problem: str) -> str:
        done = sum(f.status in {"imported", "replaced"} for f in self.report.files)
        if not self.current and not done:
            return f"{problem}\nNothing was written."
        where = f" while fetching {self.current}" if self.current else ""
        if self.cache.checkpoint is not None:
            resume = f"Run the same command again to resume from {self.cache.checkpoint.path}."
        else:
            resume = "Add --checkpoint PATH to resume without repeating finished requests."
        return (
            f"{problem}\nStopped{where}: nothing from it was written. "
            f"{done} file{'s' if done != 1 else ''} imported before the problem "
            f"{'are' if done != 1 else 'is'} kept. {resume}"
        )

    @staticmethod
    def _converted(url: str, convert: Callable[[], T]) -> T:
        try:
            return convert()
        except ApiDataError as exc:
            raise ApiError(url, str(exc)) from None

    # --- the API ------------------------------------------------------------------------------

    def _fetch_from_api(self, availability: Availability) -> None:
        tasks = sorted(
            [(m, STREET) for m in availability.street]
            + [(m, STOP_AND_SEARCH) for m in availability.stop_and_search]
        )
        named = [_Task(f"{m}-{self.plan.force}-{kind}.csv", m, kind) for m, kind in tasks]
        for task in self.progress(named, "Fetching"):
            self.current = task.name
            self.report.files.append(self._fetch_month(task))
        self.current = ""

    def _fetch_month(self, task: _Task) -> FetchedFile:
        done_key = {"force": self.plan.force, "kind": task.kind, "month": task.month}
        found = FetchedFile(task.name, task.month, task.kind, "resumed")
        if self.cache.is_done("imported", done_key):
            found.note = "imported by an earlier, interrupted run"
            return found
        held = _current_run(self.plan.force, task.kind, task.month)
        if held is not None and not _from_api(held) and not self.plan.replace_files:
            found.status, found.rows = "kept", held.rows_written
            found.note = "a downloaded file is held; --replace-files replaces it"
            return found
        before = self.cache.requests
        if task.kind == STREET:
            converted, url, used = self._street_month(task.month)
            left_out = converted.left_out.get("British Transport Police", 0)
            plural = "crime" if left_out == 1 else "crimes"
            note = f"{left_out} British Transport Police {plural} left out" if left_out else ""
        else:
            converted, url, used = self._stop_and_search_month(task.month)
            note = ""
        result = import_file(
            ImportInput(task.name, read=functools.partial(bytes, converted.data), url=url),
            self.plan.run_by,
            self.plan.allow_shrink,
        )
        if result.status == "failed":
            raise ApiError(url, "the converted answer was refused: " + "; ".join(result.problems))
        self.cache.mark_done("imported", done_key, forget=used)
        return FetchedFile(
            task.name,
            task.month,
            task.kind,
            result.status,
            rows=result.rows_read,
            requests=self.cache.requests - before,
            url=url,
            note=note,
        )

    def _street_month(self, month: str) -> tuple[ConvertedMonth, str, list[tuple[str, Any]]]:
        batches: list[list[dict[str, Any]]] = []
        used: list[tuple[str, Any]] = []
        for neighbourhood, polygon in self._neighbourhood_areas():
            params = {"force": self.plan.force, "neighbourhood": neighbourhood, "date": month}
            used.append(("crimes_street", params))
            batches.append(
                self.cache.call(
                    "crimes_street",
                    params,
                    functools.partial(self.api.crimes_street, polygon, date=month),
                )
            )
        url = f"{self.api.base_url}/crimes-street/all-crime?date={month}"
        name = self.report.force_name
        converted = self._converted(
            url, lambda: street_csv(unique_crimes(batches), month=month, force_name=name)
        )
        return converted, url, used

    def _stop_and_search_month(
        self, month: str
    ) -> tuple[ConvertedMonth, str, list[tuple[str, Any]]]:
        params = {"force": self.plan.force, "date": month}
        stops = self.cache.call(
            "stops_force", params, functools.partial(self.api.stops_force, **params)
        )
        url = f"{self.api.base_url}/stops-force?force={self.plan.force}&date={month}"
        converted = self._converted(url, lambda: stop_and_search_csv(stops, month=month))
        return converted, url, [("stops_force", params)]

    def _neighbourhood_areas(self) -> list[tuple[str, list[LatLng]]]:
        """Each neighbourhood's boundary polygon (asked for once a run, when first needed)."""
        if self._areas is not None:
            return self._areas
        force = self.plan.force
        listing = self.cache.call(
            "neighbourhoods", {"force": force}, functools.partial(self.api.neighbourhoods, force)
        )
        url = f"{self.api.base_url}/{force}/neighbourhoods"
        ids = self._converted(url, lambda: _neighbourhood_ids(listing))
        areas: list[tuple[str, list[LatLng]]] = []
        for neighbourhood in self.progress(ids, "Boundaries"):
            boundary = self.cache.call(
                "neighbourhood_boundary",
                {"force": force, "neighbourhood_id": neighbourhood},
                functools.partial(self.api.neighbourhood_boundary, force, neighbourhood),
            )
            try:
                areas.append((neighbourhood, validate_polygon(polygon_from_boundary(boundary))))
            except (ValueError, KeyError, TypeError, AttributeError):
                self.report.neighbourhoods_without_boundary.append(neighbourhood)
        if not areas:
            raise ApiError(url, "no neighbourhood has a usable boundary to ask for crimes in")
        self.report.neighbourhoods = len(areas)
        self._areas = areas
        return areas

    # --- the archive --------------------------------------------------------------------------

    def _fetch_archives(self, availability: Availability) -> None:
        """Download archives newest first until every available month in range is covered."""
        pending = set(availability.street)
        while pending:
            month = max(pending)
            self.current = f"{month}.zip"
            params = {"force": self.plan.force, "month": month, "first": self.plan.first_month}
            before = self.cache.requests
            done = self.cache.call(
                "archive", params, functools.partial(self._import_archive, month)
            )
            for entry in done["files"]:
                found = FetchedFile(**entry)
                if self.cache.requests == before:
                    found.note = "imported by an earlier, interrupted run"
                self.report.files.append(found)
            pending -= set(done["covered"]) | {month}
        self.current = ""
        held = {f.month for f in self.report.files if f.kind == STREET}
        for month in availability.street:
            if month not in held:
                name = f"{month}-{self.plan.force}-{STREET}.csv"
                note = "the archive holds no street file of this force for the month"
                self.report.files.append(FetchedFile(name, month, STREET, "missing", note=note))

    def _import_archive(self, month: str) -> dict[str, Any]:
        url = archive_url(self.plan.archive_base_url, month)
        plan = self.plan
        with tempfile.TemporaryDirectory(prefix="policeplan-archive-") as folder:
            path = Path(folder) / f"{month}.zip"
            download(
                url,
                path,
                max_bytes=plan.archive_max_bytes,
                timeout=plan.timeout,
                max_attempts=plan.max_attempts,
                backoff_seconds=plan.backoff_seconds,
            )
            try:
                members = list_zip_members(path, max_total_bytes=DEFAULT_MAX_EXPANDED_BYTES)
            except ZipArchiveError as exc:
                raise ApiError(url, "; ".join(exc.problems)) from None
            covered = sorted({m.identity.month for m in members})
            mine = [
                m
                for m in members
                if m.identity.force == plan.force
                and plan.first_month <= m.identity.month <= plan.last_month
            ]
            files: list[dict[str, Any]] = []
            for member in self.progress(sorted(mine, key=lambda m: m.name), f"{month}.zip"):
                self.current = f"{month}.zip!{member.name}"
                item = ImportInput(
                    f"{month}.zip!{member.name}",
                    read=functools.partial(_read_member, path, member),
                    url=url,
                )
                result = import_file(item, plan.run_by, plan.allow_shrink)
                if result.status == "failed":
                    raise ApiError(url, "; ".join(result.problems))
                found = FetchedFile(
                    member.identity.file_name,
                    member.identity.month,
                    member.identity.kind.value,
                    result.status,
                    rows=result.rows_read,
                    url=url,
                )
                files.append(asdict(found))
        return {"covered": covered, "files": files}


@dataclass(frozen=True)
class _Task:
    name: str
    month: str
    kind: str


def _neighbourhood_ids(listing: object) -> list[str]:
    if not isinstance(listing, list):
        raise ApiDataError("expected a list of neighbourhoods")
    ids = [entry.get("id") for entry in listing if isinstance(entry, dict)]
    if len(ids) != len(listing) or not all(isinstance(i, str) and i for i in ids):
        raise ApiDataError("a neighbourhood in the list has no id")
    if not ids:
        raise ApiDataError("the force has no neighbourhoods to ask for crimes in")
    return [str(i) for i in ids]


def _current_run(force: str, kind: str, month: str) -> ImportRun | None:
    slot = Slot(SOURCE, kind, force, date.fromisoformat(month + "-01"))
    return ImportRun.objects.current_for(slot)


def _from_api(run: ImportRun) -> bool:
    """True if a held month was itself made from API answers (so a new answer may replace it)."""
    return "/crimes-street/" in run.source_url or "/stops-force" in run.source_url


def _read_member(path: Path, member: ZipMember) -> bytes:
    """One archive member, read with its declared size as a hard limit (the member list was
    checked for unsafe names, oversized totals and likely zip bombs first)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member.name) as handle:
            data = handle.read(member.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise ImportFailed(member.name, [f"{member.name}: the member is corrupt ({exc})"]) from None
    if len(data) != member.file_size:
        raise ImportFailed(
            member.name,
            [f"{member.name}: holds {len(data):,} bytes but declares {member.file_size:,}"],
        )
    return data
