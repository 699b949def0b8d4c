"""Staff people made for a browser test module, and everything they write removed afterwards.

The live server writes through its own connections on PostgreSQL (committed, outside any test's
transaction), so a module that signs staff in or publishes through them makes its people, and
removes all they wrote, outside the test transactions. Removing rows behind the workflow's back
leaves the stored read side describing figures that are gone (the newest month held, and so
every other metric's "out of date" wording), so it is rebuilt here, as every publication does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def staff_made(django_db_blocker: Any, prefix: str, password: str) -> Iterator[dict[str, Any]]:
    """An analyst and an approver (``<prefix>-analyst``, ``<prefix>-approver``), by role."""
    from auditlog.models import LogEntry
    from django.contrib.auth.models import Group, User
    from django.db import connections

    from policeplan.staff.models import StaffProfile

    with _async_unsafe_allowed():
        with django_db_blocker.unblock():
            last_log = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            made: dict[str, Any] = {}
            for role in ("analyst", "approver"):
                name = f"{prefix}-{role}"
                user = User.objects.create_user(name, f"{name}@example.org", password)
                user.groups.set([Group.objects.get(name=role)])
                StaffProfile.objects.create(user=user)
                made[role] = user
        try:
            yield made
        finally:
            with django_db_blocker.unblock():
                _remove(made, last_log)
            # This thread's connection, opened after the last test's close_all (conftest.py),
            # is closed too, so PostgreSQL can drop the test database at the end of the run.
            connections.close_all()


@contextmanager
def _async_unsafe_allowed() -> Iterator[None]:
    import pytest

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's event loop may already run on this thread (see conftest.py).
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        yield


def _remove(made: dict[str, Any], last_log: int) -> None:
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessLog
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from policeplan.metrics.models import Observation
    from policeplan.metrics.readside import rebuild
    from policeplan.provenance.models import ImportRun
    from policeplan.registers.models import MODELS
    from policeplan.registers.publication import recount
    from policeplan.staff.models import Commentary, Correction, StaffProfile, Submission

    analyst = made["analyst"]
    written: list[Any] = [*MODELS.values(), Commentary, Observation, Correction]
    for model in written:
        model.objects.filter(submission__created_by=analyst).delete()
    submissions = Submission.objects.filter(created_by=analyst)
    runs = [run for run in submissions.values_list("import_run", flat=True) if run]
    submissions.delete()
    ImportRun.objects.filter(pk__in=runs).delete()
    recount()  # the register metrics as they were: no register, no figures
    assert not Observation.objects.filter(series="register").exists()
    rebuild()  # and the stored read side as the later tests expect it
    LogEntry.objects.filter(pk__gt=last_log).delete()
    names = [user.username for user in made.values()]
    AccessAttempt.objects.filter(username__in=names).delete()
    AccessLog.objects.filter(username__in=names).delete()
    TOTPDevice.objects.filter(user__in=made.values()).delete()
    StaffProfile.objects.filter(user__in=made.values()).delete()
    User.objects.filter(pk__in=[user.pk for user in made.values()]).delete()
