"""Fixtures for the fetch tests: a local HTTP server (127.0.0.1, a free port) answering as a
SYNTHETIC data.police.uk, and a helper that runs a management command against it."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command

from tests.fetch.synthetic_api import FetchApi
from tests.sources.synthetic_police_api import Handler, Server

# Fast but patient enough: tiny backoff, short timeouts (a scripted delay of 1 s times out).
FAST = ["--timeout", "0.3", "--max-attempts", "2", "--backoff", "0.01"]


@dataclass
class LocalApi:
    root: str  # http://127.0.0.1:PORT
    state: FetchApi

    @property
    def base_url(self) -> str:
        return self.root + "/api"

    @property
    def archive_base_url(self) -> str:
        return self.root + "/data/archive"


@pytest.fixture
def local_api() -> Iterator[LocalApi]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.api = FetchApi()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield LocalApi(f"http://127.0.0.1:{httpd.server_address[1]}", httpd.api)  # type: ignore[arg-type]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def run_command(local_api: LocalApi) -> Callable[..., str]:
    """Run a management command against the local server; return what it printed."""

    def run(name: str, *args: str, **options: Any) -> str:
        out = io.StringIO()
        call_command(name, *args, "--base-url", local_api.base_url, *FAST, stdout=out, **options)
        return out.getvalue()

    return run
