"""What public pages must never show: who ran an import, or where a file lies on the server
(issue 11 row 14: /official-statistics/ showed "by root (manage.py import_ons_pfa)" 8 times).
Every page a visitor can reach is read, with provenance made as telling as it can be."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from policeplan.metrics.readside import rebuild
from tests.conftest import REPO_ROOT
from tests.site_pages import crawl

pytestmark = pytest.mark.django_db

PERSON = "jane.q.operator"
RUN_BY = f"{PERSON} (manage.py import_ons_pfa)"
SERVER_FOLDER = "/srv/opcc-private/incoming"
# An absolute path in text: a root folder of a Unix or Windows file system, not part of a URL.
ABSOLUTE_PATH = re.compile(
    r"(?<![\w.:/%-])/(home|root|srv|opt|tmp|var|usr|etc|mnt|work)/|\b[A-Z]:\\\\[A-Za-z]"
)


def import_run_model() -> Any:
    """The ImportRun model, wherever the app that owns it lives."""
    return next(model for model in apps.get_models() if model.__name__ == "ImportRun")


def test_public_pages_show_no_user_names_or_server_paths(client: Client) -> None:
    ImportRun = import_run_model()
    runs = list(ImportRun.objects.all())
    assert runs, "the session data should hold import runs"
    for run in runs:
        run.run_by = RUN_BY
        run.source_path = f"{SERVER_FOLDER}/{run.source_path.rsplit('/', 1)[-1]}"
    ImportRun.objects.bulk_update(runs, ["run_by", "source_path"])
    rebuild()  # the stored reports carry their files' provenance, as compute_metrics leaves it

    site = crawl(client)
    assert {"home", "metric", "official-statistics", "area", "coverage"} <= set(site.kinds)
    leaks = {
        url: sorted(
            {match.group(0) for match in ABSOLUTE_PATH.finditer(html)}
            | {word for word in (PERSON, SERVER_FOLDER, str(REPO_ROOT)) if word in html}
        )
        for url, html in site.pages.items()
    }
    assert {url: found for url, found in leaks.items() if found} == {}
    # The file names themselves are still there for a reader to trace a figure.
    official = site.pages["/official-statistics/"]
    assert runs[0].source_path.rsplit("/", 1)[-1] in "".join(site.pages.values())
    assert "SHA-256" in official


def test_the_pattern_finds_what_it_is_meant_to() -> None:
    assert ABSOLUTE_PATH.search("Latest file: /home/op/data/2025-01-street.csv")
    assert ABSOLUTE_PATH.search(r"C:\\Users\\op\\file.xlsx".replace("\\\\", "\\\\"))
    assert not ABSOLUTE_PATH.search('href="https://data.police.uk/data/archive/"')
    assert not ABSOLUTE_PATH.search('href="/static/css/app.css"')
