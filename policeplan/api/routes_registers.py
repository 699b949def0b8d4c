"""The accountability registers (issue 15): one resource per register kind, ``/api/v1/<kind>``,
JSON or CSV, published entries only. Each resource's schema is built from the kind's declared
columns (``sources.register_specs``), so the API, the templates and the pages cannot drift."""

# No ``from __future__ import annotations`` here: ninja reads the routes' annotations, which
# name schemas built inside a function.

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router
from pydantic import create_model

from policeplan.registers import pages, queries
from policeplan.sources.register_specs import SPECS, Column, RegisterSpec, Type

from .openapi import extra
from .responses import list_response
from .schemas import ListQuery, Out, Page

router = Router(tags=["Registers"])

_TYPES: dict[Type, Any] = {
    Type.DATE: dt.date | None,
    Type.MONEY: float,
    Type.YES_NO: bool,
    Type.LATITUDE: float,
    Type.LONGITUDE: float,
}


def _field(column: Column) -> tuple[Any, Any]:
    kind = _TYPES.get(column.type, str)
    if column.type == Type.DATE and column.required:
        kind = dt.date
    description = column.described
    return kind, Field(description=description)


def _extras(spec: RegisterSpec) -> dict[str, tuple[Any, Any]]:
    fields: dict[str, tuple[Any, Any]] = {
        "id": (
            int,
            Field(
                description="The entry's number (changes when a new version of the "
                "register is approved)"
            ),
        ),  # fmt: skip
        "published_from": (dt.datetime, Field(description="When this version was published")),
    }
    if any(c.type == Type.AREA for c in spec.columns):
        fields["area_name"] = (str, Field(description="The area's name"))
    if spec.kind == "actions":
        fields["overdue"] = (bool, Field(description="Not complete and past its due date"))
    if spec.kind == "recommendations":
        fields["days_open"] = (
            int,
            Field(description="Days from the report's publication to closing, or to today"),
        )
    return fields


def _row(spec: RegisterSpec, names: dict[str, str], entry: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": entry.pk, "published_from": entry.published_from}
    for column in spec.columns:
        value = getattr(entry, column.name)
        if column.type in (Type.MONEY, Type.LATITUDE, Type.LONGITUDE):
            value = float(value)
        row[column.name] = value
    if "area" in row:
        row["area_name"] = names.get(row["area"], row["area"])
    if spec.kind == "actions":
        row["overdue"] = entry.is_overdue()
    if spec.kind == "recommendations":
        row["days_open"] = entry.days_open()
    return row


def _add_resource(spec: RegisterSpec) -> None:
    name = "".join(part.capitalize() for part in spec.kind.split("_"))
    fields = _extras(spec) | {c.name: _field(c) for c in spec.columns}
    row_schema = create_model(f"{name}Out", __base__=Out, **fields)  # type: ignore[call-overload]
    page_schema = create_model(
        f"{name}Page",
        __base__=Page,
        results=(list[row_schema], ...),  # type: ignore[valid-type]
    )
    query_schema = create_model(
        f"{name}Query",
        __base__=ListQuery,
        q=(
            str | None,
            Field(None, description=f"Search: {', '.join(spec.search)}", max_length=100),
        ),
    )

    def resource(request: HttpRequest, query: Query[query_schema]) -> HttpResponse:  # type: ignore[valid-type]
        entries = queries.published(spec.kind).order_by(*spec.order, "pk")
        if query.q:  # type: ignore[attr-defined]
            entries = pages.search(spec, entries, query.q)  # type: ignore[attr-defined]
        names = queries.area_names()
        return list_response(
            request, query, page_schema=page_schema, rows=entries,
            to_row=lambda _request, entry: _row(spec, names, entry),
            filename=f"{spec.kind}.csv", last_modified=queries.last_published(spec.kind),
        )  # fmt: skip

    resource.__name__ = f"list_{spec.kind}"
    router.get(
        f"/{spec.kind}",
        response=page_schema,
        summary=spec.title,
        description=f"{spec.description} Only published entries (approved and past any "
        "embargo); each approved upload replaces the whole register.",
        openapi_extra=extra("csv"),
    )(resource)


for _spec in SPECS.values():
    _add_resource(_spec)
