from django.urls import path

from . import views_staff

urlpatterns = [
    path("", views_staff.registers_page, name="staff-registers"),
    path(
        "<slug:kind>/template.<str:ext>",
        views_staff.template_download,
        name="staff-register-template",
    ),
    path("<slug:kind>/upload/", views_staff.upload, name="staff-register-upload"),
]
