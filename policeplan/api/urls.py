"""/api/: the guide page, version 1 of the API, and problem-details 404s for anything else."""

from django.urls import path, re_path

from . import views
from .v1 import api

urlpatterns = [
    path("", views.api_home, name="api-home"),
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", views.api_not_found, name="api-not-found"),
]
