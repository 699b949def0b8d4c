"""Benchmark: build the Panel report on the bundled data, against rendering the same metric
pages one by one (Django test client) in the same run.

Works on a copy of the `make run` database (var/policeplan.sqlite3, SQLite), so nothing is
written to it. Both sides start with an empty cache and a warmed-up chart renderer. Prints
seconds for each part and the ratio report / pages.

    make bench-report        # or: python benchmarks/report.py [--period 2025-Q4]
    python benchmarks/report.py --profile 25   # also cProfile one more build: top 25 functions
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SOURCE_DB = REPO / "var" / "policeplan.sqlite3"
# CPU seconds of this process for each side: the machine may be shared, and a busy machine
# stretches wall-clock time (this process is single-threaded, so CPU time is its own work).
CPU: dict[str, float] = {}


def copy_database(target: Path) -> None:
    """A consistent copy of the development database (the backup API includes its WAL)."""
    if not SOURCE_DB.exists():
        sys.exit(f"{SOURCE_DB} is missing: run `make setup` first.")
    source = sqlite3.connect(SOURCE_DB)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def metric_pages(plan: str, period_end: str) -> tuple[float, float, int, int]:
    """(seconds for the pages, seconds for their chart images, pages, images)."""
    from django.core.cache import cache
    from django.test import Client

    from policeplan.catalogue.models import Metric
    from policeplan.metrics.reports import series_with_data

    cache.clear()
    client = Client()
    metrics = [
        m for m in Metric.objects.filter(plan__slug=plan, headline=True) if series_with_data(m)
    ]
    images: list[str] = []
    cpu = time.process_time()
    started = time.perf_counter()
    for metric in metrics:
        response = client.get(f"/plans/{plan}/metrics/{metric.slug}/")
        assert response.status_code == 200, metric.slug
        images += re.findall(r'src="(/charts/[0-9a-f]{32}\.svg)"', response.content.decode())
    pages = time.perf_counter() - started
    started = time.perf_counter()
    for url in images:
        assert client.get(url).status_code == 200, url
    CPU["baseline"] = time.process_time() - cpu
    return pages, time.perf_counter() - started, len(metrics), len(images)


def build(plan: str, period: str) -> tuple[float, dict[str, float], int]:
    from django.core.cache import cache
    from django.utils import timezone

    from policeplan.reporting import changes, gather, render
    from policeplan.reporting.build import build_report, find_plan
    from policeplan.reporting.periods import Audience, parse_report_period

    cache.clear()
    cpu = time.process_time()
    started = time.perf_counter()
    built = build_report(plan, period, "panel", built_by="benchmarks/report.py")
    total = time.perf_counter() - started
    CPU["report"] = time.process_time() - cpu
    # The same steps again, timed apart, to show where the time goes.
    cache.clear()
    the_plan = find_plan(plan)
    months = parse_report_period(period, Audience.PANEL, today=built.report.report_period.end)
    parts: dict[str, float] = {}
    mark = time.perf_counter()
    content = gather.gather(the_plan, Audience.PANEL, months)
    parts["gather figures"], mark = time.perf_counter() - mark, time.perf_counter()
    charts = render.draw_charts(content)
    parts["draw charts (SVG)"], mark = time.perf_counter() - mark, time.perf_counter()
    _, document = render.render_html(content, timezone.now(), changes.compare(None, content))
    parts["HTML"], mark = time.perf_counter() - mark, time.perf_counter()
    render.render_pdf(content, document, charts)
    parts["PDF (WeasyPrint)"] = time.perf_counter() - mark
    return total, parts, len(built.report.pdf)


def profile(plan: str, period: str, top: int) -> str:
    """cProfile of one more build (the renderer and caches warm): where the time goes."""
    from django.core.cache import cache

    from policeplan.reporting.build import build_report

    cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    build_report(plan, period, "panel", built_by="benchmarks/report.py --profile")
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", help="plan slug (default: POLICEPLAN_CURRENT_PLAN)")
    parser.add_argument("--period", default="2025-Q4")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="also print cProfile's top N"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        database = Path(folder) / "bench.sqlite3"
        copy_database(database)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        os.environ["POLICEPLAN_REPORTS_DIR"] = str(Path(folder) / "reports")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.conf import settings

        from policeplan.publishing.chart_render import render_svg

        options.plan = options.plan or settings.POLICEPLAN_CURRENT_PLAN
        render_svg({"mark": "point", "data": {"values": [{"x": 1}]}})  # start the renderer
        pages, images, page_count, image_count = metric_pages(options.plan, options.period)
        report, parts, pdf_bytes = build(options.plan, options.period)
        profiled = profile(options.plan, options.period, options.profile) if options.profile else ""
    baseline = pages + images
    print(f"Panel report {options.period}, bundled data (SQLite copy of var/policeplan.sqlite3)")
    print(f"  metric pages one by one: {page_count} pages {pages:6.2f} s")
    print(f"  + their chart images:    {image_count} SVGs  {images:6.2f} s")
    print(f"  = baseline:                        {baseline:6.2f} s")
    print(f"  build_report (HTML, charts, PDF, stored): {report:6.2f} s, PDF {pdf_bytes:,} bytes")
    for name, seconds in parts.items():
        print(f"      {name:<20} {seconds:6.2f} s")
    print(f"  ratio report / metric pages with charts: {report / baseline:.2f}x")
    print(f"  ratio report / metric pages alone:       {report / pages:.2f}x")
    print(
        f"  CPU seconds: report {CPU['report']:.2f}, pages with charts {CPU['baseline']:.2f}, "
        f"ratio {CPU['report'] / CPU['baseline']:.2f}x"
    )

    if profiled:
        print(profiled)


if __name__ == "__main__":
    main()
