"""Writes and reads of the fee catalogue. A price is never changed in place: head office asks for
a new version (maker), a compliance officer approves it (checker, compliance's maker-checker),
and it is published to take effect on its date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.access import user_role
from branches.roles import Role
from compliance.audit import audit_record
from compliance.makerchecker import change_request_create
from compliance.models import ChangeKind, ChangeRequest
from fees.models import FeeItem, FeeVersion, Group, Method

FIELDS = ("method", "price", "rate", "minimum", "maximum", "legal_basis", "waivers", "effective_from")


def today() -> dt.date:
    return timezone.localdate()


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def version_values(version: FeeVersion | None) -> dict:
    """A version as JSON-safe values (the maker-checker's before/after)."""
    if version is None:
        return {field: None for field in FIELDS}
    return {"method": version.method, "price": _text(version.price), "rate": _text(version.rate),
            "minimum": _text(version.minimum), "maximum": _text(version.maximum),
            "legal_basis": version.legal_basis, "waivers": sorted(version.waivers),
            "effective_from": version.effective_from.isoformat()}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def check_values(item: FeeItem, values: dict, *, seeding: bool = False) -> None:
    """Refuse a version that could not be published, with field messages. Only seeding an empty
    catalogue (the demo, a first import) may publish a version that took effect in the past."""
    errors: dict[str, list] = {}
    method = values.get("method")
    price, rate = _decimal(values.get("price")), _decimal(values.get("rate"))
    minimum, maximum = _decimal(values.get("minimum")), _decimal(values.get("maximum"))
    if method == Method.FIXED:
        if price is None or price < 0:
            errors["price"] = [_("Enter a price of zero or more.")]
        if rate is not None or minimum is not None or maximum is not None:
            errors["rate"] = [_("A fixed price has no rate, minimum or maximum.")]
    elif method == Method.RATE:
        if rate is None or not Decimal("0") < rate <= Decimal("100"):
            errors["rate"] = [_("Enter a rate above 0 and at most 100 per cent.")]
        if price is not None:
            errors["price"] = [_("A percentage has no fixed price.")]
        if minimum is not None and maximum is not None and minimum > maximum:
            errors["maximum"] = [_("The maximum must not be below the minimum.")]
    else:
        errors["method"] = [_("Choose a fixed price or a percentage.")]
    if not (values.get("legal_basis") or "").strip():
        errors["legal_basis"] = [_("Name the document that allows this fee.")]
    if set(values.get("waivers") or []) - set(Group.values):
        errors["waivers"] = [_("Choose groups from the list.")]
    effective = values.get("effective_from")
    effective = dt.date.fromisoformat(effective) if isinstance(effective, str) else effective
    if effective is None or (effective < today() and not seeding):
        errors["effective_from"] = [_("A fee change takes effect today or later, never in the past.")]
    elif FeeVersion.objects.filter(item=item, effective_from=effective).exists():
        errors["effective_from"] = [_("A version of this fee already takes effect on that day.")]
    if errors:
        raise ValidationError(errors)


def fee_change_request(*, maker, item: FeeItem, values: dict, reason: str = "") -> ChangeRequest:
    """Head office asks for a new version of a fee; it is published when a compliance officer
    approves it (compliance approvals)."""
    after = {field: values.get(field) for field in FIELDS}
    after = {**after, "price": _text(_decimal(after["price"])), "rate": _text(_decimal(after["rate"])),
             "minimum": _text(_decimal(after["minimum"])), "maximum": _text(_decimal(after["maximum"])),
             "waivers": sorted(after["waivers"] or []),
             "effective_from": after["effective_from"].isoformat()
             if isinstance(after["effective_from"], dt.date) else after["effective_from"]}
    return change_request_create(maker=maker, kind=ChangeKind.FEE_CHANGE, after=after, target=item,
                                 reason=reason)


def fee_version_publish(*, actor, item: FeeItem, values: dict, change_request_id: int | None = None,
                        seeding: bool = False) -> FeeVersion:
    """The checker's approval applies here (inside its transaction); the demo seeds through it."""
    if actor is not None and user_role(actor) != Role.COMPLIANCE_OFFICER:
        # Branch admins may check their branch's customer changes; published fees are network-wide.
        raise PermissionDenied(_("Only a compliance officer may approve a fee change."))
    check_values(item, values, seeding=seeding and not item.versions.exists())
    with transaction.atomic():
        version = FeeVersion.objects.create(
            item=item, method=values["method"], price=_decimal(values.get("price")),
            rate=_decimal(values.get("rate")), minimum=_decimal(values.get("minimum")),
            maximum=_decimal(values.get("maximum")), legal_basis=values["legal_basis"].strip(),
            waivers=sorted(values.get("waivers") or []),
            effective_from=dt.date.fromisoformat(str(values["effective_from"])),
            published_at=timezone.now(), approved_by=actor, change_request_id=change_request_id)
        audit_record(actor=actor, action="fees.version.publish", obj=version,
                     after={"item": item.code, **version_values(version)})
    return version


def version_in_effect(item: FeeItem, on: dt.date | None = None) -> FeeVersion | None:
    return item.versions.filter(effective_from__lte=on or today()).order_by("-effective_from").first()


def catalogue(on: dt.date | None = None) -> list[tuple[FeeItem, FeeVersion, FeeVersion | None]]:
    """Each item with the version in effect on `on` and the next one already published, if any."""
    on = on or today()
    versions: dict[int, list[FeeVersion]] = {}
    for version in FeeVersion.objects.select_related("item").order_by("effective_from"):
        versions.setdefault(version.item_id, []).append(version)
    rows = []
    for item in FeeItem.objects.order_by("category", "sort", "code"):
        current = [v for v in versions.get(item.pk, []) if v.effective_from <= on]
        upcoming = [v for v in versions.get(item.pk, []) if v.effective_from > on]
        if current:
            rows.append((item, current[-1], upcoming[0] if upcoming else None))
    return rows
