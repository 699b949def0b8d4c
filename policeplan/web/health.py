"""``/healthz``: is this instance able to serve? For load balancers, uptime checks and the
deployment runbook (docs/deploy.md)."""

from __future__ import annotations

import time
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Once every migration is applied it stays so for the life of this process (a rollback means
# a redeploy), so after the first success the migration check is skipped.
_migrations_known_applied = False


def _database() -> dict[str, Any]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor,
            "ms": round((time.perf_counter() - started) * 1000, 1)}  # fmt: skip


def _migrations() -> dict[str, Any]:
    global _migrations_known_applied
    if _migrations_known_applied:
        return {"status": "ok", "unapplied": 0}
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unapplied = sorted(f"{migration.app_label}.{migration.name}" for migration, _ in plan)
    if unapplied:
        return {"status": "fail", "unapplied": len(unapplied), "first": unapplied[:5],
                "detail": "Run `manage.py migrate`."}  # fmt: skip
    _migrations_known_applied = True
    return {"status": "ok", "unapplied": 0}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with ``{"status": "ok", ...}`` when the database answers and every migration is
    applied; 503 with the failing check otherwise."""
    checks: dict[str, dict[str, Any]] = {}
    try:
        checks["database"] = _database()
        checks["migrations"] = _migrations()
    except DatabaseError as error:
        checks.setdefault("database", {"status": "fail", "detail": type(error).__name__})
        checks.setdefault("migrations", {"status": "unknown"})
    healthy = all(check["status"] == "ok" for check in checks.values())
    body = {"status": "ok" if healthy else "fail", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
