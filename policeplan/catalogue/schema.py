"""Strict schema for plan catalogue YAML files (``plans/*.yaml``).

Pure pydantic: no Django imports. Every model forbids unknown keys, so a typo in the YAML is an
error naming its key path rather than a silently ignored field.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# One definition of polarity for the catalogue and the statistics (imported from here too).
from policeplan.analysis.polarity import Polarity as Polarity

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourceKind(StrEnum):
    """Where a headline metric's figures come from, as the plan's Performance Framework says."""

    LOCAL = "local"
    NCPM = "ncpm"
    CSEW = "csew"
    NATIONAL_STATISTICS = "national_statistics"
    PARTNERSHIP = "partnership"


SOURCE_KIND_LABELS = {
    SourceKind.LOCAL: "Local data",
    SourceKind.NCPM: "National Crime and Policing Measures",
    SourceKind.CSEW: "Crime Survey for England and Wales",
    SourceKind.NATIONAL_STATISTICS: "National statistics",
    SourceKind.PARTNERSHIP: "Partnership data",
}


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    AD_HOC = "ad-hoc"


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    RATE_PER_1000 = "rate-per-1000"
    HOURS = "hours"
    YEARS = "years"
    YES_NO = "yes-no"
    SCORE = "score"


# --- computations: how a metric's figures are obtained ------------------------------------


class PoliceUkCrimeTypes(Strict):
    """Count of police.uk street-level records whose ``Crime type`` is one of ``crime_types``."""

    kind: Literal["police_uk_crime_types"]
    crime_types: list[Text] = Field(min_length=1)


class PoliceUkPositiveOutcomes(Strict):
    """Share of police.uk records (of ``crime_types``, or all crimes) with a positive outcome."""

    kind: Literal["police_uk_positive_outcomes"]
    crime_types: list[Text] = Field(default_factory=list)
    outcome_set: Slug = "default"


class OnsPfaOffenceGroup(Strict):
    """An ONS Police Force Area table cell: table and offence-group column."""

    kind: Literal["ons_pfa_offence_group"]
    table: Literal["P1", "P3", "P4", "P5", "P6"] = "P1"
    offence_group: Text


class LocalTemplateField(Strict):
    """A figure entered by staff or uploaded in the local data template."""

    kind: Literal["local_template"]
    field: Slug


ColumnName = Annotated[str, Field(pattern=r"^[a-z][a-z_]*$", max_length=40)]


class RegisterCount(Strict):
    """A count of published entries of an accountability register (issue 15), per financial
    year: entries whose ``where`` columns equal the values given, dated in the year by their
    ``dated_by`` column; with no ``dated_by``, the entries held now, for the current year.
    ``any`` gives 1 when there is at least one, else 0 (a yes-no metric)."""

    kind: Literal["register_count"]
    counts: Literal[
        "meetings", "actions", "recommendations", "decisions", "documents", "finance",
        "places", "grants", "teams",
    ]  # fmt: skip
    where: dict[ColumnName, str | bool] = Field(default_factory=dict)
    dated_by: ColumnName | None = None
    any: bool = False

    @model_validator(mode="after")
    def _columns_exist(self) -> RegisterCount:
        from policeplan.sources.register_specs import SPECS, Type

        spec = SPECS[self.counts]
        for name in [*self.where, *([self.dated_by] if self.dated_by else [])]:
            if name not in spec.column_names:
                raise ValueError(f"the {self.counts} register has no column {name!r}")
        if self.dated_by and spec.column(self.dated_by).type is not Type.DATE:
            raise ValueError(f"{self.dated_by!r} is not a date column of {self.counts}")
        return self


Computation = Annotated[
    PoliceUkCrimeTypes
    | PoliceUkPositiveOutcomes
    | OnsPfaOffenceGroup
    | LocalTemplateField
    | RegisterCount,
    Field(discriminator="kind"),
]


class MetricSource(Strict):
    kind: SourceKind
    label: Text  # as printed in the plan's Performance Framework, e.g. "NC&PM*"
    inherited: bool = False  # blank source cell in the plan: source of the row above


class MetricSeries(Strict):
    """One series of figures for a metric, from one source. Series are never mixed."""

    slug: Slug
    label: Text
    computation: Computation
    caveat: str = ""


class Metric(Strict):
    slug: Slug
    name: Text
    strategy: Slug
    framework_priority: Text  # the "Priority" cell of the plan's table, as printed
    headline: bool = True  # False for supplementary metrics not in the plan's table
    source: MetricSource
    unit: Unit
    polarity: Polarity
    frequency: Frequency
    definition: Text
    series: list[MetricSeries] = Field(default_factory=list)
    awaiting_data_note: str = ""
    # Who provides and answers for the figures: a team or role title, not a person's name.
    owner: str = Field(default="", max_length=200)
    # Where the owner comes from when the plan itself names none (the OPCC's assignment).
    owner_note: str = ""

    @model_validator(mode="after")
    def _owner_note_needs_owner(self) -> Metric:
        if self.owner_note and not self.owner:
            raise ValueError(f"{self.slug}: owner_note is set but owner is empty")
        return self

    @field_validator("series")
    @classmethod
    def _series_slugs_unique(cls, value: list[MetricSeries]) -> list[MetricSeries]:
        _check_unique([s.slug for s in value], "series slug")
        return value


class Strategy(Strict):
    slug: Slug
    title: Text
    aims: list[Text] = Field(default_factory=list)  # "What am I aiming to do here for you?"
    deliverables: list[Text] = Field(default_factory=list)  # "What will I deliver to do it?"
    indicators: list[Text] = Field(default_factory=list)  # "How will I, and you, know...?"
    note: str = ""


class Mission(Strict):
    slug: Slug
    title: Text
    summary: list[Text] = Field(default_factory=list)
    strategies: list[Strategy] = Field(default_factory=list)


class NationalPriority(Strict):
    slug: Slug
    name: Text
    framework: Text = "Strategic Policing Requirement"


class NationalMeasure(Strict):
    """A National Crime and Policing Measure and the plan's metrics that report against it."""

    name: Text
    metrics: list[Slug] = Field(default_factory=list)  # none: listed as awaiting data


