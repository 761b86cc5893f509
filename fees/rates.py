"""The rates a branch shows its customers (deposit, loan and exchange rates on the lobby screen's
ticker). Head office publishes rates for every branch; a branch admin publishes the branch's own,
which replace head office's of the same code there. Each is in effect from the start of its date
in the branch's local time; a change is a new row, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import staff_branches, user_role
from branches.roles import Role
from compliance.audit import audit_record
from fees.models import PublishedRate, RateKind

FIELDS = ("kind", "code", "name_zh_hans", "name_en", "rate", "selling", "effective_from")


def local_today(branch) -> dt.date:
    """Today in the branch's time zone (head office's rates: the server's)."""
    return branch.local_now().date() if branch is not None else timezone.localdate()


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value


def _check_numbers(kind, rate: Decimal | None, selling: Decimal | None) -> dict[str, list]:
    errors: dict[str, list] = {}
    if kind == RateKind.EXCHANGE:
        if rate is None or rate <= 0:
            errors["rate"] = [_("Enter the buying rate in yuan per 100 units, above zero.")]
        if selling is None or (rate is not None and selling < rate):
            errors["selling"] = [_("Enter the selling rate; it is not below the buying rate.")]
    elif kind in RateKind.values:
        if rate is None or not Decimal("0") < rate <= Decimal("100"):
            errors["rate"] = [_("Enter a rate above 0 and at most 100 per cent a year.")]
        if selling is not None:
            errors["selling"] = [_("Only an exchange rate has a selling rate.")]
    else:
        errors["kind"] = [_("Choose a deposit, loan or exchange rate.")]
    return errors


def check_rate(branch, values: dict, *, exclude: int | None = None) -> None:
    """Refuse a rate that could not be published, with field messages."""
    errors = _check_numbers(values.get("kind"), _decimal(values.get("rate")), _decimal(values.get("selling")))
    if not (values.get("code") or "").strip():
        errors["code"] = [_("Give the rate a code.")]
    if not (values.get("name_zh_hans") or "").strip() or not (values.get("name_en") or "").strip():
        errors["name_zh_hans"] = [_("Name the rate in Chinese and in English.")]
    effective = _date(values.get("effective_from"))
    if effective is None or effective < local_today(branch):
        errors["effective_from"] = [_("A rate takes effect today or later, never in the past.")]
    elif _same_day_version(branch, values.get("code"), effective, exclude=exclude):
        errors["effective_from"] = [_("This rate already has a version taking effect on that day.")]
    if errors:
        raise ValidationError(errors)


def _same_day_version(branch, code, effective: dt.date, *, exclude: int | None) -> bool:
    versions = PublishedRate.objects.filter(branch=branch, code=code, effective_from=effective)
    if exclude is not None:
        versions = versions.exclude(pk=exclude)
    return versions.exists()


def may_publish(actor, branch) -> bool:
    """Head office publishes for every branch or any one; a branch admin for their own branch."""
    role = user_role(actor)
    if role == Role.HEAD_OFFICE_ADMIN:
        return True
    return (role == Role.BRANCH_ADMIN and branch is not None
            and staff_branches(actor).filter(pk=branch.pk).exists())


def rate_publish(*, actor, branch, values: dict, seeding: bool = False) -> PublishedRate:
    """Publish a rate (`branch` None: head office's for every branch); audited `fees.rate.publish`."""
    if not seeding and not may_publish(actor, branch):
        raise PermissionDenied(_("Only head office or this branch's admin may publish its rates."))
    if not seeding:
        check_rate(branch, values)
    kind = values["kind"]
    rate_value, effective = _decimal(values["rate"]), _date(values["effective_from"])
    if rate_value is None or effective is None:  # seeding skips the checks, never the data
        raise ValidationError({"rate": [_("Give the rate and the day it takes effect.")]})
    with transaction.atomic():
        rate = PublishedRate.objects.create(
            branch=branch, kind=kind, code=values["code"].strip(),
            name_zh_hans=values["name_zh_hans"].strip(), name_en=values["name_en"].strip(),
            rate=rate_value,
            selling=_decimal(values.get("selling")) if kind == RateKind.EXCHANGE else None,
            effective_from=effective, published_by=actor)
        audit_record(actor=actor, action="fees.rate.publish", obj=rate, branch=branch,
                     after={"branch": branch.code if branch else None, **{
                         field: str(value) if value is not None else None
                         for field, value in rate.values().items()}})
    return rate


def rates_in_effect(branch, on: dt.date | None = None) -> list[PublishedRate]:
    """The rates shown at `branch` on its local date `on` (today): per code the branch's own latest
    version in effect, else head office's; deposit, loan, then exchange rates."""
    from django.db.models import Q

    on = on or local_today(branch)
    chosen: dict[str, PublishedRate] = {}
    rows = (PublishedRate.objects.filter(Q(branch=branch) | Q(branch__isnull=True), effective_from__lte=on)
            .order_by("effective_from", "pk"))
    for row in rows:
        current = chosen.get(row.code)
        if current is None or row.branch_id is not None or current.branch_id is None:
            chosen[row.code] = row  # a later row replaces; head office's never replaces the branch's
    order = {kind: index for index, kind in enumerate(RateKind.values)}
    return sorted(chosen.values(), key=lambda rate: (order[rate.kind], rate.code))


def upcoming_rates(branch) -> list[PublishedRate]:
    """Versions published for `branch` (or network-wide) that take effect after its today."""
    from django.db.models import Q

    return list(PublishedRate.objects.filter(Q(branch=branch) | Q(branch__isnull=True),
                                             effective_from__gt=local_today(branch))
                .select_related("branch").order_by("effective_from", "code"))
