from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("performance-framework/", views.performance_framework, name="performance-framework"),
    path("plans/compare/", views.compare_plans, name="compare-plans"),
    path("about/", views.about, name="about"),
    path("geography/<slug:force>/lsoa-2011.geojson", views.lsoa_geojson, name="lsoa-geojson"),
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
