"""Two-factor sign-in (TOTP) for the roles that can change rules, devices and the network.

After the password, staff in OTP_REQUIRED_ROLES verify a time-based code from an authenticator
app; the first time, they enrol one by scanning a QR code. Until verified they reach only the
sign-in pages; API calls get 403.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from branches.access import user_role
from compliance.audit import audit_record

_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/readyz", "/device/")


def needs_second_factor(user) -> bool:
    if not user.is_authenticated or user.is_verified():
        return False
    return str(user_role(user)) in settings.OTP_REQUIRED_ROLES


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and needs_second_factor(user) and not request.path.startswith(
                _OPEN_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(_("Two-factor verification required."))},
                                    status=403)
            return redirect(f"{reverse('two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.RegexField(label=_("Six-digit code from your authenticator app"),
                            regex=r"^\d{6}$", max_length=6,
                            error_messages={"invalid": _("Enter the six digits the app shows.")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                          "autocomplete": "one-time-code"}))


def totp_enrolment_begin(*, user) -> TOTPDevice:
    """The staff member's unconfirmed authenticator, created (and audited) on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is not None:
        return device
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        audit_record(actor=user, action="totp.enrolment_started", obj=device,
                     summary=f"authenticator enrolment started for {user.get_username()}")
    return device


def totp_enrolment_confirm(*, user, device: TOTPDevice) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action="totp.enrolled", obj=device,
                     summary=f"authenticator confirmed for {user.get_username()}")


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("staff-home")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("staff-home")


@login_required
def two_factor(request):
    """Verify a code; staff without a confirmed authenticator enrol one here first."""
    user = request.user
    devices = list(devices_for_user(user, confirmed=True))
    enrolling = not devices
    if enrolling:
        devices = [totp_enrolment_begin(user=user)]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["code"]):
                if enrolling:
                    totp_enrolment_confirm(user=user, device=device)
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("code", _("That code is not right or has expired. Try the current one."))
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context["qr_svg"] = segno.make(devices[0].config_url, error="m").svg_inline(scale=4)
        context["secret"] = devices[0].config_url.split("secret=")[1].split("&")[0]
    return render(request, "registration/two_factor.html", context)
