"""LSOA drill-down: counts over the latest 12 months held, on the bundled LSOA 2011 polygons.

Computed live from records (a grouped count over at most 12 months of one force) rather than
stored, because an LSOA x month x metric table would dwarf everything else for little use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count

from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.models import ImportRun
from policeplan.records.models import StreetRecord


@dataclass
class LsoaMap:
    months: list[date]
    rows: list[dict[str, Any]]  # for the table beneath the map
    unmatched_records: int  # records whose LSOA code has no bundled polygon (e.g. LSOA 2021)
    total_records: int


def lsoa_map(force: str, crime_types: list[str]) -> LsoaMap | None:
    """Counts per LSOA for the latest 12 months held for ``force`` (fewer if fewer are held)."""
    held = ImportRun.objects.filter(
        source="police_uk", kind="street", status="current", force=force
    ).values_list("month", flat=True)
    months = sorted(m for m in held if m is not None)[-12:]
    if not months:
        return None
    counts = dict(
        StreetRecord.objects.filter(force=force, month__in=months, crime_type__in=crime_types)
        .exclude(lsoa_code=None)
        .values_list("lsoa_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    polygons = Area.objects.filter(kind=AreaKind.LSOA, force=force).exclude(geometry=None)
    rows, matched = [], 0
    for code, name, decile in polygons.order_by("name").values_list(
        "code", "name", "imd2019_decile"
    ):
        value = counts.get(code, 0)
        matched += value
        rows.append({"code": code, "name": name, "value": value, "decile": decile})
    total = sum(counts.values())
    return LsoaMap(months, rows, total - matched, total)


def lsoa_feature_collection(force: str, precision: int = 5) -> dict[str, Any]:
    """The force's LSOA polygons as GeoJSON, coordinates rounded (5 places is about 1 m)."""
    areas = (
        Area.objects.filter(kind=AreaKind.LSOA, force=force, geometry__isnull=False)
        .order_by("code")
        .values_list("code", "name", "imd2019_decile", "geometry")
    )
    features = []
    for code, name, decile, geometry in areas:
        shape: dict[str, Any] = geometry or {}
        rounded = {"type": shape["type"], "coordinates": _rounded(shape["coordinates"], precision)}
        properties = {"code": code, "name": name, "decile": decile}
        features.append({"type": "Feature", "geometry": rounded, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _rounded(coordinates: Any, precision: int) -> Any:
    if isinstance(coordinates, (int, float)):
        return round(coordinates, precision)
    return [_rounded(c, precision) for c in coordinates]
