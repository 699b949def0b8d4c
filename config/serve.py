"""The production server: granian (HTTP in Rust, Django through WSGI) with WhiteNoise serving the
static files from inside Django. `make run` (the bundled SQLite site) and production
(PostgreSQL) start it the same way: ``python -m config.serve``. See docs/deploy.md and ADR 0019.

Every value reads the environment, so a deployment changes nothing in the repository:
``POLICEPLAN_BIND`` (``HOST:PORT``, or ``unix:PATH``), ``WEB_CONCURRENCY`` (worker processes),
``SERVER_THREADS`` (request threads per worker), ``SERVER_BACKLOG``, ``SERVER_WORKER_LIFETIME``
(seconds before a worker is replaced), ``SERVER_WORKER_MAX_RSS`` (MiB) and ``LOG_FORMAT``.

Signals, to the main process: TERM or INT stop gracefully; HUP replaces the workers one by one
(after an upgrade or a settings change) without dropping connections.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.log_format import JSON_FORMATTER

APP = "config.wsgi:application"
REQUEST_HEAD_LIMIT = 64 * 1024


@dataclass(frozen=True)
class ServerSettings:
    address: str = "127.0.0.1"
    port: int = 8000
    uds: Path | None = None
    # Pages are CPU-bound Python served from the stored read side: a process a core. HTTP is
    # handled by granian's Rust threads, so a worker's one Python thread never waits on a
    # slow client.
    workers: int = os.cpu_count() or 1
    threads: int = 1
    backlog: int = 1024
    # Replace a worker now and then (by age, or when its memory grows past a bound), so no
    # slow leak can grow without bound; the others keep serving meanwhile.
    lifetime: int = 24 * 3600
    max_rss: int = 1024
    json_logs: bool = False


def settings_from(env: Mapping[str, str]) -> ServerSettings:
    """The server's settings from ``env``; a clear ``ValueError`` for a value that is wrong."""
    bind = env.get("POLICEPLAN_BIND", "127.0.0.1:8000")
    production = env.get("POLICEPLAN_ENV", "development") == "production"
    base = ServerSettings()
    where: dict[str, Any]
    if bind.startswith("unix:"):
        where = {"uds": Path(bind.removeprefix("unix:"))}
    else:
        host, sep, port = bind.rpartition(":")
        if not sep or not host or not port.isdigit() or "," in bind:
            raise ValueError(f"POLICEPLAN_BIND must be HOST:PORT or unix:PATH, not {bind!r}")
        where = {"address": host.strip("[]"), "port": int(port)}
    return ServerSettings(
        **where,
        workers=_positive(env, "WEB_CONCURRENCY", base.workers),
        threads=_positive(env, "SERVER_THREADS", base.threads),
        backlog=_positive(env, "SERVER_BACKLOG", base.backlog),
        lifetime=_positive(env, "SERVER_WORKER_LIFETIME", base.lifetime),
        max_rss=_positive(env, "SERVER_WORKER_MAX_RSS", base.max_rss),
        json_logs=env.get("LOG_FORMAT", "json" if production else "text") == "json",
    )


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def log_config(json_logs: bool) -> dict[str, Any] | None:
    """granian's own messages (start, worker respawns) as JSON lines on stderr, as Django's."""
    if not json_logs:
        return None
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": JSON_FORMATTER},
        "handlers": {"json_stderr": handler},
        "loggers": {
            "_granian": {"level": "INFO", "handlers": ["json_stderr"], "propagate": False},
            "granian.access": {"level": "INFO", "handlers": ["json_stderr"], "propagate": False},
        },
        "root": {"level": "WARNING", "handlers": ["json_stderr"]},
    }


def server(settings: ServerSettings) -> Any:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    return Granian(
        APP,
        address=settings.address,
        port=settings.port,
        uds=settings.uds,
        interface=Interfaces.WSGI,
        websockets=False,
        workers=settings.workers,
        blocking_threads=settings.threads,
        backlog=settings.backlog,
        # The request line and headers together: 64 KiB is far beyond any real address (the
        # API's longest query is well under 2 KiB) and bounds what one request can hold; more
        # is refused before Django sees it. 10 s to send the headers, against slow clients.
        http1_settings=HTTP1Settings(
            max_buffer_size=REQUEST_HEAD_LIMIT, header_read_timeout=10_000
        ),
        # Django logs one line per request itself (policeplan.request), with status and time.
        log_access=False,
        log_dictconfig=log_config(settings.json_logs),
        respawn_failed_workers=True,
        workers_lifetime=settings.lifetime,
        workers_max_rss=settings.max_rss,
        workers_kill_timeout=30,
        working_dir=Path(__file__).resolve().parent.parent,
    )


def main() -> None:
    try:
        settings = settings_from(os.environ)
    except ValueError as error:
        raise SystemExit(f"policeplan server: {error}") from None
    server(settings).serve()


if __name__ == "__main__":
    main()
