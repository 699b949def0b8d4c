"""TOTP two-factor: enrol an authenticator app (QR code drawn on the server), then verify."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import is_verified, staff_view
from .forms import TokenForm
from .views_auth import safe_next

DEVICE_NAME = "Authenticator app"


def qr_code_svg(text: str) -> str:
    """``text`` as an inline SVG QR code (segno; no image request, no script)."""
    return str(
        segno.make(text, error="m").svg_inline(
            scale=4, title="QR code for your authenticator app", svgclass="app-qr", lineclass=None
        )
    )


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@staff_view("staff.use_staff_area", verified=False)
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify with the confirmed device, or enrol one when there is none yet."""
    user = request.user
    next_url = safe_next(request)
    if is_verified(user):
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    enrolling = device is None
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "Too many wrong codes. Wait a minute, then try again")
        elif device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save()
            otp_login(request, device)
            return redirect(next_url)
        else:
            form.add_error("token", "The security code is wrong or has expired. Try the new code")
    context = {"form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        uri = device.config_url
        context |= {
            "otpauth_uri": uri,
            "qr_svg": qr_code_svg(uri),
            "secret": _spaced(b32encode(device.bin_key).decode("ascii")),
        }
    return render(request, "staff/two_factor.html", context)
