"""Customer sign-in with a phone number and a one-time code: no passwords for customers.

``signin_code_send`` stores only a keyed digest of the phone and a hash of the code, sends the code
through ``core.notifications.notify`` and refuses when the phone or the IP address asked too
often in the last hour. ``signin_code_verify`` checks the code (a few attempts per code), creates
the customer's ``User`` on first sign-in (in the ``customer`` group) and returns it; the view logs
it in. The answer to "send" is the same whether or not the phone belongs to a customer, so the page
cannot be used to find out who banks here.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from appointments.models import SignInCode
from appointments.policy import policy
from branches.roles import Role
from compliance.audit import audit_record
from compliance.crypto import blind_index, blind_indexes
from core.notifications import notify
from customers.models import Customer
from customers.validators import normalize_cn_mobile, validate_cn_mobile

CODE_DIGITS = 6


class SignInError(Exception):
    def __init__(self, message, *, field: str = "code", rate_limited: bool = False):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.rate_limited = rate_limited


def validate_phone(phone: str) -> None:
    try:
        validate_cn_mobile(phone)
    except ValidationError as error:
        raise SignInError(error.messages[0], field="phone") from None


def _phone_digest(phone: str) -> str:
    return blind_index(phone, purpose="signin-phone")


def _phone_digests(phone: str) -> list[str]:
    # Codes live minutes; one asked for just before a key rotation must still match.
    return blind_indexes(phone, purpose="signin-phone")


def _code_hash(code: str, *, salt: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def _minutes_until_free(codes, now) -> int:
    """How long until the oldest code of the last hour stops counting against the limit."""
    oldest = codes.order_by("created_at").values_list("created_at", flat=True).first()
    return max(1, math.ceil((oldest + timedelta(hours=1) - now).total_seconds() / 60))


def signin_code_send(*, phone: str, ip: str | None) -> None:
    """Send a fresh code to ``phone`` unless it or ``ip`` hit the hourly limit."""
    validate_phone(phone)
    phone = normalize_cn_mobile(phone)
    rules = policy()
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    digest = _phone_digest(phone)
    with transaction.atomic():
        by_phone = SignInCode.objects.filter(phone_digest__in=_phone_digests(phone),
                                             created_at__gte=hour_ago)
        if by_phone.count() >= rules.otp_per_phone_per_hour:
            minutes = _minutes_until_free(by_phone, now)
            raise SignInError(
                ngettext("Too many codes requested for this phone number. Try again in %(minutes)d minute.",
                         "Too many codes requested for this phone number. Try again in %(minutes)d minutes.",
                         minutes) % {"minutes": minutes},
                field="phone",
                rate_limited=True,
            )
        by_network = SignInCode.objects.filter(ip=ip, created_at__gte=hour_ago) if ip else None
        if by_network is not None and by_network.count() >= rules.otp_per_ip_per_hour:
            minutes = _minutes_until_free(by_network, now)
            raise SignInError(
                ngettext("Too many codes requested from this network. Try again in %(minutes)d minute.",
                         "Too many codes requested from this network. Try again in %(minutes)d minutes.",
                         minutes) % {"minutes": minutes},
                field="phone",
                rate_limited=True,
            )
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        row = SignInCode.objects.create(
            phone_digest=digest,
            code_hash="",
            ip=ip,
            created_at=now,
            expires_at=now + timedelta(minutes=rules.otp_ttl_minutes),
        )
        row.code_hash = _code_hash(code, salt=str(row.pk))
        row.save(update_fields=["code_hash"])
        body = str(
            _("Your sign-in code is %(code)s. It is valid for %(minutes)d minutes. Never share it.")
        ) % {
            "code": code,
            "minutes": rules.otp_ttl_minutes,
        }
        # Sent directly after commit rather than through a Celery task, so the code never sits in
        # the broker (C3 data).
        transaction.on_commit(lambda: notify(channel="sms", to=phone, subject="", body=body))


def signin_code_verify(*, phone: str, code: str):
    """The signed-in customer's User, created on first sign-in; raises ``SignInError`` otherwise.

    A wrong code counts against the code's attempts (committed even though the caller gets an
    error), so a code cannot be guessed by trying all million values.
    """
    phone = normalize_cn_mobile(phone)
    now = timezone.now()
    user = None
    row_used = False
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(phone_digest__in=_phone_digests(phone), used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            raise SignInError(_("The code is wrong or has expired. Ask for a new code."))
        matches = hmac.compare_digest(row.code_hash, _code_hash(code.strip(), salt=str(row.pk)))
        if row.attempts >= policy().otp_max_attempts or not matches:
            row.attempts += 1
            row.save(update_fields=["attempts"])
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            row_used = True
            user = _signed_in_user(phone)
    if row_used and user is None:
        # Only someone holding the phone learns this, so it tells no stranger who banks here.
        raise SignInError(
            _("This phone number is not registered with the bank. Please register at a branch."),
            field="phone",
        )
    if user is None:
        raise SignInError(_("The code is wrong or has expired. Ask for a new code."))
    return user


def _signed_in_user(phone: str):
    customer = Customer.objects.by_phone(phone).first()
    if customer is None:
        return None
    user = customer.user
    if user is None:
        user = get_user_model().objects.create_user(username=f"customer-{customer.pk}", password=None)
        user.groups.add(Group.objects.get_or_create(name=Role.CUSTOMER)[0])
        customer.user = user
        customer.save(update_fields=["user"])
    audit_record(actor=user, action="customer.sign_in", obj=customer, customer=customer, summary="otp")
    return user
