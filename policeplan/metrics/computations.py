"""What each kind of series computation is and how it behaves: one registration per kind.

A metric series declares its computation in the catalogue (``catalogue.schema.Computation``:
a pydantic model per kind). Everything the engine and the pages need to know about a kind is
registered here, once: which engine computes it, which import source its figures come from,
whether its figures are rates, how a police.uk cube cell list becomes a figure, and whether
it can be mapped by LSOA. Code asks :func:`computation_of` instead of comparing kind strings,
so a new kind is one schema model plus one :func:`register` call (ADR 0007).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, get_args

from pydantic import BaseModel, TypeAdapter

from policeplan.analysis import outcomes as outcome_sets
from policeplan.catalogue.schema import (
    Computation,
    LocalTemplateField,
    OnsPfaOffenceGroup,
    PoliceUkCrimeTypes,
    PoliceUkPositiveOutcomes,
    RegisterCount,
)

ASB = "Anti-social behaviour"
# A police.uk cube cell: (crime type, last outcome category, record count).
Cell = tuple[str, str | None, int]
Evaluate = Callable[[Any, list[Cell]], dict[str, Any] | None]


class Engine(StrEnum):
    """Which part of the metrics engine computes a kind."""

    POLICE_UK = "police_uk"  # metrics.compute: monthly sums over the police.uk record cube
    ONS_PFA = "ons_pfa"  # metrics.compute_official: one 12-month figure per ONS edition
    LOCAL = "local"  # staff-entered figures (issue 10 section 3): stored as entered
    REGISTER = "register"  # counts of published register entries (registers.metrics)


@dataclass(frozen=True)
class ComputationKind:
    """The registered behaviour of one computation kind."""

    model: type[BaseModel]
    engine: Engine
    source: str  # the ImportRun source its figures come from
    is_rate: bool = False  # a percentage of a denominator, not a count
    evaluate: Evaluate | None = None  # police.uk engine: cube cells -> figure (None: no figure)
    lsoa_crime_types: Callable[[Any], list[str]] | None = None  # mappable by LSOA: which types

    @property
    def name(self) -> str:
        (kind,) = get_args(self.model.model_fields["kind"].annotation)
        return str(kind)


@dataclass(frozen=True)
class SeriesComputation:
    """A series' computation, parsed into its typed model, with its kind's behaviour."""

    kind: ComputationKind
    spec: Any  # an instance of kind.model

    @property
    def engine(self) -> Engine:
        return self.kind.engine

    @property
    def is_rate(self) -> bool:
        return self.kind.is_rate

    @property
    def source(self) -> str:
        return self.kind.source

    def evaluate(self, cells: list[Cell]) -> dict[str, Any] | None:
        if self.kind.evaluate is None:
            raise ValueError(f"{self.kind.name} is not computed from police.uk records")
        return self.kind.evaluate(self.spec, cells)

    def lsoa_crime_types(self) -> list[str] | None:
        """The crime types to map by LSOA, or None when the figures cannot be mapped."""
        return self.kind.lsoa_crime_types(self.spec) if self.kind.lsoa_crime_types else None


REGISTRY: dict[str, ComputationKind] = {}
_PARSE: TypeAdapter[Any] = TypeAdapter(Computation)


def register(kind: ComputationKind) -> ComputationKind:
    if kind.name in REGISTRY:
        raise ValueError(f"computation kind {kind.name!r} is registered twice")
    REGISTRY[kind.name] = kind
    return kind


def computation_of(series: Mapping[str, Any]) -> SeriesComputation:
    """The computation of a catalogue series (a dict with a ``computation``), or of a
    computation dict itself."""
    declared = series.get("computation", series)
    spec = _PARSE.validate_python(declared)
    return SeriesComputation(REGISTRY[spec.kind], spec)


# --- the police.uk cube evaluators ---------------------------------------------------------


def _crime_type_count(spec: PoliceUkCrimeTypes, cells: list[Cell]) -> dict[str, Any]:
    wanted = set(spec.crime_types)
    return {"value": float(sum(n for ct, _, n in cells if ct in wanted))}


def _positive_outcome_rate(
    spec: PoliceUkPositiveOutcomes, cells: list[Cell]
) -> dict[str, Any] | None:
    wanted = set(spec.crime_types)
    counts: dict[str, int] = defaultdict(int)
    for crime_type, outcome, n in cells:
        if crime_type != ASB and (not wanted or crime_type in wanted):
            counts[outcome or ""] += n
    rate = outcome_sets.positive_outcome_rate(
        counts, outcome_sets.get_outcome_set(spec.outcome_set)
    )
    if not rate.crimes or rate.rate is None:
        return None  # no crimes of these types: a rate has no meaning
    return {
        "value": 100 * rate.rate,
        "numerator": rate.positive,
        "denominator": rate.crimes,
        "pending_share": rate.pending_share,
        "unusable_share": rate.unknown_share,  # "Status update unavailable": never positive
    }


def _crime_types(spec: PoliceUkCrimeTypes) -> list[str]:
    return list(spec.crime_types)


register(
    ComputationKind(
        PoliceUkCrimeTypes,
        Engine.POLICE_UK,
        source="police_uk",
        evaluate=_crime_type_count,
        lsoa_crime_types=_crime_types,
    )
)
register(
    ComputationKind(
        PoliceUkPositiveOutcomes,
        Engine.POLICE_UK,
        source="police_uk",
        is_rate=True,
        evaluate=_positive_outcome_rate,
    )
)
register(ComputationKind(OnsPfaOffenceGroup, Engine.ONS_PFA, source="ons_pfa"))
register(ComputationKind(LocalTemplateField, Engine.LOCAL, source="local"))
register(ComputationKind(RegisterCount, Engine.REGISTER, source="register"))
