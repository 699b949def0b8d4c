"""The hooks for the staff workspace: a Board report carrying embargoed material says so on
every page of the PDF and cannot be published; commentary appears under its metric."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from policeplan.analysis.periods import Month
from policeplan.reporting import gather, render
from policeplan.reporting.build import BuiltReport, find_plan
from policeplan.reporting.content import Commentary
from policeplan.reporting.gather import ReportDataError
from policeplan.reporting.periods import Audience, parse_report_period

from .conftest import PLAN

NOTICE = "EMBARGOED until 09:30 on 20 January 2026: not for publication"


def test_embargoed_material_is_marked_on_every_page_and_commentary_is_shown(
    db: None,
) -> None:
    period = parse_report_period("2025-11..2025-12", Audience.BOARD, today=Month(2026, 1))
    content = gather.gather(find_plan(PLAN), Audience.BOARD, period)
    content.embargo_notice = NOTICE
    content.embargo_until_text = "09:30 on 20 January 2026"
    burglary = next(m for m in content.metrics if m.slug == "burglary")
    burglary.commentary.append(
        Commentary(
            "Burglary fell after the autumn operation.",
            "Head of Performance",
            date(2026, 1, 10),
            embargoed_until="09:30 on 20 January 2026",
        )
    )
    rendered = render.render(content, timezone.now(), {"previous": None})
    assert "Burglary fell after the autumn operation." in rendered.body_html
    reader = PdfReader(BytesIO(rendered.pdf))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) > 10
    assert all(NOTICE in text for text in pages)


def test_a_board_report_with_embargoed_material_cannot_be_published(
    build: Callable[..., BuiltReport], monkeypatch: Any
) -> None:
    original = gather.gather

    def with_embargo(*args: Any) -> Any:
        content = original(*args)
        content.embargo_notice = NOTICE
        return content

    monkeypatch.setattr("policeplan.reporting.build.gather", with_embargo)
    with pytest.raises(ReportDataError, match="still under embargo, so it cannot be published"):
        build("2025-11..2025-12", "board", publish=True)
