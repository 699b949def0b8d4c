"""What the public register pages show: each entry's cells as a reader sees them, and the
register-specific parts (grant totals, places near you, overdue actions, time open, the
finance chart). Views stay thin; they call these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from policeplan.publishing import charts
from policeplan.sources.register_specs import Column, RegisterSpec, Type

from . import queries
from .models import RegisterEntry

MAX_QUERY_LENGTH = 100
# Long text is shown in full on the page; these columns are left to the API and download.
HIDDEN = {"places": {"latitude", "longitude"}}


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    numeric: bool = False
    tag: str = ""  # a GOV.UK tag colour when the cell is a status


def money(amount: Decimal | float | None) -> str:
    if amount is None:
        return ""
    return f"£{amount:,.2f}".replace(".00", "")


def _cell(column: Column, value: Any, names: dict[str, str], bodies: dict[str, str]) -> Cell:
    if value is None or value == "":
        return Cell("")
    kind = column.type
    if kind == Type.DATE:
        return Cell(f"{value:%-d %B %Y}")
    if kind == Type.MONEY:
        return Cell(money(value), numeric=True)
    if kind == Type.AREA:
        return Cell(names.get(value, value))
    if kind == Type.BODY:
        return Cell(bodies.get(value, value))
    if kind == Type.LINK:
        return Cell("Open", href=value)
    if kind == Type.EMAIL:
        return Cell(value, href=f"mailto:{value}")
    if kind == Type.YES_NO:
        return Cell("Yes" if value else "No")
    if kind == Type.CHOICE:
        colour = {"open": "orange", "in progress": "blue", "complete": "green", "closed": "grey"}
        return Cell(
            str(value).capitalize(), tag=colour.get(value, "") if column.name == "status" else ""
        )
    return Cell(str(value))


def shown_columns(spec: RegisterSpec) -> list[Column]:
    return [c for c in spec.columns if c.name not in HIDDEN.get(spec.kind, set())]


def column_number(spec: RegisterSpec, name: str) -> int:
    """The 1-based position of a column on the page (0 when not shown)."""
    names = [c.name for c in shown_columns(spec)]
    return names.index(name) + 1 if name in names else 0


def header(column: Column) -> str:
    return column.name.replace("_", " ").capitalize()


def table_rows(
    spec: RegisterSpec, entries: Any, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Each entry as its cells, plus the flags the page shows beside them."""
    names = queries.area_names()
    bodies = {b.slug: b.name for b in queries.bodies()}
    columns = shown_columns(spec)
    today = today or timezone.localdate()
    rows = []
    for entry in entries:
        row: dict[str, Any] = {
            "entry": entry,
            "cells": [_cell(c, getattr(entry, c.name), names, bodies) for c in columns],
        }
        if spec.kind == "actions":
            row["overdue"] = entry.is_overdue(today)
        if spec.kind == "recommendations":
            row["days_open"] = entry.days_open(today)
        rows.append(row)
    return rows


def search(spec: RegisterSpec, entries: QuerySet[RegisterEntry], text: str) -> QuerySet[Any]:
    """Entries whose searchable columns contain every word of ``text``."""
    for word in text.split()[:10]:
        match = Q()
        for name in spec.search:
            match |= Q(**{f"{name}__icontains": word})
        entries = entries.filter(match)
    return entries


# --- finance -------------------------------------------------------------------------------------


def finance_chart(line: str = "budget") -> dict[str, Any] | None:
    """Spend by category over the years (Vega-Lite, with a server-rendered fallback)."""
    rows = queries.spend_by_category(line)
    if not rows:
        return None
    years = sorted({r["year"] for r in rows})
    categories = sorted({r["category"] for r in rows})
    spec = {
        "$schema": charts.VEGA_LITE_SCHEMA,
        "title": f"Spend by category, {years[0]} to {years[-1]} ({line})",
        "width": "container",
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": "Financial year"},
            "y": {"field": "amount", "type": "quantitative", "title": "£", "stack": "zero"},
            "color": {"field": "category", "type": "nominal", "title": "Category"},
            "tooltip": [
                {"field": "year"},
                {"field": "category"},
                {"field": "amount", "format": ",.0f"},
            ],
        },
    }
    table = {
        c: {r["year"]: money(r["amount"]) for r in rows if r["category"] == c} for c in categories
    }
    totals = {y: money(sum(r["amount"] for r in rows if r["year"] == y)) for y in years}
    latest = years[-1]
    biggest = max((r for r in rows if r["year"] == latest), key=lambda r: r["amount"])
    summary = (
        f"{len(categories)} categories over {len(years)} financial years. In {latest} the "
        f"largest was {biggest['category']} at {money(biggest['amount'])} of {totals[latest]}."
    )
    return {
        "spec": spec,
        "chart_id": f"finance-{line}",
        "years": years,
        "table": [(c, [table[c].get(y, "") for y in years]) for c in categories],
        "totals": [totals[y] for y in years],
        "summary": summary,
    }
