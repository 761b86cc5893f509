"""Post-sale monitoring of wealth products: the daily NAV file, falls past the threshold, the
wealth manager's task and the customer's notice — once per crossing.

A holding is *armed* until its NAV falls more than ``nav_fall_percent`` below the purchase NAV.
The fall disarms it with a conditional UPDATE (``alert_armed = true`` → ``false``), so of two
imports racing over the same day exactly one raises the alert; the unique (holding, day) backs it.
A recovery to within the threshold arms it again, so a later fall is a new crossing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.audit import audit_record
from core.notifications import notify
from outreach import sla
from outreach.models import DropAlert, Holding, NavPrice, WealthProduct
from outreach.policy import policy
from servicedesk.models import Category, SLAPolicy
from servicedesk.services import work_order_create


@dataclass(frozen=True)
class NavRow:
    line: int
    product: WealthProduct
    day: dt.date
    nav: Decimal


@dataclass(frozen=True)
class ImportResult:
    imported: int
    alerts: list[DropAlert]


def parse_nav_file(text: str) -> tuple[list[NavRow], list[str]]:
    """``product,date,nav`` lines (a header is allowed); every problem with its line number."""
    products = {p.code: p for p in WealthProduct.objects.all()}
    rows: list[NavRow] = []
    errors: list[str] = []
    seen: set[tuple[str, dt.date]] = set()
    for number, fields in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        if not fields or not "".join(fields).strip():
            continue
        if number == 1 and fields[0].strip().lower() == "product":
            continue
        problem, row = _parse_line(number, fields, products, seen)
        if problem:
            errors.append(
                str(gettext_lazy("Line %(line)d: %(problem)s") % {"line": number, "problem": problem})
            )
        elif row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(str(gettext_lazy("The file has no NAV lines.")))
    return rows, errors


def _parse_line(number, fields, products, seen) -> tuple[str, NavRow | None]:
    if len(fields) != 3:
        return str(gettext_lazy("expected product,date,nav")), None
    code, raw_day, raw_nav = (f.strip() for f in fields)
    product = products.get(code)
    if product is None:
        return str(gettext_lazy("unknown product %(code)s") % {"code": code}), None
    try:
        day = dt.date.fromisoformat(raw_day)
    except ValueError:
        return str(gettext_lazy("the date must be YYYY-MM-DD")), None
    try:
        nav = Decimal(raw_nav)
    except InvalidOperation:
        nav = Decimal(0)
    if not nav.is_finite() or nav <= 0:
        return str(gettext_lazy("the NAV must be a positive number")), None
    if (code, day) in seen:
        return str(gettext_lazy("%(code)s on %(day)s is listed twice") % {"code": code, "day": raw_day}), None
    seen.add((code, day))
    return "", NavRow(number, product, day, nav)


def nav_import(*, actor, text: str) -> ImportResult:
    """Import a daily NAV file, all or nothing, then check every holding of its products."""
    rows, errors = parse_nav_file(text)
    if errors:
        raise ValidationError({"file": errors})
    with transaction.atomic():
        for row in rows:
            NavPrice.objects.update_or_create(product=row.product, day=row.day, defaults={"nav": row.nav})
        audit_record(
            actor=actor,
            action="wealth.nav_import",
            obj=None,
            after={
                "lines": len(rows),
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "days": sorted({r.day.isoformat() for r in rows}),
            },
        )
    alerts: list[DropAlert] = []
    for row in sorted(rows, key=lambda r: (r.product.code, r.day)):
        for holding_id in Holding.objects.filter(
            product=row.product, closed_on__isnull=True, purchased_on__lte=row.day
        ).values_list("pk", flat=True):
            alert = holding_check(actor=actor, holding_id=holding_id, day=row.day, nav=row.nav)
            if alert is not None:
                alerts.append(alert)
    return ImportResult(imported=len(rows), alerts=alerts)


def fall_percent(purchase_nav: Decimal, nav: Decimal) -> Decimal:
    return ((purchase_nav - nav) / purchase_nav * 100).quantize(Decimal("0.01"))


def holding_check(*, actor, holding_id: int, day: dt.date, nav: Decimal) -> DropAlert | None:
    """Raise the alert if this NAV crosses the threshold for the first time since it was armed."""
    holding = Holding.objects.select_related("customer", "product", "branch", "wealth_manager").get(
        pk=holding_id
    )
    fall = fall_percent(holding.purchase_nav, nav)
    threshold = Decimal(str(policy().nav_fall_percent))
    if fall <= threshold:
        if Holding.objects.filter(pk=holding.pk, alert_armed=False).update(alert_armed=True):
            audit_record(
                actor=actor,
                action="wealth.alert_rearm",
                obj=holding,
                customer=holding.customer,
                after={"day": day.isoformat(), "fall_percent": str(fall)},
            )
        return None
    with transaction.atomic():
        if not Holding.objects.filter(pk=holding.pk, alert_armed=True).update(alert_armed=False):
            return None  # already alerted for this crossing
        suitable, note = suitability_recheck(holding, day)
        alert = DropAlert.objects.create(
            holding=holding,
            day=day,
            nav=nav,
            fall_percent=fall,
            still_suitable=suitable,
            suitability_note=note,
        )
        alert.work_order = _task_for_manager(actor=actor, holding=holding, alert=alert)
        alert.save(update_fields=["work_order"])
        audit_record(
            actor=actor,
            action="wealth.fall_alert",
            obj=alert,
            branch=holding.branch,
            customer=holding.customer,
            after={
                "product": holding.product.code,
                "day": day.isoformat(),
                "nav": str(nav),
                "fall_percent": str(fall),
                "still_suitable": suitable,
            },
        )
        transaction.on_commit(lambda: _tell_customer(alert.pk))
    return alert


def suitability_recheck(holding: Holding, day: dt.date) -> tuple[bool, str]:
    """Is the product still within the customer's valid risk tolerance (C-level ≥ R-level)?"""
    assessment = holding.customer.current_risk_assessment()
    product_level = _level(holding.product.risk_level)
    if assessment is None or not assessment.is_valid_on(day):
        return False, str(gettext_lazy("No valid risk assessment: reassess the customer."))
    customer_level = _level(assessment.level)
    if product_level is None or customer_level is None or customer_level < product_level:
        return False, str(
            gettext_lazy("Risk tolerance %(c)s is below the product's %(r)s.")
            % {"c": assessment.level, "r": holding.product.risk_level}
        )
    return True, str(
        gettext_lazy("Risk tolerance %(c)s covers the product's %(r)s.")
        % {"c": assessment.level, "r": holding.product.risk_level}
    )


