"""A test deployment for a second force (Nottinghamshire), from configuration and data alone.

The steps are the README's "Adding another force": the force's local authorities and a peer
group in the geography folder, a plan catalogue (a test fixture), POLICEPLAN_FORCE and
POLICEPLAN_CURRENT_PLAN set, then the ordinary commands. It runs in fresh processes against a
fresh database of the same kind as the test run's (SQLite file or PostgreSQL database), so
nothing of the bundled force is present and every setting is read as a server would read it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.conftest import BUNDLED_DIR, REPO_ROOT, SHARED_DIR

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "second_force"
FORCE = "nottinghamshire"
PLAN = "nottinghamshire-test-fixture"
TIMEOUT = 900


@dataclass
class Deployment:
    env: dict[str, str]
    street_files: list[Path]

    def fetch(self, urls: list[str]) -> dict[str, dict[str, Any]]:
        """GET each URL in a process configured like the deployment's server."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.second_force.fetch"],
            input=json.dumps(urls), capture_output=True, text=True, cwd=REPO_ROOT,
            env=self.env, timeout=TIMEOUT, check=True,
        )  # fmt: skip
        pages = json.loads(done.stdout)
        for page in pages.values():
            page["body"] = base64.b64decode(page["body"])
        return pages


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, cwd=REPO_ROOT,
        env=env, timeout=TIMEOUT,
    )  # fmt: skip
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _database_url(tmp: Path) -> tuple[str, str | None]:
    """A fresh database of the test run's kind: (DATABASE_URL, PostgreSQL name to drop)."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        return f"sqlite:///{tmp / 'second-force.sqlite3'}", None
    import psycopg

    name = f"{settings['NAME']}_second_force"
    params = {
        "host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432,
        "user": settings["USER"], "password": settings["PASSWORD"] or None, "dbname": "postgres",
    }  # fmt: skip
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{params['host']}:{params['port']}/{name}", name


def _drop(name: str) -> None:
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
        user=settings["USER"], password=settings["PASSWORD"] or None, dbname="postgres",
        autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="package")
def deployment(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None
) -> Iterator[Deployment]:
    street = sorted((SHARED_DIR / "data" / "police_uk" / "peers" / "street").glob(f"*-{FORCE}-*"))
    if not street:
        pytest.skip("../shared (with the peer forces' street files) is not beside this checkout")
    tmp = tmp_path_factory.mktemp("second-force")
    # Step 1-2 of "Adding another force": the geography folder with the force's authorities
    # and a peer group; forces and the deprivation index are the bundled files.
    geography = tmp / "data" / "geography"
    geography.mkdir(parents=True)
    for name in ("forces.csv", "lsoa2011_imd2019_rank_decile_ew.csv.gz"):
        shutil.copy(BUNDLED_DIR / "geography" / name, geography / name)
    for path in (FIXTURES / "geography").glob("*.csv"):
        shutil.copy(path, geography / path.name)
    url, pg_name = _database_url(tmp)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "POLICEPLAN_FORCE": FORCE,
        "POLICEPLAN_CURRENT_PLAN": PLAN,
        "POLICEPLAN_PLANS_DIR": str(FIXTURES / "plans"),
        "POLICEPLAN_DATA_DIR": str(tmp / "data"),
        "POLICEPLAN_API_RATE_LIMIT": "off",
    }
    try:
        _manage(env, "migrate", "--no-input", "-v", "0")
        _manage(env, "load_plans")
        _manage(env, "load_geography")
        _manage(env, "import_police_uk", *map(str, street))
        _manage(env, "import_ons_pfa", *map(str, sorted((BUNDLED_DIR / "ons_pfa").glob("*.xlsx"))))
        _manage(env, "load_peer_groups", str(geography / "peer_groups.csv"))
        _manage(env, "compute_metrics")
        yield Deployment(env, street)
    finally:
        if pg_name:
            _drop(pg_name)
