"""One mechanism that guards every staff URL and action on the server.

``@staff_view("staff.<permission>")`` on a view: anonymous visitors are sent to sign in; users
who must pass TOTP and have not are sent to the two-factor page; users without the permission
get the 403 page. ``@staff_public`` marks the few staff URLs anyone may open (sign in, password
reset). A test walks every URL under /staff/ and fails for a view carrying neither mark.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from .roles import needs_second_factor, roles_of

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# The attribute the decorators set; None means "open to anyone" (explicitly).
PERMISSION_ATTRIBUTE = "staff_permission"


def forbidden(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The GOV.UK-style 403 page."""
    context = {"reason": reason, "roles": roles_of(request.user)}
    return render(request, "staff/forbidden.html", context, status=403)


def second_factor_redirect(request: HttpRequest, next_url: str = "") -> HttpResponse:
    query = urlencode({"next": next_url or request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('staff-two-factor')}?{query}")


def access_denied(
    request: HttpRequest, permission: str, *, verified: bool = True
) -> HttpResponse | None:
    """The response refusing ``request`` for ``permission``, or None when it may go on."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("staff-sign-in"))
    if verified and needs_second_factor(user) and not is_verified(user):
        return second_factor_redirect(request)
    if not user.has_perm(permission):
        return forbidden(request)
    return None


def is_verified(user: Any) -> bool:
    """True when the user passed TOTP in this session (django-otp's OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def staff_view(permission: str, *, verified: bool = True) -> Callable[[View], View]:
    """Guard a view with ``permission`` (and TOTP for those who need it, unless
    ``verified=False``, used only by the two-factor pages themselves)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            refusal = access_denied(request, permission, verified=verified)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        setattr(guarded, PERMISSION_ATTRIBUTE, permission)
        return guarded  # type: ignore[return-value]

    return decorator


def staff_public(view: View) -> View:
    """Mark a staff URL that anyone may open (sign in, password reset)."""
    setattr(view, PERMISSION_ATTRIBUTE, None)
    return view