def _level(value: str) -> int | None:
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return int(digits) if digits else None


def _task_for_manager(*, actor, holding: Holding, alert: DropAlert):
    sla.install(Category, SLAPolicy, working_days=policy().sla_working_days)
    return work_order_create(
        actor=actor,
        kind="follow_up",
        category=Category.objects.get(code=sla.WEALTH_CATEGORY_CODE),
        channel="staff",
        branch=holding.branch,
        customer=holding.customer,
        assignee=holding.wealth_manager,
        title=str(
            gettext_lazy("%(product)s fell %(fall)s%% below the purchase value")
            % {"product": holding.product.name, "fall": alert.fall_percent}
        ),
        description=str(
            gettext_lazy(
                "Call the customer about %(product)s (NAV %(nav)s on %(day)s, bought at "
                "%(bought)s). Suitability: %(note)s"
            )
            % {
                "product": holding.product.name,
                "nav": alert.nav,
                "day": alert.day.isoformat(),
                "bought": holding.purchase_nav,
                "note": alert.suitability_note,
            }
        ),
    )


def _tell_customer(alert_id: int) -> None:
    """After commit: the customer's notice through the notification backends, sent once."""
    with transaction.atomic():
        alert = (
            DropAlert.objects.select_for_update(of=("self",))
            .select_related("holding__customer", "holding__product")
            .filter(pk=alert_id, notified_at__isnull=True)
            .first()
        )
        if alert is None:
            return
        customer = alert.holding.customer
        with translation.override(customer.preferred_language or settings.LANGUAGE_CODE):
            body = _(
                "%(product)s is %(fall)s%% below what you paid (NAV %(nav)s on %(day)s). Your wealth "
                "manager will call you; you can also visit the branch."
            ) % {
                "product": alert.holding.product.name,
                "fall": alert.fall_percent,
                "nav": alert.nav,
                "day": formats.date_format(alert.day, "SHORT_DATE_FORMAT"),
            }
        notify(channel="sms", to=customer.phone, subject="", body=body)
        alert.notified_at = timezone.now()
        alert.save(update_fields=["notified_at"])
        audit_record(
            actor=None,
            action="wealth.customer_notice",
            obj=alert,
            customer=customer,
            after={"channel": "sms"},
        )
