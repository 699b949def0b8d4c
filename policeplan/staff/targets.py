"""Metric targets: set by approvers, read by SPC assurance and the public metric page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.context import set_actor
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from policeplan.catalogue.models import Metric
from policeplan.metrics.readside import rebuild

from .models import Target
from .workflow import WorkflowError, _require


def current_target(metric: Metric, on: dt.date | None = None) -> Target | None:
    """The target in force on ``on`` (default today): the latest set whose dates cover it."""
    on = on or timezone.localdate()
    return (
        Target.objects.filter(metric=metric, removed_at__isnull=True, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-set_at", "-pk")
        .first()
    )


@transaction.atomic
def set_target(
    user: Any,
    metric: Metric,
    *,
    kind: str,
    starts_on: dt.date,
    value: float | None = None,
    direction: str = "",
    baseline: float | None = None,
    baseline_label: str = "",
    ends_on: dt.date | None = None,
    note: str = "",
) -> Target:
    """A new target for ``metric``; earlier ones are kept (the latest set wins)."""
    _require(user, "staff.set_targets", "set targets")
    if kind == Target.Kind.VALUE and value is None:
        raise WorkflowError("a target value is needed")
    if kind == Target.Kind.DIRECTION and direction not in Target.Direction.values:
        raise WorkflowError("choose whether the figure should increase, reduce or be maintained")
    if kind not in Target.Kind.values:
        raise WorkflowError(f"'{kind}' is not a kind of target")
    if metric.unit == "percent" and value is not None and not 0 <= value <= 100:
        raise WorkflowError("a percentage target must be between 0 and 100")
    if ends_on is not None and ends_on < starts_on:
        raise WorkflowError("the target ends before it starts")
    with set_actor(user):
        target = Target.objects.create(
            metric=metric, kind=kind, value=value if kind == Target.Kind.VALUE else None,
            direction=direction if kind == Target.Kind.DIRECTION else "",
            baseline=baseline if kind == Target.Kind.DIRECTION else None,
            baseline_label=baseline_label, starts_on=starts_on, ends_on=ends_on, note=note,
            set_by=user, set_at=timezone.now(),
        )  # fmt: skip
    rebuild(only=[metric])  # SPC assurance on the stored reports is judged against it
    return target


@transaction.atomic
def remove_target(user: Any, target: Target) -> Target:
    _require(user, "staff.set_targets", "remove targets")
    with set_actor(user):
        target.removed_at = timezone.now()
        target.save(update_fields=["removed_at"])
    rebuild(only=[target.metric])
    return target
