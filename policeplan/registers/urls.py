from django.urls import path

from . import views

urlpatterns = [
    path("", views.registers_index, name="registers"),
    path("places/map.svg", views.places_map, name="places-map"),
    path("governance/<slug:slug>/", views.governance_body, name="governance-body"),
    path("<slug:kind>/", views.register_page, name="register"),
]
