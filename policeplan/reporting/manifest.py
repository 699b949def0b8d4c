"""A report's manifest: everything it was built from, so anyone can rebuild and check it.

Two builds from the same data give equal manifests: nothing here depends on when or by whom
the report was built.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from typing import Any

from django.conf import settings

from policeplan.catalogue.models import Plan

from .content import ReportContent

SOFTWARE = ("policeplan", "vl-convert-python", "weasyprint", "django")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def build_manifest(
    plan: Plan,
    content: ReportContent,
    figures: dict[str, Any],
    charts: list[str],
    compared_with: int | None,
) -> dict[str, Any]:
    return {
        "report": {
            "plan": plan.slug,
            "audience": content.audience.value,
            "period": content.period.text,
            "first_month": str(content.period.start),
            "last_month": str(content.period.end),
            "title": content.title,
            "as_at": content.as_at.isoformat(),
        },
        "plan": {"slug": plan.slug, "content_sha256": plan.content_sha256},
        "import_runs": content.runs,
        # The staff workspace: submissions (local figures, commentary) and approvals used, and
        # the targets assurance was judged against.
        "submissions": content.submissions,
        "approvals": content.approvals,
        "targets": content.targets,
        "settings": {
            "POLICEPLAN_FORCE": plan.force,
            "POLICEPLAN_SPC_REBASE": list(settings.POLICEPLAN_SPC_REBASE),
            "POLICEPLAN_SPC_REBASE_AFTER_GAP": settings.POLICEPLAN_SPC_REBASE_AFTER_GAP,
            "POLICEPLAN_SPC_RUN_LENGTH": settings.POLICEPLAN_SPC_RUN_LENGTH,
            "POLICEPLAN_EXCEPTION_CHANGE_THRESHOLD": settings.POLICEPLAN_EXCEPTION_CHANGE_THRESHOLD,
        },
        "software": {package: _version(package) for package in SOFTWARE},
        "charts": sorted(charts),
        "compared_with_report": compared_with,
        "figures": {
            "count": len(figures["values"]),
            "sha256": hashlib.sha256(canonical_json(figures).encode()).hexdigest(),
        },
    }
