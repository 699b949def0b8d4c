"""The README documents every management command and every setting, so docs cannot drift."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management import get_commands

from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS_SOURCE = (REPO_ROOT / "config" / "settings.py").read_text(encoding="utf-8")


def test_readme_lists_every_policeplan_command() -> None:
    ours = sorted(name for name, app in get_commands().items() if app.startswith("policeplan."))
    assert ours, "no policeplan commands found"
    missing = [name for name in ours if f"manage.py {name}" not in README]
    assert missing == []


def test_readme_lists_every_environment_variable() -> None:
    variables = set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    variables |= set(re.findall(r'env_bool\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    assert "DATABASE_URL" in README and variables
    missing = sorted(v for v in variables if f"`{v}`" not in README)
    assert missing == []


def test_readme_names_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    assert "\nmake run\n" in README and "\nmake test\n" in README
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
    assert settings.POLICEPLAN_FORCE  # the configured force is a setting, not code


def test_deploy_guide_lists_every_variable_of_the_settings_and_the_server() -> None:
    deploy = (REPO_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    server = (REPO_ROOT / "config" / "serve.py").read_text(encoding="utf-8")
    variables = set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    variables |= set(re.findall(r'(?:env\.get|_positive)\(\s*(?:env,\s*)?"([A-Z_]+)"', server))
    variables |= set(re.findall(r'env_bool\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    assert {"WEB_CONCURRENCY", "SERVER_THREADS", "LOG_FORMAT", "POLICEPLAN_BIND"} <= variables
    missing = sorted(v for v in variables | {"DATABASE_URL"} if f"`{v}`" not in deploy)
    assert missing == []
    for topic in ("## 1. Install", "## 2. Configure", "cron", "## 5. Back up and restore",
                  "## 6. Upgrade", "pg_dump", ".backup", "/healthz"):  # fmt: skip
        assert topic in deploy
