"""Reports are built into a temporary folder; the clock is fixed so periods stay valid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from policeplan.reporting.build import BuiltReport, build_report

from .synthetic_staff import SyntheticStaffMaterial, make_synthetic_staff_material

PLAN = "llr-2024-2029"
BUILT_AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def reports_dir(settings: Any, tmp_path: Path) -> Path:
    settings.POLICEPLAN_REPORTS_DIR = tmp_path / "reports"
    return tmp_path / "reports"


@pytest.fixture
def build(reports_dir: Path, db: None) -> Callable[..., BuiltReport]:
    def run(
        period: str = "2025-Q4",
        audience: str = "panel",
        *,
        publish: bool = False,
        now: datetime = BUILT_AT,
    ) -> BuiltReport:
        return build_report(PLAN, period, audience, built_by="test", publish=publish, now=now)

    return run


@pytest.fixture
def synthetic_staff_material(db: None) -> SyntheticStaffMaterial:
    """SYNTHETIC local figures and commentary, approved now or under a 3-day embargo."""
    return make_synthetic_staff_material()
