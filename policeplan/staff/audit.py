"""The audit log: which models are audited (django-auditlog, see ADR 0011) and how an entry
reads in the staff area and in the CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.utils import timezone

ACTION_LABELS = {
    LogEntry.Action.CREATE: "Created",
    LogEntry.Action.UPDATE: "Changed",
    LogEntry.Action.DELETE: "Deleted",
    LogEntry.Action.ACCESS: "Viewed",
}
CSV_HEADER = ["when", "who", "action", "object_type", "object_id", "object", "changes"]
# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def hide_secret(value: str) -> str:
    """Mask for secret fields: the log says a password or key changed, never what it is."""
    return "(hidden)" if value else ""


def register_audited_models() -> None:
    """Register the models whose every change is logged. Idempotent."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import Commentary, Correction, StaffProfile, Submission, Target

    user_model = get_user_model()
    registrations: list[tuple[Any, dict[str, Any]]] = [
        (
            user_model,
            {
                "exclude_fields": ["last_login"],
                "mask_fields": ["password"],
                "mask_callable": "policeplan.staff.audit.hide_secret",
                "m2m_fields": {"groups", "user_permissions"},
            },
        ),
        (Group, {"m2m_fields": {"permissions"}}),
        (StaffProfile, {}),
        # The workflow. Staff-entered figures are logged by the workflow itself (Observation
        # also holds millions of computed rows, whose bulk deletes must stay signal-free).
        (Submission, {}),
        (Commentary, {}),
        (Target, {}),
        (Correction, {}),
        (TOTPDevice, {"include_fields": ["user", "name", "confirmed"]}),
    ]
    for model, options in registrations:
        if not auditlog.contains(model):
            auditlog.register(model, **options)


@dataclass(frozen=True)
class AuditRow:
    """One log entry as people read it."""

    when: datetime
    who: str
    action: str
    object_type: str
    object_id: str
    object: str
    changes: list[str]

    def csv_cells(self) -> list[str]:
        cells = [
            timezone.localtime(self.when).isoformat(timespec="seconds"),
            self.who,
            self.action,
            self.object_type,
            self.object_id,
            self.object,
            "; ".join(self.changes),
        ]
        return [_safe_cell(c) for c in cells]


def entries(object_type: str = "") -> QuerySet[LogEntry]:
    """Log entries, newest first; ``object_type`` filters by model ("auth.user")."""
    queryset = LogEntry.objects.select_related("actor", "content_type").order_by(
        "-timestamp", "-pk"
    )
    if object_type:
        app_label, _, model = object_type.partition(".")
        queryset = queryset.filter(content_type__app_label=app_label, content_type__model=model)
    return queryset


def object_types() -> list[tuple[str, str]]:
    """(value, label) of every model that has log entries, for the filter."""
    types = (
        LogEntry.objects.values_list("content_type__app_label", "content_type__model")
        .distinct()
        .order_by("content_type__app_label", "content_type__model")
    )
    return [(f"{app}.{model}", _type_label(app, model)) for app, model in types]


def _type_label(app_label: str, model: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_model(app_label, model)._meta.verbose_name).capitalize()
    except LookupError:
        return f"{app_label}.{model}"


def as_row(entry: LogEntry) -> AuditRow:
    actor = entry.actor.get_username() if entry.actor else (entry.actor_email or "system")
    content_type = entry.content_type
    return AuditRow(
        when=entry.timestamp,
        who=actor,
        action=ACTION_LABELS.get(entry.action, str(entry.action)),
        object_type=_type_label(content_type.app_label, content_type.model),
        object_id=str(entry.object_pk),
        object=entry.object_repr,
        changes=describe_changes(entry.changes_dict),
    )


def describe_changes(changes: dict[str, Any]) -> list[str]:
    """Readable lines: "is_active: True → False", "groups: added approver"."""
    lines = []
    for field, change in changes.items():
        if isinstance(change, dict) and change.get("type") == "m2m":
            verb = "added" if change.get("operation") == "add" else "removed"
            lines.append(f"{field}: {verb} {', '.join(map(str, change.get('objects', [])))}")
        elif isinstance(change, list | tuple) and len(change) == 2:
            old, new = ("(none)" if v in (None, "None", "") else v for v in change)
            lines.append(f"{field}: {old} → {new}")
        else:
            lines.append(f"{field}: {change}")
    return lines


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_PREFIXES) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[AuditRow]) -> Iterator[str]:
    """The export, line by line (for a streaming response)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for row in rows:
        yield writer.writerow(row.csv_cells())
