"""LSOA drill-down: counts over the latest 12 months held, on the LSOA polygons of their vintage.

data.police.uk moved from LSOA 2011 to LSOA 2021 codes; each month's vintage is read from its
records (a month using any code that exists only in 2021 is a 2021 month), and the map is drawn
on the vintage of the latest month.

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
    unmatched_records: int  # records whose LSOA code has no polygon in the map's vintage
    total_records: int
    vintage: str = "2011"
    outside_force: int = 0  # of the unmatched: codes in no LSOA of the force (over the boundary)


def lsoa_vintages(force: str) -> list[str]:
    """The LSOA vintages held with polygons for ``force``, oldest first."""
    return sorted(
        set(
            Area.objects.filter(kind=AreaKind.LSOA, force=force)
            .exclude(geometry=None)
            .values_list("vintage", flat=True)
        )
    )


def month_vintage(force: str, month: date) -> str:
    """'2021' when the month's records use a code that exists only in LSOA 2021, else '2011'."""
    lsoas = Area.objects.filter(kind=AreaKind.LSOA, force=force)
    only_2021 = lsoas.filter(vintage="2021").exclude(
        code__in=lsoas.filter(vintage="2011").values("code")
    )
    used = StreetRecord.objects.filter(
        force=force, month=month, lsoa_code__in=only_2021.values("code")
    )
    return "2021" if used.exists() else "2011"


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
    vintage = month_vintage(force, months[-1])
    polygons = Area.objects.filter(kind=AreaKind.LSOA, force=force, vintage=vintage).exclude(
        geometry=None
    )
    rows, matched = [], 0
    for code, name, decile in polygons.order_by("name").values_list(
        "code", "name", "imd2019_decile"
    ):
        value = counts.get(code, 0)
        matched += value
        rows.append({"code": code, "name": name, "value": value, "decile": decile})
    total = sum(counts.values())
    known = set(Area.objects.filter(kind=AreaKind.LSOA, force=force).values_list("code", flat=True))
    outside = sum(n for code, n in counts.items() if code not in known)
    return LsoaMap(months, rows, total - matched, total, vintage, outside)


def lsoa_feature_collection(force: str, vintage: str, precision: int = 5) -> dict[str, Any]:
    """The force's LSOA polygons of one vintage as GeoJSON, coordinates rounded (5 places ~1 m)."""
    areas = (
        Area.objects.filter(kind=AreaKind.LSOA, force=force, vintage=vintage)
        .exclude(geometry=None)
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
