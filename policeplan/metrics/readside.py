"""The stored read side: every series report built once when data changes, read when people look.

``rebuild`` runs after ``compute_metrics``, a publication, a withdrawal, a target change and a
plan or geography load. It writes, per metric series and area with figures, the report the
metric, area and exceptions pages and the API show (latest figure, 12-month and year-to-date
comparisons, SPC limits and signals per point, variation, assurance against the target,
exception flags with their reasons, out-of-date status): one set as public now and one for
each coming moment at which that changes (an embargo lifting or ending, a target starting or
ending), so an embargo lifting at 09:30 shows at 09:30 with nothing recomputed then.

The readers below are the one query layer publishing and the API use; nothing statistical
runs at request time. ADR 0015.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.provenance import version
from policeplan.provenance.version import EPOCH

from . import reports
from .computations import Engine, computation_of
from .models import Observation, ReportSnapshot, SnapshotKind

# Settings the stored reports depend on. A report built under other values (the server
# restarted with new settings, before the next compute_metrics) is not used: it is worked out
# afresh when read, as before this read side existed.
STORED_SETTINGS = (
    "POLICEPLAN_STALE_AFTER_MONTHS",
    "POLICEPLAN_SPC_REBASE",
    "POLICEPLAN_SPC_REBASE_AFTER_GAP",
    "POLICEPLAN_SPC_RUN_LENGTH",
    "POLICEPLAN_SPC_CONVENTION",
    "POLICEPLAN_EXCEPTION_CHANGE_THRESHOLD",
)

Report = reports.SeriesReport | reports.OfficialReport
Key = tuple[int, str, int]  # metric id, series slug, area id
BATCH = 200


def settings_hash() -> str:
    """A short fingerprint of ``STORED_SETTINGS``' current values."""
    values = json.dumps([getattr(settings, name) for name in STORED_SETTINGS], default=str)
    return hashlib.sha256(values.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RebuildResult:
    snapshots: int
    moments: list[dt.datetime]


def coming_moments(now: dt.datetime) -> list[dt.datetime]:
    """When what the public sees changes after ``now`` with no one acting: staff figures and
    commentary reaching their embargo or leaving publication, targets starting or ending."""
    from policeplan.registers.models import MODELS as REGISTERS
    from policeplan.staff.models import Commentary, Target

    moments: set[dt.datetime] = set()
    models: list[Any] = [Observation, Commentary, *REGISTERS.values()]
    for model in models:
        for field in ("published_from", "published_until"):
            moments.update(
                model.objects.filter(**{f"{field}__gt": now}).values_list(field, flat=True)
            )
    today = timezone.localdate(now)
    zone = timezone.get_current_timezone()
    targets = Target.objects.filter(removed_at__isnull=True)
    days = set(targets.filter(starts_on__gt=today).values_list("starts_on", flat=True))
    days |= {
        end + dt.timedelta(days=1)
        for end in targets.filter(ends_on__gte=today).values_list("ends_on", flat=True)
        if end is not None
    }
    moments.update(dt.datetime.combine(day, dt.time(), tzinfo=zone) for day in days)
    return sorted(moments)


def rebuild(now: dt.datetime | None = None, only: Iterable[Metric] | None = None) -> RebuildResult:
    """Replace the read side (one transaction) and advance the data version.

    ``only``: just these metrics changed (a staff publication, a target). Their reports are
    rebuilt alone unless what "current" means for a force (its newest month held, against
    which every series is judged out of date or not) changed too; then everything is.
    """
    now = now or timezone.now()
    moments = coming_moments(now)
    written = 0
    with transaction.atomic():
        changed = {m.id for m in only} if only is not None else None
        if changed is not None and not _references_hold(now, moments, changed):
            changed = None
        stale = ReportSnapshot.objects.all()
        if changed is not None:
            stale = stale.filter(metric_id__in=changed)
        stale.delete()
        metrics = {m.id: m for m in Metric.objects.select_related("plan")}
        keys: set[Key] = set()
        for at, valid_from in [(now, EPOCH), *((m, m) for m in moments)]:
            published = Observation.objects.published(at)
            if changed is not None:
                published = published.filter(metric_id__in=changed)
            keys |= set(published.values_list("metric_id", "series", "area_id"))
            areas = Area.objects.in_bulk({area_id for _, _, area_id in keys})
            rows = (
                _snapshot(metrics[m], series, areas[a], at, valid_from, now)
                for m, series, a in sorted(keys)
            )
            written += _write(row for row in rows if row is not None)
        version.advance(moments)
    return RebuildResult(written, moments)


def _force_references(at: dt.datetime) -> dict[int, dt.date]:
    """Each force's newest month held, as public at ``at`` (``reports.reference_month``)."""
    newest = (
        Observation.objects.published(at)
        .filter(area__kind=AreaKind.FORCE, period_end__lte=reports.current_month_start(at))
        .values_list("area_id")
        .annotate(newest=Max("period_end"))
    )
    return dict(newest)


def _references_hold(now: dt.datetime, moments: list[dt.datetime], changed: set[int]) -> bool:
    """Whether every stored report of the other metrics was judged against the newest month
    each force holds now and at each coming moment."""
    others = ReportSnapshot.objects.exclude(metric_id__in=changed).exclude(reference=None)
    for at in [now, *moments]:
        held = _force_references(at)
        effective: dict[tuple[int, str, int], tuple[dt.datetime, dt.date | None, int | None]] = {}
        rows = others.filter(valid_from__lte=at).values_list(
            "metric_id", "series", "area_id", "valid_from", "reference", "area__parent_id"
        )
        for metric_id, series, area_id, valid_from, reference, parent_id in rows:
            key = (metric_id, series, area_id)
            if key not in effective or effective[key][0] < valid_from:
                effective[key] = (valid_from, reference, parent_id)
        for (_, _, area_id), (_, reference, parent_id) in effective.items():
            force = area_id if area_id in held else parent_id
            if force is None or held.get(force) != reference:
                return False
    return True


def _write(rows: Iterable[ReportSnapshot]) -> int:
    batch: list[ReportSnapshot] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            count += len(ReportSnapshot.objects.bulk_create(batch))
            batch = []
    count += len(ReportSnapshot.objects.bulk_create(batch))
    return count


def _declared(metric: Metric, slug: str) -> dict[str, Any] | None:
    return next((dict(s) for s in metric.series if s["slug"] == slug), None)


def _snapshot(
    metric: Metric, slug: str, area: Area, at: dt.datetime, valid_from: dt.datetime,
    built_at: dt.datetime,
) -> ReportSnapshot | None:  # fmt: skip
    """The report for one key as public at ``at``; an empty one when it has no figures then
    (so an earlier moment's report is not read in its place)."""
    series = _declared(metric, slug)
    if series is None:  # figures of a series the catalogue no longer declares
        return None
    report: Report | None
    if computation_of(series).engine is Engine.ONS_PFA:
        kind = SnapshotKind.OFFICIAL
        report = reports.official_report(metric, series, area, at=at)
    else:
        kind = SnapshotKind.SERIES
        breakdown = area.kind == AreaKind.FORCE
        report = reports.series_report(metric, series, area, breakdown=breakdown, at=at)
    blob, reference = b"", None
    if report is not None:
        reference = (
            report.freshness.reference.first_day
        )  # the metric and area rows are attached again when read
        report.metric, report.area = None, None  # type: ignore[assignment]
        blob = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    return ReportSnapshot(
        metric=metric, series=slug, area=area, kind=kind, valid_from=valid_from,
        report=blob, reference=reference, built_at=built_at, settings_hash=settings_hash(),
    )  # fmt: skip


# --- readers: the one query layer over the read side ---------------------------------------


Stored = tuple[bytes | memoryview, str]  # the pickled report (empty: none), settings hash


def _load(
    stored: Stored | None, metric: Metric, series: dict[str, Any], area: Area
) -> Report | None:
    if stored is None:
        return None
    blob, built_with = stored
    if built_with != settings_hash():
        return _afresh(metric, series, area)
    if not blob:
        return None
    report: Report = pickle.loads(bytes(blob))  # noqa: S301 - written by rebuild() only
    report.metric, report.area = metric, area  # the catalogue's and geography's live rows
    return report


def _afresh(metric: Metric, series: dict[str, Any], area: Area) -> Report | None:
    """Built when read: only when the statistical settings changed since the last rebuild."""
    if computation_of(series).engine is Engine.ONS_PFA:
        return reports.official_report(metric, series, area)
    return reports.series_report(metric, series, area, breakdown=area.kind == AreaKind.FORCE)


def _latest(snapshots: Any, at: dt.datetime | None) -> dict[tuple[int, str], Stored]:
    """Per (metric, series), the stored report valid at ``at``."""
    found: dict[tuple[int, str], Stored] = {}
    rows = snapshots.filter(valid_from__lte=at or timezone.now()).order_by("valid_from")
    for metric_id, slug, blob, built_with in rows.values_list(
        "metric_id", "series", "report", "settings_hash"
    ):
        found[(metric_id, slug)] = (blob, built_with)
    return found


def _one(metric: Metric, series: dict[str, Any], area: Area, at: dt.datetime | None) -> Any:
    snapshots = ReportSnapshot.objects.filter(metric=metric, series=series["slug"], area=area)
    return _load(_latest(snapshots, at).get((metric.id, series["slug"])), metric, series, area)


def series_report(
    metric: Metric, series: dict[str, Any], area: Area, at: dt.datetime | None = None
) -> reports.SeriesReport | None:
    """The stored monthly report of ``series`` for ``area``, as public at ``at``."""
    report = _one(metric, series, area, at)
    return report if isinstance(report, reports.SeriesReport) else None


def official_report(
    metric: Metric, series: dict[str, Any], area: Area, at: dt.datetime | None = None
) -> reports.OfficialReport | None:
    """The stored ONS 12-month editions of ``series`` for ``area``, as public at ``at``."""
    report = _one(metric, series, area, at)
    return report if isinstance(report, reports.OfficialReport) else None


class AreaReports:
    """Every stored report for one area (of one plan), read in one query."""

    def __init__(self, area: Area, plan_id: int | None = None, at: dt.datetime | None = None):
        self.area = area
        snapshots = ReportSnapshot.objects.filter(area=area)
        if plan_id is not None:
            snapshots = snapshots.filter(metric__plan_id=plan_id)
        self._stored = _latest(snapshots, at)

    def report(self, metric: Metric, series: dict[str, Any]) -> Report | None:
        return _load(self._stored.get((metric.id, series["slug"])), metric, series, self.area)

    def series_report(self, metric: Metric, series: dict[str, Any]) -> reports.SeriesReport | None:
        report = self.report(metric, series)
        return report if isinstance(report, reports.SeriesReport) else None

    def official_report(
        self, metric: Metric, series: dict[str, Any]
    ) -> reports.OfficialReport | None:
        report = self.report(metric, series)
        return report if isinstance(report, reports.OfficialReport) else None
