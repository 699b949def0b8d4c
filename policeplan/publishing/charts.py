"""Vega-Lite specifications for the public charts (data in, JSON-ready dict out).

Charts are specs, not hand-drawn SVG: the browser renders them with vega-embed, and the same
spec can be rendered on the server for pages without JavaScript.
"""

from __future__ import annotations

from typing import Any

# NHS "Making Data Count" colours: grey common cause, blue improvement, orange concern,
# purple for special cause on a metric where neither direction is better.
POINT_COLOURS = {
    "common_cause": "#505a5f",
    "improvement": "#1d70b8",
    "concern": "#f47738",
    "neither": "#4c2c92",
}
POINT_LABELS = {
    "common_cause": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neither": "Special cause: neither better nor worse",
}
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def spc_chart(rows: list[dict[str, Any]], *, title: str, y_title: str) -> dict[str, Any]:
    """An XmR chart: values, mean, process limits and special-cause points coloured by class.

    ``rows`` are ``SpcPoint.as_row()`` dicts; months without data have ``value`` None and are
    left as a break in the line, never drawn as zero.
    """
    data = [
        {
            **{k: row[k] for k in ("month", "value", "mean", "upper", "lower", "segment")},
            "class": POINT_LABELS[row["classification"]],
        }
        for row in rows
    ]
    x = {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": "Month"}
    y = {"type": "quantitative", "title": y_title}
    limit_line = {"type": "line", "strokeDash": [6, 4], "color": "#505a5f", "strokeWidth": 1.5}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "width": "container",
        "height": 320,
        "data": {"values": data},
        "encoding": {"x": x},
        "config": {"legend": {"labelLimit": 320, "orient": "bottom", "columns": 2}},
        "layer": [
            {
                "mark": limit_line,
                "encoding": {"y": {**y, "field": "upper"}, "detail": {"field": "segment"}},
            },
            {
                "mark": limit_line,
                "encoding": {"y": {**y, "field": "lower"}, "detail": {"field": "segment"}},
            },
            {
                "mark": {"type": "line", "color": "#0b0c0c", "strokeWidth": 1},
                "encoding": {"y": {**y, "field": "mean"}, "detail": {"field": "segment"}},
            },
            {
                "mark": {"type": "line", "color": "#1d70b8", "strokeWidth": 2},
                "encoding": {"y": {**y, "field": "value"}},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 60},
                "transform": [{"filter": "datum.value != null"}],
                "encoding": {
                    "y": {**y, "field": "value"},
                    "color": {
                        "field": "class",
                        "type": "nominal",
                        "title": "Variation",
                        "scale": {
                            "domain": list(POINT_LABELS.values()),
                            "range": [POINT_COLOURS[k] for k in POINT_LABELS],
                        },
                    },
                    "shape": {
                        "field": "class",
                        "type": "nominal",
                        "title": "Variation",
                        "scale": {"domain": list(POINT_LABELS.values())},
                    },
                    "tooltip": [
                        {"field": "month", "type": "temporal", "timeUnit": "yearmonth"},
                        {"field": "value", "type": "quantitative", "format": ",.1f"},
                        {"field": "class", "type": "nominal"},
                    ],
                },
            },
        ],
    }


def bar_chart(
    rows: list[dict[str, Any]],
    *,
    title: str,
    category: str,
    value: str,
    value_title: str,
    in_given_order: bool = False,
) -> dict[str, Any]:
    """A horizontal bar chart (e.g. local authorities, forces), largest first, or in the
    order of ``rows`` (e.g. periods, oldest first) when ``in_given_order``."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "width": "container",
        "data": {"values": rows},
        "mark": {"type": "bar", "color": "#1d70b8"},
        "encoding": {
            "y": {
                "field": category,
                "type": "nominal",
                "sort": None if in_given_order else "-x",
                "title": None,
            },
            "x": {"field": value, "type": "quantitative", "title": value_title},
            "tooltip": [{"field": category}, {"field": value, "format": ",.1f"}],
        },
    }


def choropleth(
    geojson_url: str, values: list[dict[str, Any]], *, title: str, value_title: str
) -> dict[str, Any]:
    """LSOA map: polygons fetched from ``geojson_url`` (cacheable), shaded by ``values``.

    ``values`` are ``{"code", "value"}`` rows joined to the features' ``properties.code``.
    """
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "width": "container",
        "height": 480,
        "data": {"url": geojson_url, "format": {"type": "json", "property": "features"}},
        "transform": [
            {
                "lookup": "properties.code",
                "from": {"data": {"values": values}, "key": "code", "fields": ["value"]},
                "default": 0,
            }
        ],
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.3},
        "encoding": {
            "color": {
                "field": "value",
                "type": "quantitative",
                "title": value_title,
                "scale": {"scheme": "blues"},
            },
            "tooltip": [
                {"field": "properties.name", "title": "Area"},
                {"field": "value", "title": value_title, "format": ","},
                {"field": "properties.decile", "title": "Deprivation decile (1 = most deprived)"},
            ],
        },
    }
