"""Render a report's content: HTML (a fragment for the site, a standalone document), the
charts as SVG files (the site's Vega-Lite specs drawn by ``chart_render``) and a tagged PDF.

The HTML carries no scripts and no style attributes, so the site can serve it under a strict
Content-Security-Policy; its styles are ``static/reporting/report.css`` (linked) and, for the PDF
only, ``print.css`` (page size, running heads, the embargo mark on every page), handed to
WeasyPrint directly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from policeplan.publishing import chart_render

from .content import ReportContent

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static" / "reporting"
SCREEN_CSS = STATIC / "report.css"
PRINT_CSS = STATIC / "print.css"
LANGUAGE = "en-GB"
# The one place the build time appears; masked when comparing two builds' content.
BUILT_PATTERN = re.compile(r'(<time class="app-report-built" datetime=")[^"]*(">)[^<]*(</time>)')
# Only these files are ever fetched while making the PDF: the charts and the stylesheet.
FETCH_BASE = "http://report.invalid/"


@dataclass
class RenderedReport:
    body_html: str
    document_html: str
    charts: dict[str, str]  # file name (charts/<digest>.svg) -> SVG text
    pdf: bytes

    @property
    def content_sha256(self) -> str:
        return content_digest(self.document_html)


def mask_build_time(html: str) -> str:
    return BUILT_PATTERN.sub(r"\1BUILD-TIME\2BUILD-TIME\3", html)


def content_digest(html: str) -> str:
    return hashlib.sha256(mask_build_time(html).encode()).hexdigest()


def draw_charts(content: ReportContent) -> dict[str, str]:
    """Render each metric's chart to SVG and name its file after the spec's digest."""
    drawn: dict[str, str] = {}
    for metric in content.metrics:
        if metric.chart is None:
            continue
        svg = chart_render.render_svg(metric.chart.spec)
        if svg is None:
            logger.warning("No chart could be drawn for %s", metric.slug)
            metric.chart = None
            continue
        name = f"charts/{chart_render.spec_digest(metric.chart.spec)}.svg"
        drawn[name] = svg
        metric.chart = dataclasses.replace(metric.chart, file_name=name)
    return drawn


def render_html(
    content: ReportContent, built_at: datetime, changes: dict[str, Any]
) -> tuple[str, str]:
    """(the content as a fragment for the site, the standalone HTML document)."""
    context = {
        "content": content,
        "built_at": timezone.localtime(built_at),
        "changes": changes,
        "language": LANGUAGE,
    }
    body = render_to_string("reporting/body.html", context)
    document = render_to_string("reporting/document.html", {**context, "body": body})
    return body, document


def _in_memory_fetcher(files: dict[str, str]) -> Any:
    """A WeasyPrint fetcher serving the charts and stylesheet from memory and refusing every
    other address, so making a PDF never reads the network or the disk."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class InMemoryFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            name = url.removeprefix(FETCH_BASE)
            if not url.startswith(FETCH_BASE) or name not in files:
                raise ValueError(f"A report may not load {url}")
            kind = "image/svg+xml" if name.endswith(".svg") else "text/css"
            return URLFetcherResponse(url, files[name], {"Content-Type": kind})

    return InMemoryFetcher(fail_on_errors=True)


def render_pdf(content: ReportContent, document_html: str, charts: dict[str, str]) -> bytes:
    """The PDF/UA-1 document: title, language, tagged headings (bookmarks), charts with alt."""
    import weasyprint

    files = {**charts, "report.css": SCREEN_CSS.read_text(encoding="utf-8")}
    fetcher = _in_memory_fetcher(files)
    html = weasyprint.HTML(string=document_html, base_url=FETCH_BASE, url_fetcher=fetcher)
    stylesheets = [weasyprint.CSS(string=PRINT_CSS.read_text(encoding="utf-8"))]
    pdf: bytes = html.write_pdf(
        stylesheets=stylesheets, pdf_variant="pdf/ua-1", custom_metadata=True
    )
    return pdf


def render(content: ReportContent, built_at: datetime, changes: dict[str, Any]) -> RenderedReport:
    charts = draw_charts(content)
    body, document = render_html(content, built_at, changes)
    return RenderedReport(body, document, charts, render_pdf(content, document, charts))
