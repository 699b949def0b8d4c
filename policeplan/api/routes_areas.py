"""Areas: forces, local authorities, LSOAs, with boundaries as GeoJSON."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from policeplan.geography.models import Area

from . import lookups
from .openapi import GEOJSON_FEATURE_RESPONSE, extra
from .responses import conditional, json_response, list_response, reject_unknown_parameters
from .schemas import AreaDetail, AreaPage, AreaQuery, DetailFormat

router = Router(tags=["Areas"])
GEOJSON_CONTENT_TYPE = "application/geo+json"


def area_row(request: HttpRequest, area: Area) -> dict[str, Any]:
    url = request.build_absolute_uri(f"/api/v1/areas/{area.code}")
    return {
        "code": area.code,
        "name": area.name,
        "slug": area.slug,
        "kind": area.kind,
        "vintage": area.vintage,
        "force": area.force,
        "parent": area.parent.code if area.parent else None,
        "imd2019_rank": area.imd2019_rank,
        "imd2019_decile": area.imd2019_decile,
        "has_geometry": getattr(area, "has_geometry", area.geometry is not None),
        "url": url,
        "geojson_url": f"{url}.geojson",
    }


def _feature(request: HttpRequest, area: Area) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": area.code,
        "geometry": area.geometry,
        "properties": area_row(request, area),
    }


def _geojson_response(
    request: HttpRequest, document: dict[str, Any], filename: str
) -> HttpResponse:
    response = HttpResponse(json.dumps(document), content_type=GEOJSON_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return conditional(request, response, None)


def _areas(query: AreaQuery) -> QuerySet[Area]:
    areas = Area.objects.select_related("parent").order_by("kind", "name", "code", "id")
    if query.kind:
        areas = areas.filter(kind=query.kind)
    if query.force:
        areas = areas.filter(force=query.force)
    if query.parent:
        areas = areas.filter(parent=lookups.resolve_area(query.parent))
    return areas


@router.get(
    "/areas",
    response=AreaPage,
    summary="Areas: forces, local authorities, LSOAs",
    description="format=geojson gives the page as a GeoJSON FeatureCollection.",
    openapi_extra=extra("csv", "geojson"),
)
def list_areas(request: HttpRequest, query: Query[AreaQuery]) -> HttpResponse:
    areas = _areas(query)
    if query.format == "geojson":
        reject_unknown_parameters(request, query)
        page = areas[query.offset : query.offset + query.limit]
        document = {
            "type": "FeatureCollection",
            "count": areas.count(),
            "features": [_feature(request, area) for area in page],
        }
        return _geojson_response(request, document, "areas.geojson")
    has_geometry = ExpressionWrapper(Q(geometry__isnull=False), output_field=BooleanField())
    return list_response(
        request, query, page_schema=AreaPage,
        rows=areas.defer("geometry").annotate(has_geometry=has_geometry),
        to_row=area_row, filename="areas.csv", last_modified=None,
    )  # fmt: skip


@router.get(
    "/areas/{code}.geojson",
    summary="An area's boundary as a GeoJSON Feature",
    # Only application/geo+json: the view builds its own response, so ninja infers nothing.
    openapi_extra={"responses": {200: GEOJSON_FEATURE_RESPONSE, 404: extra()["responses"][404]}},
)
def area_geojson(request: HttpRequest, code: str) -> HttpResponse:
    area = lookups.resolve_area(code)
    return _geojson_response(request, _feature(request, area), f"{area.code}.geojson")


@router.get(
    "/areas/{code}",
    response=AreaDetail,
    summary="An area, by ONS code or slug",
    description="format=geojson gives the area as a GeoJSON Feature.",
    openapi_extra=extra("geojson"),
)
def area_detail(request: HttpRequest, code: str, format: DetailFormat = "json") -> HttpResponse:
    area = lookups.resolve_area(code)
    if format == "geojson":
        return _geojson_response(request, _feature(request, area), f"{area.code}.geojson")
    payload = area_row(request, area) | {"source": area.source, "geometry": area.geometry}
    return json_response(request, AreaDetail, payload, None)
