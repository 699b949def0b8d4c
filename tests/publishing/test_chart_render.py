"""Charts drawn on the server for readers without JavaScript (chart_render, /charts/*.svg)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from policeplan.publishing import chart_render, charts

METRIC_PAGE = "/plans/llr-2024-2029/metrics/shoplifting/"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def small_bar_chart() -> dict[str, object]:
    return charts.bar_chart(
        [{"area": "Blaby", "value": 925}, {"area": "Melton", "value": 310}],
        title="Shoplifting by local authority",
        category="area",
        value="value",
        value_title="Crimes",
    )


def test_render_svg_draws_the_chart_and_caches_it(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = small_bar_chart()
    svg = chart_render.render_svg(spec)
    assert svg is not None and svg.startswith("<svg")
    assert "Shoplifting by local authority" in svg
    assert "Melton" in svg

    import vl_convert

    def no_second_render(*args: object, **kwargs: object) -> str:
        raise AssertionError("rendered twice")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", no_second_render)
    assert chart_render.render_svg(spec) == svg


def test_the_digest_names_the_spec() -> None:
    spec = small_bar_chart()
    assert chart_render.spec_digest(spec) == chart_render.spec_digest(small_bar_chart())
    changed = {**spec, "title": "Another title"}
    assert chart_render.spec_digest(changed) != chart_render.spec_digest(spec)
    assert re.fullmatch(r"[0-9a-f]{32}", chart_render.spec_digest(spec))


def test_specs_with_remote_data_are_not_rendered() -> None:
    spec = charts.choropleth(
        "/geography/leicestershire/lsoa.geojson",
        [{"code": "E01025631", "value": 3}],
        title="Map",
        value_title="Crimes",
    )
    assert chart_render.uses_remote_data(spec)
    assert chart_render.render_svg(spec) is None
    assert chart_render.register_spec(spec) is None


def test_a_failed_rendering_is_logged_and_gives_none(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import vl_convert

    def broken(*args: object, **kwargs: object) -> str:
        raise ValueError("bad spec")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", broken)
    with caplog.at_level(logging.WARNING, logger="policeplan.publishing.chart_render"):
        assert chart_render.render_svg(small_bar_chart()) is None
    assert "Could not render chart 'Shoplifting by local authority'" in caplog.text


@pytest.mark.django_db
def test_metric_page_links_each_chart_to_its_svg_inside_noscript(client: Client) -> None:
    html = client.get(METRIC_PAGE).content.decode()
    fallbacks = re.findall(r'<noscript><div class="app-chart-fallback"><img [^>]*></div>', html)
    assert fallbacks, "no server-rendered chart on the metric page"
    image = re.search(r'src="(/charts/[0-9a-f]{32}\.svg)" alt="Chart: ([^"]+)"', fallbacks[0])
    assert image, fallbacks[0]
    assert "The figures are in the table below." in image.group(2)

    response = client.get(image.group(1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.content.decode().startswith("<svg")
    again = client.get(image.group(1))  # from the page cache, with the chart's own policy
    assert again["X-Cache"] == "hit"
    assert again["Content-Security-Policy"] == response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_map_has_no_server_rendering(client: Client) -> None:
    html = client.get(METRIC_PAGE).content.decode()
    assert 'data-vega-spec="lsoa-map-spec"' in html
    assert 'id="lsoa-map-spec-image"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("digest", ["0" * 32, "not-a-digest", "../../etc/passwd"])
def test_unknown_charts_are_not_found(client: Client, digest: str) -> None:
    assert client.get(f"/charts/{digest}.svg").status_code == 404
