"""gunicorn settings: `make run` (the bundled SQLite site) and production (PostgreSQL) use the
same server, WhiteNoise serving the static files from inside Django. See docs/deploy.md.

Every value here reads the environment, so a deployment changes nothing in the repository:
``POLICEPLAN_BIND``, ``WEB_CONCURRENCY`` (workers), ``GUNICORN_THREADS``, ``GUNICORN_TIMEOUT``,
``LOG_FORMAT``; anything else through gunicorn's own ``GUNICORN_CMD_ARGS``.
"""

from __future__ import annotations

import multiprocessing
import os

from config.log_format import JSON_FORMATTER

wsgi_app = "config.wsgi:application"
bind = os.environ.get("POLICEPLAN_BIND", "127.0.0.1:8000").split(",")
# Pages are CPU-bound Python: two processes a core, plus one for a request waiting on I/O.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Load Django once in the master (settings, URLs, WhiteNoise's file index), then fork.
preload_app = True
# Recycle workers now and then, so no slow leak can grow without bound.
max_requests = 5000
max_requests_jitter = 500
# Django logs one line per request itself (policeplan.request), with the status and duration.
accesslog = None
errorlog = "-"

_production = os.environ.get("POLICEPLAN_ENV", "development") == "production"
if os.environ.get("LOG_FORMAT", "json" if _production else "text") == "json":
    # gunicorn's own messages (start, worker restarts, timeouts) as JSON lines too.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": JSON_FORMATTER},
        "handlers": {
            "json_stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["json_stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["json_stderr"], "propagate": False},
        },
        # gunicorn merges this over its defaults key by key: its root names its own handler.
        "root": {"level": "WARNING", "handlers": ["json_stderr"]},
    }
