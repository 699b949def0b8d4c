from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("policeplan.api.urls")),
    path("reports/", include("policeplan.reporting.urls")),
    path("staff/registers/", include("policeplan.registers.urls_staff")),
    path("staff/", include("policeplan.staff.urls")),
    path("accountability/", include("policeplan.registers.urls")),
    path("", include("policeplan.web.urls")),
    path("", include("policeplan.publishing.urls")),
]

handler400 = "policeplan.web.errors.bad_request"
handler404 = "policeplan.publishing.views.page_not_found"
handler500 = "policeplan.web.errors.server_error"
