"""API schemas for the published Board and Panel reports (see routes_reports)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field
from pydantic import BaseModel

from .schemas import ListQuery, Page


class ReportQuery(ListQuery):
    plan: str | None = Field(None, description="Plan slug")
    audience: Literal["board", "panel"] | None = Field(
        None, description="board (Corporate Governance Board) or panel (Police and Crime Panel)"
    )


class ReportOut(BaseModel):
    id: int
    plan: str = Field(description="Plan slug")
    audience: Literal["board", "panel"]
    audience_label: str
    period: str = Field(description="2025-Q4 (calendar quarter) or 2025-11..2025-12 (Board)")
    first_month: str = Field(description="YYYY-MM")
    last_month: str = Field(description="YYYY-MM")
    title: str
    as_at: date = Field(description="When the newest data the report uses was imported")
    built_at: datetime
    published_at: datetime
    figures: int = Field(description="How many figures the report states")
    content_sha256: str = Field(description="Of the HTML with the build time masked")
    url: str = Field(description="The report on the site (permanent)")
    pdf_url: str
    manifest_url: str
    api_url: str


class ReportPage(Page):
    results: list[ReportOut]


class ReportFigure(BaseModel):
    metric: str
    series: str
    area: str = Field(description="ONS code of the area")
    area_name: str = ""
    measure: str = Field(description="count, total, rate, ons_count or ons_rate")
    start: str = Field(description="First month, YYYY-MM")
    end: str = Field(description="Last month, YYYY-MM")
    value: float
    numerator: int | None = None
    denominator: int | None = None
    per: int | None = Field(None, description="ons_rate: offences per this many people")
    runs: list[int] = Field(description="Import runs the figure comes from")


class ReportDetail(ReportOut):
    manifest: dict[str, Any] = Field(description="Import runs, settings and software used")
    exceptions: dict[str, str] = Field(description="Metric slug -> name, for each exception")
    results: list[ReportFigure] = Field(description="Every figure the report states")
