from django.urls import path

from . import views, views_area, views_performance

urlpatterns = [
    path("", views.home, name="home"),
    path("performance-framework/", views.performance_framework, name="performance-framework"),
    path("plans/compare/", views.compare_plans, name="compare-plans"),
    path("about/", views.about, name="about"),
    path("exceptions/", views_performance.exceptions_page, name="exceptions"),
    path("national-measures/", views_performance.national_measures_page, name="national-measures"),
    path("data/coverage/", views_performance.coverage_page, name="coverage"),
    path("search/", views_area.search, name="search"),
    path("your-area/", views_area.my_area, name="my-area"),
    path("areas/<slug:slug>/", views_area.area_detail, name="area"),
    path("geography/<slug:force>/lsoa.geojson", views.lsoa_geojson, name="lsoa-geojson"),
    path("plans/<slug:plan>/", views.plan_detail, name="plan"),
    path(
        "plans/<slug:plan>/performance-framework/",
        views.performance_framework,
        name="plan-performance-framework",
    ),
    path("plans/<slug:plan>/missions/<slug:slug>/", views.mission_detail, name="mission"),
    path("plans/<slug:plan>/strategies/<slug:slug>/", views.strategy_detail, name="strategy"),
    path("plans/<slug:plan>/metrics/<slug:slug>/", views.metric_detail, name="metric"),
]

from . import views_official  # noqa: E402

urlpatterns += [
    path("official-statistics/", views_official.official_statistics, name="official-statistics"),
    path(
        "official-statistics/<slug:slug>/",
        views_official.official_offence_group,
        name="official-offence-group",
    ),
]

from . import views_charts  # noqa: E402

urlpatterns += [path("charts/<str:digest>.svg", views_charts.chart_svg, name="chart-svg")]

from . import views_neighbourhoods  # noqa: E402

urlpatterns += [
    path("neighbourhoods/", views_neighbourhoods.neighbourhoods_index, name="neighbourhoods"),
    path(
        "neighbourhoods/<slug:force>/<str:police_uk_id>/",
        views_neighbourhoods.neighbourhood_detail,
        name="neighbourhood",
    ),
]
