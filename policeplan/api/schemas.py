"""What the API returns and accepts, as pydantic schemas; the OpenAPI document is built from
these. Field descriptions become the data dictionary, so write them for a reader of a CSV."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, WithJsonSchema
from pydantic_core import PydanticCustomError

ListFormat = Literal["json", "csv"]
AreaFormat = Literal["json", "csv", "geojson"]
DetailFormat = Literal["json", "geojson"]
PeriodKindName = Literal["month", "quarter", "financial_year", "rolling_12"]

MAX_LIMIT = 5000
DEFAULT_LIMIT = 100
MAX_OFFSET = 1_000_000_000  # far beyond any data; keeps OFFSET within a database integer
MAX_ID = 2**63 - 1

# A month filter as written in a query: YYYY-MM (years 1000-9999), or empty for "no limit" (an
# HTML form sends an empty field). The OpenAPI pattern and the check are the same expression, so
# what the document allows is exactly what the API accepts.
MONTH_QUERY_PATTERN = r"^([1-9][0-9]{3}-(0[1-9]|1[0-2]))?$"
_MONTH_QUERY = re.compile(MONTH_QUERY_PATTERN, re.ASCII)


def _month_or_none(text: str | None) -> str | None:
    if text is None or text == "":
        return None
    if _MONTH_QUERY.fullmatch(text) is None:
        # The error type names the problem type the API answers with (invalid-month).
        raise PydanticCustomError(
            "invalid_month", "'{text}' is not a month (YYYY-MM)", {"text": text}
        )
    return text


MonthQuery = Annotated[
    str | None,
    AfterValidator(_month_or_none),
    WithJsonSchema({"type": "string", "pattern": MONTH_QUERY_PATTERN}),
]


# --- query parameters ------------------------------------------------------------------------


class ListQuery(Schema):
    format: ListFormat = Field("json", description="json (default) or csv")
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT}"
    )
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description="Rows to skip: follow the `next` link instead"
    )


class PlanQuery(ListQuery):
    status: Literal["current", "previous"] | None = Field(None, description="Plan status")


class MetricQuery(ListQuery):
    plan: str | None = Field(None, description="Plan slug; default: every published plan")
    headline: bool | None = Field(None, description="Only headline (true) or other metrics")


class ObservationQuery(ListQuery):
    plan: str | None = Field(
        None, description="Plan slug; default: every published plan (the current one with metric)"
    )
    metric: str | None = Field(None, description="Metric slug (see /api/v1/metrics)")
    series: str | None = Field(None, description="Series slug, e.g. police-uk")
    area: str | None = Field(None, description="Area ONS code or slug (see /api/v1/areas)")
    period_kind: PeriodKindName | None = Field(
        None, description="Granularity: month, quarter, financial_year or rolling_12"
    )
    from_: MonthQuery = Field(
        None,
        alias="from",
        description="First month (YYYY-MM) a period may end in; empty for no limit",
    )
    to: MonthQuery = Field(
        None,
        description="Last month (YYYY-MM) a period may end in; empty for no limit. "
        "from must not be after to (problem invalid-range)",
    )


class AreaQuery(Schema):
    format: AreaFormat = Field("json", description="json (default), csv or geojson")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page")
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description="Rows to skip: follow the `next` link instead"
    )
    kind: (
        Literal["country", "region", "force", "local_authority", "lsoa", "neighbourhood", "other"]
        | None
    ) = Field(None, description="Area kind")
    force: str | None = Field(None, description="police.uk force id (see /api/v1/areas?kind=force)")
    parent: str | None = Field(None, description="ONS code of the parent area")


class ExceptionQuery(ListQuery):
    plan: str | None = Field(None, description="Plan slug; default: the current plan")
    area: str | None = Field(None, description="Area code or slug; default: the force area")


class ImportRunQuery(ListQuery):
    source: str | None = Field(None, description="police_uk, ons_pfa or local")
    kind: str | None = Field(None, description="street, outcomes, stop-and-search, ...")
    force: str | None = Field(None, description="police.uk force id")
    status: Literal["current", "superseded"] | None = Field(None, description="Run status")


class CoverageQuery(ListQuery):
    source: str = Field("police_uk", description="Data source")
    force: str | None = Field(None, description="police.uk force id")
    kind: str | None = Field(None, description="File kind, e.g. street")


# --- responses -------------------------------------------------------------------------------
# Plain pydantic models: views build dicts, so ninja's ORM attribute resolution (slow on the
# bulk download's every row) is not needed.


class Out(BaseModel):
    pass


class Page(Out):
    count: int = Field(description="Rows matching the filters, across all pages")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, or null on the last")
    previous: str | None = Field(description="URL of the previous page, or null on the first")


class PlanOut(Out):
    slug: str
    title: str
    force: str = Field(description="police.uk force id")
    area_name: str
    commissioner: str
    period_start: int = Field(description="First year of the plan")
    period_end: int = Field(description="Last year of the plan")
    status: str = Field(description="current or previous")
    partial: bool = Field(description="True when only part of the plan is held as data")
    source_document: str
    content_sha256: str = Field(description="sha256 of the catalogue file last loaded")
    loaded_at: datetime
    url: str = Field(description="This plan in the API")


class PlanPage(Page):
    results: list[PlanOut]


class StrategyOut(Out):
    slug: str
    title: str
    aims: list[str]
    deliverables: list[str]
    indicators: list[str]
    note: str
    metrics: list[str] = Field(description="Slugs of the strategy's metrics")


class MissionOut(Out):
    slug: str
    title: str
    summary: list[str]
    strategies: list[StrategyOut]


class PlanDetail(PlanOut):
    vision: str
    force_strategic_priorities: list[str]
    commitments: list[str]
    missions: list[MissionOut]


class MetricBase(Out):
    plan: str = Field(description="Plan slug")
    slug: str = Field(description="Metric slug, unique within its plan")
    name: str
    mission: str = Field(description="Mission slug")
    strategy: str = Field(description="Strategy slug")
    framework_priority: str
    headline: bool
    source_kind: str
    source_label: str
    unit: str
    polarity: str = Field(description="lower-is-better, higher-is-better or neutral")
    frequency: str
    url: str = Field(description="This metric in the API")


class MetricOut(MetricBase):
    series: list[str] = Field(description="Slugs of the metric's series")


class MetricPage(Page):
    results: list[MetricOut]


class SeriesOut(Out):
    slug: str
    label: str
    computation: dict[str, Any] = Field(description="How the figures are computed")
    caveat: str = ""


class MetricDetail(MetricBase):
    definition: str
    polarity_label: str
    source_kind_label: str
    awaiting_data_note: str
    series: list[SeriesOut]
    series_with_data: list[str] = Field(description="Series that have observations")
    observations_url: str
    page_url: str = Field(description="The metric's page on the public site")


class ObservationOut(Out):
    plan: str = Field(description="Plan slug")
    metric: str = Field(description="Metric slug")
    series: str = Field(description="Series slug: one per source, never mixed")
    area_code: str = Field(description="ONS code of the area")
    area_name: str = Field(description="Name of the area")
    area_kind: str = Field(description="force, local_authority, ...")
    period_kind: str = Field(description="month, quarter, financial_year or rolling_12")
    period: str = Field(description="The period in words, e.g. 'Q1 2024/25'")
    period_start: str = Field(description="First month of the period (YYYY-MM)")
    period_end: str = Field(description="Last month of the period (YYYY-MM)")
    value: float = Field(description="The figure. A period with no data has no row: a gap")
    numerator: int | None = Field(description="For rates: the count divided")
    denominator: int | None = Field(description="For rates: the count divided by")
    pending_share: float | None = Field(
        description="Share of outcomes still pending; null when the file records no pending status"
    )
    unusable_share: float | None = Field(
        description="Share of crimes whose status is 'Status update unavailable' (never positive)"
    )
    import_run: int | None = Field(description="Id of the latest import run behind the figure")
    source_runs: list[int] = Field(description="Ids of every import run used")
    computed_at: datetime = Field(description="When the figure was computed")


class ObservationPage(Page):
    results: list[ObservationOut]


class AreaOut(Out):
    code: str = Field(description="ONS code, or police.uk id for neighbourhoods")
    name: str
    slug: str
    kind: str
    vintage: str = Field(description="LSOA vintage: 2011 or 2021; empty otherwise")
    force: str = Field(description="police.uk force id")
    parent: str | None = Field(description="ONS code of the parent area")
    imd2019_rank: int | None = Field(description="Index of Multiple Deprivation 2019 rank")
    imd2019_decile: int | None = Field(description="IMD 2019 decile (1 most deprived)")
    has_geometry: bool
    url: str = Field(description="This area in the API")
    geojson_url: str


class AreaPage(Page):
    results: list[AreaOut]


class AreaDetail(AreaOut):
    source: str
    geometry: dict[str, Any] | None = Field(description="GeoJSON geometry (WGS84)")


class ExceptionOut(Out):
    plan: str
    metric: str = Field(description="Metric slug")
    metric_name: str
    series: str
    area_code: str
    latest_month: str | None = Field(description="Latest month with data (YYYY-MM)")
    latest_value: float | None
    twelve_month_change_percent: float | None
    reasons: list[str] = Field(description="Why the metric is an exception, in words")
    reason_codes: list[str]
    notes: list[str] = Field(description="Checks that could not be made")
    url: str = Field(description="The metric in the API")


class ExceptionPage(Page):
    results: list[ExceptionOut]


class ImportRunOut(Out):
    id: int
    source: str
    kind: str
    force: str
    month: str | None = Field(description="Month covered (YYYY-MM)")
    period_label: str
    file: str = Field(description="File name as received")
    source_url: str
    sha256: str = Field(description="sha256 of the file exactly as received")
    content_sha256: str = Field(description="sha256 of the decompressed content")
    size_bytes: int
    rows_read: int
    rows_written: int
    rows_rejected: int
    rows_without_location: int
    rows_outside_force_area: int | None
    status: str = Field(description="current or superseded")
    supersedes: int | None = Field(description="Id of the run this one revised")
    started_at: datetime
    finished_at: datetime
    url: str


class ImportRunPage(Page):
    results: list[ImportRunOut]


class ImportRunDetail(ImportRunOut):
    changes: dict[str, Any] = Field(description="What changed against the revised run")


class CoverageOut(Out):
    source: str
    force: str
    kind: str
    month: str = Field(description="YYYY-MM")
    state: Literal["held", "missing", "revised"]


class CoveragePage(Page):
    results: list[CoverageOut]
