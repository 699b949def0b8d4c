"""The Panel report for 2025-Q4 on the bundled data, read back from its PDF as a reader's
software would: title, language, bookmarks, tagged charts with alternative text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from policeplan.catalogue.models import Metric
from policeplan.metrics.models import Observation
from policeplan.metrics.reports import series_with_data
from policeplan.reporting.build import BuiltReport

from .conftest import PLAN


def outline_titles(reader: PdfReader) -> list[tuple[str, int | None]]:
    """Every bookmark in document order, with the page (0-based) it points at."""

    def walk(items: list[Any]) -> Iterator[tuple[str, int | None]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield str(item.title), reader.get_destination_page_number(item)

    return list(walk(reader.outline))


def catalog(reader: PdfReader) -> Any:
    return reader.trailer["/Root"].get_object()


def figures_with_alt(reader: PdfReader) -> list[str]:
    """Alternative text of every Figure in the PDF's structure tree (tagged PDF)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(catalog(reader)["/StructTreeRoot"])
    return found


def headline_metrics_with_data() -> list[Metric]:
    """Headline metrics with a published figure for a period ending by December 2025 (a
    register count made today, for the current financial year, is not one)."""
    return [
        m
        for m in Metric.objects.filter(plan__slug=PLAN, headline=True).order_by("order")
        if series_with_data(m)
        and Observation.objects.published()
        .filter(metric=m, period_end__lte=date(2025, 12, 1))
        .exists()
    ]


def test_the_panel_pdf_opens_tagged_with_title_language_and_exceptions_first(
    build: Callable[..., BuiltReport],
) -> None:
    built = build()
    assert built.pdf_path.read_bytes() == bytes(built.report.pdf)
    reader = PdfReader(BytesIO(bytes(built.report.pdf)))
    assert reader.metadata is not None
    assert reader.metadata.title == (
        "Police and Crime Plan 2024-2029: performance report to the Police and Crime Panel, "
        "October to December 2025 (Q4 2025, calendar quarter)"
    )
    assert catalog(reader)["/Lang"] == "en-GB"
    assert catalog(reader)["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean)
    assert len(reader.pages) > 10

    titles = outline_titles(reader)
    names = [title for title, _ in titles]
    metrics = headline_metrics_with_data()
    assert len(metrics) == 9  # the bundled data: police.uk and ONS series
    exceptions = names.index("Exceptions")
    first_mission = min(i for i, name in enumerate(names) if name.startswith("Mission: "))
    # Each metric's own section is after the first mission heading (an exception is also
    # named, with its reasons, in the exceptions section before it).
    sections = {m.name: names.index(m.name, first_mission) for m in metrics}
    first_metric = min(sections.values())
    assert exceptions < first_mission < first_metric
    exceptions_page, metric_page = titles[exceptions][1], titles[first_metric][1]
    assert exceptions_page is not None and metric_page is not None
    assert exceptions_page <= metric_page  # and on an earlier page, or same
    assert names.index("Which rules could be tested") < first_mission
    assert names.index("What changed since the last report") < first_mission
    assert names.index("Metrics awaiting data") > max(sections.values())
    flagged = names[exceptions + 1 : names.index("Which rules could be tested")]
    assert set(flagged) <= set(sections)  # every exception is a metric reported below

    # Every headline metric with data has its chart, each tagged with text that stands for it.
    alts = figures_with_alt(reader)
    assert len(alts) == len(metrics)
    for metric in metrics:
        assert any(alt.startswith(f"Chart: {metric.name}, Leicestershire") for alt in alts)
    text = "".join(page.extract_text() for page in reader.pages[:2])
    assert "Figures as at" in text and "Data coverage" in text


def test_the_command_prints_where_it_wrote_each_file(reports_dir: Any, db: None) -> None:
    from io import StringIO

    out = StringIO()
    call_command(
        "build_report", "--plan", PLAN, "--period", "2025-Q4", "--audience", "panel", stdout=out
    )
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    for kind, name in (
        ("HTML", "report.html"),
        ("PDF", "report.pdf"),
        ("Manifest", "manifest.json"),
    ):
        path = lines[kind]
        assert path.startswith(str(reports_dir)) and path.endswith(name)
        assert Path(path).stat().st_size > 0  # written
    assert "9 headline metrics with figures, 28 awaiting data" in out.getvalue()
