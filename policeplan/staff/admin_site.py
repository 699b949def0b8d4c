"""Django's admin behind the staff sign-in: one sign-in page, one lockout, TOTP for admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .access import forbidden, is_verified, second_factor_redirect
from .roles import needs_second_factor


class StaffAdminSite(admin.AdminSite):
    site_header = "policeplan administration"
    site_title = "policeplan administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.has_perm("staff.use_admin_site")):
            return False
        return not needs_second_factor(user) or is_verified(user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The staff sign-in (same form, same django-axes lockout), then TOTP or a 403."""
        from .views_auth import safe_next, sign_in

        user = request.user
        if not user.is_authenticated:
            return sign_in(request)
        next_url = safe_next(request, reverse("admin:index", current_app=self.name))
        if needs_second_factor(user) and not is_verified(user):
            return second_factor_redirect(request, next_url)
        if self.has_permission(request):
            return redirect(next_url)
        return forbidden(request, "The admin site is for staff with the admin role.")

    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponse:
        from .views_auth import sign_out

        return sign_out(request)
