"""What changed since the last report to the same audience: revised figures (old → new, with
the import revision that changed them), new and resolved exceptions, newly available metrics.

Works on the figures a report stored when it was built, so it compares what the two reports
actually said, not what the database says now about the earlier period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from policeplan.analysis.periods import Month, MonthSpan
from policeplan.analysis.trends import format_number, format_rate
from policeplan.publishing.staff_figures import figure_text

from . import provenance
from .content import ReportContent, figure_key

if TYPE_CHECKING:
    from .models import Report

MEASURE_LABELS = {
    "count": "Number",
    "total": "Total",
    "rate": "Rate",
    "ons_count": "Offences (ONS)",
    "ons_rate": "Rate (ONS)",
    "local": "Local figure",
}
# Figures are floats from sums of whole numbers or ratios: equal to this precision is equal.
TOLERANCE = 1e-9


def stored_figures(content: ReportContent) -> dict[str, Any]:
    """What a report keeps for the next one to compare with (and verify_published to check)."""
    values: dict[str, dict[str, Any]] = {}
    for figure in content.figures:
        values.setdefault(figure_key(figure), figure)
    return {
        "values": [values[key] for key in sorted(values)],
        "exceptions": {m.slug: m.name for m in content.exceptions},
        "with_data": {m.slug: m.name for m in content.metrics},
    }


def figure_label(figure: dict[str, Any]) -> str:
    span = MonthSpan(Month.parse(figure["start"]), Month.parse(figure["end"]))
    where = "" if figure.get("measure") == "count" else f", {figure.get('area_name', '')}"
    return f"{MEASURE_LABELS.get(figure['measure'], figure['measure'])}, {span.label}{where}"


def figure_value(figure: dict[str, Any]) -> str:
    value = float(figure["value"])
    if figure["measure"] == "rate":
        return f"{value:.1f}%"
    if figure["measure"] == "ons_rate":
        return f"{format_rate(value)} per {int(figure['per']):,}"
    if figure["measure"] == "local":
        return figure_text(value, str(figure.get("unit", "")))
    return format_number(value)


def differs(old: float, new: float) -> bool:
    return abs(old - new) > TOLERANCE * max(1.0, abs(old), abs(new))


def compare(previous: Report | None, content: ReportContent) -> dict[str, Any]:
    """The 'what changed' section's content (empty lists when there is no earlier report)."""
    if previous is None:
        return {"previous": None}
    before: dict[str, Any] = previous.figures or {}
    now = stored_figures(content)
    old_values = {figure_key(f): f for f in before.get("values", [])}
    names = {m.slug: m.name for m in content.metrics}
    revised = []
    for figure in now["values"]:
        old = old_values.get(figure_key(figure))
        if old is None or not differs(float(old["value"]), float(figure["value"])):
            continue
        revised.append(
            {
                "key": figure_key(figure),
                "metric_name": names.get(figure["metric"], figure["metric"]),
                "label": figure_label(figure),
                "old": figure_value(old),
                "new": figure_value(figure),
                "revision": provenance.describe_submission(old["submission"], figure["submission"])
                if "submission" in figure and "submission" in old
                else provenance.describe_revision(old.get("runs", []), figure["runs"]),
            }
        )
    old_exceptions = before.get("exceptions", {})
    old_with_data = before.get("with_data", {})
    return {
        "previous": {
            "id": previous.pk,
            "period_label": previous.report_period.label,
            "built_on": timezone.localtime(previous.built_at).strftime("%-d %B %Y"),
            "published": previous.is_published,
        },
        "revised": revised,
        "new_exceptions": [n for s, n in now["exceptions"].items() if s not in old_exceptions],
        "resolved_exceptions": [n for s, n in old_exceptions.items() if s not in now["exceptions"]],
        "new_metrics": [n for s, n in now["with_data"].items() if s not in old_with_data],
    }