class GovernanceBody(Strict):
    slug: Slug
    name: Text
    kind: Literal["board", "meeting", "panel", "inspection", "scheme"]
    frequency: Text
    description: Text


class Partnership(Strict):
    slug: Slug
    name: Text
    commitments: list[Text] = Field(default_factory=list)


class Period(Strict):
    start: int = Field(ge=2012, le=2100)
    end: int = Field(ge=2012, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Plan(Strict):
    slug: Slug
    title: Text
    force: Slug
    area_name: Text
    commissioner: Text
    period: Period
    status: Literal["current", "previous", "draft"]
    partial: bool = False
    partial_note: str = ""
    source_document: Text
    vision: Text
    force_strategic_priorities: list[Text] = Field(default_factory=list)
    commitments: list[Text] = Field(default_factory=list)
    national_priorities: list[NationalPriority] = Field(default_factory=list)
    national_measures: list[NationalMeasure] = Field(default_factory=list)
    missions: list[Mission] = Field(default_factory=list)
    governance_bodies: list[GovernanceBody] = Field(default_factory=list)
    partnerships: list[Partnership] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_references(self) -> Plan:
        _check_unique([m.slug for m in self.missions], "mission slug")
        strategies = [s.slug for m in self.missions for s in m.strategies]
        _check_unique(strategies, "strategy slug")
        _check_unique([m.slug for m in self.metrics], "metric slug")
        _check_unique([n.slug for n in self.national_priorities], "national priority slug")
        _check_unique([g.slug for g in self.governance_bodies], "governance body slug")
        _check_unique([p.slug for p in self.partnerships], "partnership slug")
        known = set(strategies)
        for index, metric in enumerate(self.metrics):
            if metric.strategy not in known:
                raise ValueError(
                    f"metrics[{index}] ({metric.slug}): strategy '{metric.strategy}' is not one "
                    f"of this plan's strategies ({', '.join(sorted(known)) or 'none'})"
                )
        metric_slugs = {m.slug for m in self.metrics}
        for index, measure in enumerate(self.national_measures):
            unknown = [slug for slug in measure.metrics if slug not in metric_slugs]
            if unknown:
                raise ValueError(
                    f"national_measures[{index}] ({measure.name}): "
                    f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not a metric "
                    "of this plan"
                )
        if self.partial and not self.partial_note:
            raise ValueError("a partial plan needs a partial_note saying what is missing")
        return self


class CatalogueFile(Strict):
    schema_version: Literal[1]
    plan: Plan


def _check_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} '{value}'")
        seen.add(value)


def slugify(text: str) -> str:
    """A URL slug from a title ("The Police Estate" -> "the-police-estate")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
