"""What a report says, as plain values: built by ``gather``, rendered by ``render``.

Nothing here reads the database, so the same content always renders to the same HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .periods import Audience, ReportPeriod


def figure_key(figure: dict[str, Any]) -> str:
    """A figure's identity across reports: what it measures, where and for which months."""
    return "/".join(
        str(figure[name]) for name in ("metric", "series", "area", "measure", "start", "end")
    )


def make_figure(
    metric: str,
    series: dict[str, Any],
    area: Any,
    measure: str,
    months: tuple[Any, Any],
    value: float,
    runs: list[int],
    **counts: int | None,
) -> dict[str, Any]:
    """A figure as a report stores it: enough to find it again and to recompute it."""
    return {
        "metric": metric,
        "series": series["slug"],
        "area": area.code,
        "area_name": area.name,
        "force": area.force,
        "measure": measure,
        "start": str(months[0]),
        "end": str(months[1]),
        "computation": series["computation"],
        "value": value,
        "runs": runs,
        **counts,
    }


@dataclass(frozen=True)
class Chart:
    """A chart as the site draws it (a Vega-Lite spec), with the text that stands in for it."""

    spec: dict[str, Any]
    alt: str
    file_name: str = ""  # set when rendered: charts/<digest>.svg


@dataclass(frozen=True)
class ComparisonRow:
    """One comparison in the figures table: counts (or rates) and the change, or why not."""

    label: str
    current_label: str
    current: str
    previous_label: str
    previous: str
    change: str
    percent: str
    note: str = ""


@dataclass(frozen=True)
class Commentary:
    """Commentary approved for the report's audience (staff workspace, issue 10)."""

    text: str
    author_role: str
    approved_on: date
    embargoed_until: str = ""  # Board only: approved, not yet public
    action: str = ""  # what is being done
    period_label: str = ""  # the last month it covers
    submission: int = 0
    published_from: datetime | None = None


@dataclass(frozen=True)
class LocalRow:
    """One approved figure entered by staff, as the report's table shows it."""

    period: str
    area: str
    value: str
    submission: int
    approved_on: str
    embargoed_until: str = ""  # Board only: approved, not yet public


@dataclass
class MetricSection:
    slug: str
    name: str
    definition: str
    source: str
    unit: str
    polarity: str
    frequency: str
    owner: str
    series_label: str
    latest: str  # "December 2025: 1,234"
    chart: Chart | None
    period_rows: list[tuple[str, str, str]]  # (month, figure, variation) for the period
    comparisons: list[ComparisonRow]
    variation: tuple[str, str]  # (tag text, explanation)
    assurance: tuple[str, str]
    target: str  # '' when none is set
    exception_reasons: list[str]
    exception_notes: list[str]
    peer: str
    caveats: list[str]
    out_of_date: str
    provenance: str
    figures: list[dict[str, Any]] = field(default_factory=list)
    run_ids: set[int] = field(default_factory=set)
    commentary: list[Commentary] = field(default_factory=list)
    local_rows: list[LocalRow] = field(default_factory=list)
    submission_ids: set[int] = field(default_factory=set)
    embargoed_until: list[datetime] = field(default_factory=list)  # Board only
    target_record: Any = field(default=None, repr=False, compare=False)  # staff.Target
    # The read side's analysis behind the section (not rendered): rule coverage reuses it.
    source_report: Any = field(default=None, repr=False, compare=False)

    @property
    def anchor(self) -> str:
        return f"metric-{self.slug}"

    @property
    def is_exception(self) -> bool:
        return bool(self.exception_reasons)

    @property
    def embargoed(self) -> bool:
        return bool(self.embargoed_until)


@dataclass
class StrategySection:
    title: str
    slug: str
    metrics: list[MetricSection]


@dataclass
class MissionSection:
    title: str
    slug: str
    strategies: list[StrategySection]


@dataclass(frozen=True)
class AwaitingMetric:
    name: str
    slug: str
    owner: str
    strategy: str
    source: str
    note: str


@dataclass(frozen=True)
class CoverageLine:
    label: str
    text: str


@dataclass(frozen=True)
class Definition:
    name: str
    slug: str
    definition: str
    source: str
    unit: str
    polarity: str
    frequency: str
    how: str


@dataclass
class ReportContent:
    plan_slug: str
    plan_title: str
    area_name: str
    audience: Audience
    period: ReportPeriod
    as_at: date
    coverage: list[CoverageLine]
    missions: list[MissionSection]
    awaiting: list[AwaitingMetric]
    testability: list[str]  # which exception rules could be tested, for which metrics
    definitions: list[Definition]
    runs: list[dict[str, Any]]  # import runs used, for the manifest
    # Hooks for the staff workspace: submissions and approvals used, embargoed material.
    submissions: list[dict[str, Any]] = field(default_factory=list)
    approvals: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    embargo_notice: str = ""  # Board only: set when any material shown is still embargoed
    embargo_until_text: str = ""  # when the last embargo of the material shown lifts

    @property
    def title(self) -> str:
        return f"{self.plan_title}: performance report to the {self.audience.label}, " + (
            self.period.label
        )

    @property
    def metrics(self) -> list[MetricSection]:
        return [m for mission in self.missions for s in mission.strategies for m in s.metrics]

    @property
    def exceptions(self) -> list[MetricSection]:
        return [m for m in self.metrics if m.is_exception]

    @property
    def figures(self) -> list[dict[str, Any]]:
        return [figure for metric in self.metrics for figure in metric.figures]
