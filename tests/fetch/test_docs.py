"""The runbook documents both fetch commands and every one of their options."""

from __future__ import annotations

from policeplan.ingest.management.commands import fetch_police_uk
from policeplan.neighbourhoods.management.commands import fetch_neighbourhoods
from tests.conftest import REPO_ROOT


def test_the_runbook_documents_both_commands_and_every_option() -> None:
    runbook = (REPO_ROOT / "docs" / "runbook.md").read_text()
    assert "## Fetching from data.police.uk" in runbook
    for module in (fetch_police_uk, fetch_neighbourhoods):
        name = module.__name__.rsplit(".", 1)[-1]
        assert f"python manage.py {name}" in runbook
        parser = module.Command().create_parser("manage.py", name)
        own = [
            option
            for action in parser._actions
            for option in action.option_strings
            if option.startswith("--") and action.dest not in _DJANGO_OPTIONS
        ]
        assert own and [o for o in own if f"`{o}" not in runbook] == []


_DJANGO_OPTIONS = {
    "help", "version", "verbosity", "settings", "pythonpath", "traceback", "no_color",
    "force_color", "skip_checks",
}  # fmt: skip
