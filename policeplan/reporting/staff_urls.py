"""The approver's report pages, under /staff/reports/ (included by ``staff.urls``)."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("", staff_views.report_builder, name="staff-reports"),
    path("<int:pk>/", staff_views.report_detail, name="staff-report"),
    path("<int:pk>/report.pdf", staff_views.report_pdf, name="staff-report-pdf"),
    path("<int:pk>/publish/", staff_views.report_publish, name="staff-report-publish"),
]
