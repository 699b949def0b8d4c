from django.urls import include, path

from . import views, views_auth, views_local_data, views_two_factor, views_workflow

urlpatterns = [
    path("", views.home, name="staff-home"),
    path("sign-in/", views_auth.sign_in, name="staff-sign-in"),
    path("sign-out/", views_auth.sign_out, name="staff-sign-out"),
    path("signed-out/", views_auth.signed_out, name="staff-signed-out"),
    path("password-reset/", views_auth.password_reset, name="staff-password-reset"),
    path("password-reset/sent/", views_auth.password_reset_sent, name="staff-password-reset-sent"),
    path("set-password/<uidb64>/<token>/", views_auth.set_password, name="staff-set-password"),
    path("set-password/done/", views_auth.password_set, name="staff-password-set"),
    path("two-factor/", views_two_factor.two_factor, name="staff-two-factor"),
    path("metrics/<slug:slug>/", views.metric_detail, name="staff-metric"),
    path("audit/", views.audit_log, name="staff-audit"),
    path("reports/", include("policeplan.reporting.staff_urls")),
    path("audit/export.csv", views.audit_log_csv, name="staff-audit-csv"),
    path("submissions/", views_workflow.submission_list, name="staff-submissions"),
    path("submissions/<int:pk>/", views_workflow.submission_detail, name="staff-submission"),
    path(
        "submissions/<int:pk>/submit/",
        views_workflow.submission_submit,
        name="staff-submission-submit",
    ),
    path(
        "submissions/<int:pk>/approve/",
        views_workflow.submission_approve,
        name="staff-submission-approve",
    ),
    path(
        "submissions/<int:pk>/confirm/",
        views_workflow.submission_confirm,
        name="staff-submission-confirm",
    ),
    path(
        "submissions/<int:pk>/reject/",
        views_workflow.submission_reject,
        name="staff-submission-reject",
    ),
    path(
        "submissions/<int:pk>/withdraw/",
        views_workflow.submission_withdraw,
        name="staff-submission-withdraw",
    ),
    path(
        "submissions/<int:pk>/commentary/",
        views_workflow.submission_commentary,
        name="staff-submission-commentary",
    ),
    path("metrics/<slug:slug>/commentary/", views_workflow.commentary_new, name="staff-commentary"),
    path("metrics/<slug:slug>/target/", views_workflow.target_new, name="staff-target"),
    path("local-data/", views_local_data.local_data_page, name="staff-local-data"),
    path(
        "local-data/template.<str:kind>",
        views_local_data.template_download,
        name="staff-local-data-template",
    ),
    path("local-data/upload/", views_local_data.upload, name="staff-local-data-upload"),
    path("local-data/single/", views_local_data.single_value, name="staff-local-data-single"),
]
