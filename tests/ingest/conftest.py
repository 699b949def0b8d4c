"""Scratch databases for tests that run real ``manage.py`` subprocesses (kill -9, concurrent
imports): a database of their own, of the same engine as the test run, read back with the
plain driver (sqlite3 / psycopg), independently of Django."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from tests.conftest import REPO_ROOT


class ScratchDatabase:
    def __init__(self, url: str, query: Callable[[str], list[tuple[Any, ...]]]) -> None:
        self.url = url
        self.query = query

    def scalar(self, sql: str) -> Any:
        return self.query(sql)[0][0]


def manage(
    url: str, *args: str, extra_env: dict[str, str] | None = None, stdout: Any = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.update(extra_env or {})
    return subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(REPO_ROOT / "manage.py"), *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def scratch_db(tmp_path: Path) -> Iterator[ScratchDatabase]:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = tmp_path / "kill.sqlite3"

        def sqlite_query(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, timeout=30) as conn:
                return conn.execute(sql).fetchall()

        yield ScratchDatabase(f"sqlite:///{path}", sqlite_query)
        return
    name = f"policeplan_kill_{uuid.uuid4().hex[:8]}"
    server = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def pg_query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(f"{server} dbname={name}") as conn:
            return conn.execute(sql).fetchall()  # type: ignore[arg-type]

    try:
        yield ScratchDatabase(f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", pg_query)
    finally:
        with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")
