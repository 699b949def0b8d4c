from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("policeplan.api.urls")),
    path("staff/", include("policeplan.staff.urls")),
    path("", include("policeplan.publishing.urls")),
]

handler404 = "policeplan.publishing.views.page_not_found"
