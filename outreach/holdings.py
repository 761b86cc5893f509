"""The holdings file from the sales system: which customer bought which product, when, at what NAV,
and which wealth manager looks after it. Post-sale monitoring (``outreach.wealth``) watches these.

``customer,product,units,purchase_nav,purchased_on,wealth_manager[,sold_on]`` — the customer by
customer number, the product by code, the wealth manager by employee number (the holding belongs to
that manager's branch). A holding is identified by customer, product and purchase date, so the daily
file can be imported again: a known holding is updated (units, NAV, manager, sold date), not doubled.
All or nothing: any bad line imports nothing and every bad line is listed with its number.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.access import staff_branches
from branches.models import Branch, StaffProfile
from branches.roles import Role
from compliance.audit import audit_record
from customers.models import Customer
from outreach.models import Holding, WealthProduct

HEADER = "customer"


@dataclass(frozen=True)
class HoldingRow:
    line: int
    customer: Customer
    product: WealthProduct
    units: Decimal
    purchase_nav: Decimal
    purchased_on: dt.date
    manager: StaffProfile
    sold_on: dt.date | None


@dataclass(frozen=True)
class HoldingsResult:
    created: int
    updated: int


class _Lookups:
    """Everything a line refers to, loaded once per file (no query per line)."""

    def __init__(self, lines: list[list[str]], branches) -> None:
        customers = {f[0].strip() for f in lines if f}
        managers = {f[5].strip() for f in lines if len(f) > 5}
        self.customers = {c.customer_no: c for c in Customer.objects.filter(customer_no__in=customers)}
        self.products = {p.code: p for p in WealthProduct.objects.all()}
        self.managers = {
            s.employee_no: s
            for s in StaffProfile.objects.select_related("user").filter(
                employee_no__in=managers, role=Role.WEALTH_MANAGER, user__is_active=True
            )
        }
        self.branch_ids = set(branches.values_list("pk", flat=True))


def parse_holdings_file(text: str, *, actor) -> tuple[list[HoldingRow], list[str]]:
    branches = staff_branches(actor) if actor is not None else Branch.objects.all()
    numbered = [
        (number, fields)
        for number, fields in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1)
        if fields and "".join(fields).strip() and not (number == 1 and fields[0].strip().lower() == HEADER)
    ]
    lookups = _Lookups([fields for _number, fields in numbered], branches)
    rows: list[HoldingRow] = []
    errors: list[str] = []
    seen: set[tuple[str, str, dt.date]] = set()
    for number, fields in numbered:
        problem, row = _parse_line(number, fields, lookups)
        if (
            row is not None
            and (key := (row.customer.customer_no, row.product.code, row.purchased_on)) in seen
        ):
            problem, row = _("this holding is listed twice"), None
        if problem:
            errors.append(_("Line %(line)d: %(problem)s") % {"line": number, "problem": problem})
        elif row is not None:
            seen.add(key)
            rows.append(row)
    if not rows and not errors:
        errors.append(_("The file has no holding lines."))
    return rows, errors


def _parse_line(number: int, fields: list[str], lookups: _Lookups) -> tuple[str, HoldingRow | None]:
    if len(fields) not in (6, 7):
        return _("expected customer,product,units,purchase_nav,purchased_on,wealth_manager[,sold_on]"), None
    values = [f.strip() for f in fields] + [""] * (7 - len(fields))
    customer_no, code, raw_units, raw_nav, raw_bought, employee_no, raw_sold = values
    customer = lookups.customers.get(customer_no)
    if customer is None:
        return _("unknown customer %(number)s") % {"number": customer_no}, None
    product = lookups.products.get(code)
    if product is None:
        return _("unknown product %(code)s") % {"code": code}, None
    units, nav = _positive(raw_units), _positive(raw_nav)
    if units is None:
        return _("the units must be a positive number"), None
    if nav is None:
        return _("the NAV must be a positive number"), None
    bought, sold = _date(raw_bought), _date(raw_sold) if raw_sold else None
    if bought is None or (raw_sold and sold is None):
        return _("the date must be YYYY-MM-DD"), None
    if sold is not None and sold < bought:
        return _("the product cannot be sold before it was bought"), None
    manager = lookups.managers.get(employee_no)
    if manager is None or manager.branch_id not in lookups.branch_ids:
        return _("%(number)s is not a wealth manager of your branches") % {"number": employee_no}, None
    return "", HoldingRow(number, customer, product, units, nav, bought, manager, sold)


def _positive(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def holdings_import(*, actor, text: str) -> HoldingsResult:
    """Import a holdings file, all or nothing; audited with the file's SHA-256."""
    rows, errors = parse_holdings_file(text, actor=actor)
    if errors:
        raise ValidationError({"file": errors})
    created = 0
    with transaction.atomic():
        for row in rows:
            _holding, is_new = Holding.objects.update_or_create(
                customer=row.customer,
                product=row.product,
                purchased_on=row.purchased_on,
                defaults={
                    "branch_id": row.manager.branch_id,
                    "wealth_manager": row.manager.user,
                    "units": row.units,
                    "purchase_nav": row.purchase_nav,
                    "closed_on": row.sold_on,
                },
            )
            created += is_new
        audit_record(
            actor=actor,
            action="wealth.holdings_import",
            obj=None,
            after={
                "lines": len(rows),
                "created": created,
                "updated": len(rows) - created,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )
    return HoldingsResult(created=created, updated=len(rows) - created)
