from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_list, name="reports"),
    path("<int:report_id>/", views.report_detail, name="report"),
    path("<int:report_id>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<int:report_id>/report.html", views.report_html, name="report-html"),
    path("<int:report_id>/report.css", views.report_css, name="report-css"),
    path("<int:report_id>/manifest.json", views.report_manifest, name="report-manifest"),
    path("<int:report_id>/charts/<str:name>.svg", views.report_chart, name="report-chart"),
]
