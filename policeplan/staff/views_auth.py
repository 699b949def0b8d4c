"""Signing in and out, password reset and the one-time set-password link."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .access import staff_public
from .forms import SignInForm, StaffPasswordResetForm, StaffSetPasswordForm


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The ``next`` parameter when it stays on this site, else the staff start page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("staff-home")


@staff_public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Username and password. Every failure reads the same; django-axes locks out repeats."""
    next_url = safe_next(request)
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect(next_url)
    return render(request, "staff/sign_in.html", {"form": form, "next": next_url})


@staff_public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("staff-signed-out")


@staff_public
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/signed_out.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a plain-English 403 instead of Django's technical page."""
    return render(request, "staff/csrf_failure.html", status=403)


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "if an account exists, we sent a link": no user enumeration."""

    form_class = StaffPasswordResetForm
    template_name = "staff/password_reset.html"
    email_template_name = "staff/email/password_reset.txt"
    subject_template_name = "staff/email/password_reset_subject.txt"
    success_url = reverse_lazy("staff-password-reset-sent")

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        # Read at request time, never frozen at import.
        return {
            "base_url": settings.POLICEPLAN_BASE_URL,
            "site_name": settings.POLICEPLAN_SITE_NAME,
        }


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "staff/password_reset_sent.html"


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link from ``add_staff`` or a reset email; used once, it no longer works."""

    form_class = StaffSetPasswordForm
    template_name = "staff/set_password.html"
    success_url = reverse_lazy("staff-password-set")
    post_reset_login = False


class PasswordSetView(auth_views.PasswordResetCompleteView):
    template_name = "staff/password_set.html"


password_reset = staff_public(
    sensitive_post_parameters()(PasswordResetView.as_view())  # type: ignore[arg-type]
)
password_reset_sent = staff_public(PasswordResetSentView.as_view())
set_password = staff_public(SetPasswordView.as_view())
password_set = staff_public(PasswordSetView.as_view())
