"""Register tests: real staff users, the synthetic fixtures (tests/fixtures/registers), and the
command-line path of the issue's "done when": import_register, then review_submission."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from policeplan.staff.models import Submission
from policeplan.staff.roles import Role
from tests.conftest import REPO_ROOT
from tests.staff.conftest import client_as, make_user  # noqa: F401 - fixtures used here

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "registers"


def fixture(kind: str) -> Path:
    return FIXTURES / f"synthetic-{kind}.csv"


@pytest.fixture
def people(make_user: Callable[..., Any]) -> None:  # noqa: F811
    make_user(Role.ANALYST, username="ana")
    make_user(Role.APPROVER, username="apollo")


def import_register(kind: str, path: Path, user: str = "ana", *extra: str) -> Submission:
    out = StringIO()
    call_command("import_register", kind, str(path), "--user", user, *extra, stdout=out,
                 stderr=StringIO())  # fmt: skip
    text = out.getvalue().strip()
    assert text.startswith("Submission "), text
    return Submission.objects.get(pk=int(text.split()[-1]))


def approve(submission: Submission, *extra: str) -> str:
    out = StringIO()
    call_command("review_submission", str(submission.pk), "--approve", "--user", "apollo", *extra,
                 stdout=out)  # fmt: skip
    return out.getvalue()


@pytest.fixture
def published(people: None) -> Callable[[str], Submission]:
    """Import a kind's synthetic fixture and approve it: its entries are public."""

    def publish(kind: str) -> Submission:
        submission = import_register(kind, fixture(kind))
        approve(submission)
        return submission

    return publish
