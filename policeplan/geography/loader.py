"""Load bundled geography: countries, regions, forces, local authorities and LSOAs.

LSOAs come in two vintages. data.police.uk used LSOA 2011 codes up to 2022 and LSOA 2021 codes
after. Most LSOAs kept their code and boundary in 2021; some were split or merged and replaced
by new codes. The 2011 set is loaded from the per-authority boundary files; the 2021 set is the
new-code polygons in ``lsoa2021_boundaries/`` plus every 2011 LSOA not replaced by one (a 2011
LSOA is replaced when it contains a point inside a new 2021 LSOA).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from . import shapes
from .models import Area, AreaKind
from .population import load_population

ENGLAND_AND_WALES = ("K04000001", "England and Wales")
COUNTRIES = {"E92000001": "England", "W92000004": "Wales"}


@dataclass
class GeographyResult:
    created: int = 0
    updated: int = 0

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def _upsert(
    result: GeographyResult, kind: str, code: str, vintage: str = "", **fields: Any
) -> Area:
    fields.setdefault("slug", slugify(fields.get("name", code)))
    area, created = Area.objects.update_or_create(
        kind=kind, code=code, vintage=vintage, defaults=fields
    )
    result.add(created)
    return area


@transaction.atomic
def load_geography(data_dir: Path) -> GeographyResult:
    """Create or update areas from ``data_dir/geography``. Idempotent; one transaction."""
    geo = data_dir / "geography"
    result = GeographyResult()
    ew = _upsert(result, AreaKind.COUNTRY, ENGLAND_AND_WALES[0], name=ENGLAND_AND_WALES[1])
    countries = {
        code: _upsert(result, AreaKind.COUNTRY, code, name=name, parent=ew)
        for code, name in COUNTRIES.items()
    }
    regions: dict[str, Area] = {"W92000004": countries["W92000004"]}
    forces: dict[str, Area] = {}
    with (geo / "forces.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            region = regions.get(row["region_code"])
            if region is None:
                region = _upsert(
                    result,
                    AreaKind.REGION,
                    row["region_code"],
                    name=row["region_name"],
                    parent=countries["E92000001"],
                )
                regions[row["region_code"]] = region
            forces[row["police_uk_id"]] = _upsert(
                result,
                AreaKind.FORCE,
                row["ons_code"],
                name=row["name"],
                slug=row["police_uk_id"],
                force=row["police_uk_id"],
                parent=region,
                source="ONS police force area codes; data.police.uk force ids",
            )
    imd = _imd_by_lsoa(geo / "lsoa2011_imd2019_rank_decile_ew.csv.gz")
    with (geo / "local_authorities.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            force = forces[row["force"]]
            la = _upsert(
                result,
                AreaKind.LOCAL_AUTHORITY,
                row["lad_code"],
                name=row["name"],
                parent=force,
                force=force.force,
            )
            if row["boundary_file"]:
                _load_lsoa_boundaries(result, geo / row["boundary_file"], la, imd)
    _load_lsoa_2021(result, geo / "lsoa2021_boundaries")
    if (geo / "population.csv").exists():
        load_population(geo / "population.csv", keep_newer=True)
    return result


def _imd_by_lsoa(path: Path) -> dict[str, tuple[int, int]]:
    reader = csv.DictReader(io.StringIO(_read_text(path)))
    return {
        r["lsoa11cd"]: (int(r["IMD2019_rank"]), int(r["IMD2019_decile"]))
        for r in reader
        if r["IMD2019_rank"] not in ("", "0")  # Welsh LSOAs carry 0: England-only index
    }


def _load_lsoa_boundaries(
    result: GeographyResult, path: Path, la: Area, imd: dict[str, tuple[int, int]]
) -> None:
    collection = json.loads(_read_text(path))
    for feature in collection["features"]:
        props = feature["properties"]
        code = props["LSOA11CD"]
        rank, decile = imd.get(code, (None, None))
        _upsert(
            result,
            AreaKind.LSOA,
            code,
            vintage="2011",
            name=props["LSOA11NM"],
            parent=la,
            force=la.force,
            geometry=feature["geometry"],
            imd2019_rank=rank,
            imd2019_decile=decile,
            source="ONS LSOA 2011 boundaries via martinjc/UK-GeoJSON; IoD2019 (MHCLG)",
        )


def _load_lsoa_2021(result: GeographyResult, folder: Path) -> None:
    """The LSOA 2021 set for each authority that has new 2021 codes (see the module doc)."""
    features = [
        json.loads(line)
        for path in sorted(folder.glob("*.geojsonl*"))
        for line in _read_text(path).splitlines()
        if line.strip()
    ]
    authorities = {
        la.name: la for la in Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY, vintage="")
    }
    new_by_la: dict[int, list[dict[str, Any]]] = {}
    for feature in features:
        props = feature["properties"]
        la_name = props["LSOA21NM"].rsplit(" ", 1)[0]
        la = authorities.get(la_name)
        if la is None:
            raise ValueError(f"{props['LSOA21CD']}: no local authority named {la_name!r}")
        new_by_la.setdefault(la.id, []).append(feature)
        _upsert(
            result, AreaKind.LSOA, props["LSOA21CD"], vintage="2021", name=props["LSOA21NM"],
            parent=la, force=la.force, geometry=feature["geometry"],
            source="ONS LSOA 2021 boundaries (BGC) via open-innovations/geography-bits",
        )  # fmt: skip
    # Every authority of a force with new codes gets a 2021 set, changed or not.
    forces = {la.force for la in authorities.values() if la.id in new_by_la}
    for la in authorities.values():
        if la.force not in forces:
            continue
        points = [shapes.interior_point(f["geometry"]) for f in new_by_la.get(la.id, [])]
        for old in Area.objects.filter(kind=AreaKind.LSOA, vintage="2011", parent=la):
            replaced = any(shapes.contains(old.geometry or {}, p) for p in points)
            if replaced:
                Area.objects.filter(kind=AreaKind.LSOA, vintage="2021", code=old.code).delete()
                continue
            _upsert(
                result, AreaKind.LSOA, old.code, vintage="2021", name=old.name, parent=old.parent,
                force=old.force, geometry=old.geometry, imd2019_rank=old.imd2019_rank,
                imd2019_decile=old.imd2019_decile,
                source=f"{old.source}; unchanged in LSOA 2021",
            )  # fmt: skip
