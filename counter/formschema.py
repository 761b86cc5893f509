"""The business-form schema engine: what a field means, how a value is checked, how it is shown.

Pure Python (no ORM, no settings needed to validate): the services and views translate
`FieldError.message` with the active language. The format is described in docs/counter.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pii
from customers import validators

Mode = Literal["draft", "submit"]

FIELD_TYPES = (
    "text",
    "number",
    "money",
    "date",
    "choice",
    "phone",
    "resident_id",
    "card_number",
    "address",
    "document_photo",
)
# Minor units per ISO 4217 currency; amounts with more decimals are refused, never rounded.
CURRENCY_DECIMALS = {"CNY": 2, "HKD": 2, "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0}
CURRENCY_SYMBOLS = {"CNY": "¥", "HKD": "HK$", "USD": "US$", "EUR": "€", "GBP": "£", "JPY": "JP¥"}
DEFAULT_TEXT_MAX = 200
DEFAULT_ADDRESS_MAX = 300
DEFAULT_PHOTO_MAX_BYTES = 5 * 1024 * 1024
LANGUAGES = ("zh-hans", "en")

MESSAGES = {
    "required": _("This field is required."),
    "too_long": _("Enter at most %(max)s characters."),
    "not_a_number": _("Enter a number."),
    "not_an_integer": _("Enter a whole number."),
    "below_min": _("Enter a value of at least %(min)s."),
    "above_max": _("Enter a value of at most %(max)s."),
    "not_money": _("Enter an amount such as 1234.50."),
    "money_decimals": _("Enter an amount with at most %(decimals)s decimal places (%(currency)s)."),
    "money_not_positive": _("Enter an amount greater than zero."),
    "not_a_date": _("Enter a date as YYYY-MM-DD."),
    "date_before": _("Enter a date on or after %(min)s."),
    "date_after": _("Enter a date on or before %(max)s."),
    "bad_choice": _("Choose one of the offered options."),
    "not_an_upload": _("Upload a photo of the document."),
    "unknown_field": _("This field is not part of the form."),
    "bad_step": _("This step cannot be started now."),
    "bad_exception": _("Choose a known exception and action."),
    "already_finished": _("This service is already finished."),
    "compliance_block": _("A compliance control blocks finishing this service as done."),
    "signature_missing": _("The customer has not signed yet."),
    "no_ticket": _("No ticket is at this counter."),
    "no_form": _("This service has no pre-filled form."),
    "colleague_away": _("This colleague has no open counter."),
    "no_schema": _("This service has no form yet."),
    "fields_unchecked": _("%(count)s pre-filled fields are not yet confirmed or corrected: %(fields)s."),
    "override_done": _("Override recorded: the teller may now finish the service."),
    "identity_mismatch": _(
        "The name or ID number on the form is not the customer's at the counter: record them as an "
        "agent (代办) or correct the form."
    ),
    "agent_is_holder": _("This is the form holder's own ID number; enter the agent's."),
    "last_line": _("This is the visit's only open service: finish it as not done instead."),
    "override_asked": _(
        "%(ticket)s at %(counter)s: %(count)s pre-filled fields cannot be checked. Open the service "
        "record to override with a reason."
    ),
    "override_requested": _("%(count)s supervisors were asked to override; they open the service record."),
    "nothing_to_override": _("Every pre-filled field is already checked."),
    "already_submitted": _("This form has already been submitted and can no longer be changed here."),
}


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    params: dict = field(default_factory=dict)
    text: Any = None  # a more precise (lazy) message from a shared validator

    @property
    def message(self) -> str:
        if self.text is not None:
            return str(self.text)
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])


@dataclass
class Result:
    """`cleaned` holds canonical values of visible, valid, non-empty fields."""

    cleaned: dict[str, Any]
    errors: list[FieldError]

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_by_field(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for error in self.errors:
            out.setdefault(error.field, []).append(error.message)
        return out


class SchemaError(ValueError):
    """The schema itself is malformed (a programming or seeding error, not user input)."""


@dataclass(frozen=True)
class Field:
    spec: dict

    @property
    def name(self) -> str:
        return self.spec["name"]

    @property
    def type(self) -> str:
        return self.spec["type"]

    @property
    def required(self) -> bool:
        return bool(self.spec.get("required"))

    @property
    def pii(self) -> bool:
        return bool(self.spec.get("pii"))

    @property
    def currency(self) -> str:
        return self.spec.get("currency", "CNY")

    def label(self, lang: str) -> str:
        return localized(self.spec.get("label"), lang) or self.name

    def help(self, lang: str) -> str:
        return localized(self.spec.get("help"), lang)

    def choices(self, lang: str) -> list[tuple[str, str]]:
        return [
            (c["value"], localized(c.get("label"), lang) or c["value"]) for c in self.spec.get("choices", [])
        ]


def localized(texts: dict | str | None, lang: str) -> str:
    """Pick the text for a language, falling back to Simplified Chinese (the bank's first language)."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    lang = "zh-hans" if lang.lower().startswith("zh") else "en"
    return texts.get(lang) or texts.get("zh-hans") or texts.get("en") or ""


def parse(fields: list[dict]) -> list[Field]:
    """Check a schema's structure once (names unique, types known, conditions point backwards)."""
    seen: set[str] = set()
    parsed = []
    for spec in fields:
        name, ftype = spec.get("name"), spec.get("type")
        if not name or not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name in seen:
            raise SchemaError(f"bad or duplicate field name {name!r}")
        if ftype not in FIELD_TYPES:
            raise SchemaError(f"field {name}: unknown type {ftype!r}")
        if ftype == "choice" and not spec.get("choices"):
            raise SchemaError(f"field {name}: a choice field needs choices")
        if ftype == "money" and spec.get("currency", "CNY") not in CURRENCY_DECIMALS:
            raise SchemaError(f"field {name}: unknown currency {spec.get('currency')!r}")
        when = spec.get("when")
        if when and when.get("field") not in seen:
            raise SchemaError(f"field {name}: condition on unknown or later field {when.get('field')!r}")
        seen.add(name)
        parsed.append(Field(spec))
    return parsed


def is_visible(f: Field, values: dict) -> bool:
    when = f.spec.get("when")
    if not when:
        return True
    current = values.get(when["field"])
    if "in" in when:
        return current in when["in"]
    return current == when.get("equals")


def validate(fields: list[dict], values: dict, *, mode: Mode) -> Result:
    """Check values against a schema version.

    A draft checks the format of what is filled in; a submission also demands the required fields.
    Fields hidden by their condition are dropped, so a stale answer never reaches the teller.
    """
    parsed = parse(fields)
    known = {f.name for f in parsed}
    cleaned: dict[str, Any] = {}
    errors = [FieldError(name, "unknown_field") for name in values if name not in known]
    for f in parsed:
        if not is_visible(f, cleaned):
            continue
        raw = values.get(f.name)
        if is_empty(raw):
            if mode == "submit" and f.required:
                errors.append(FieldError(f.name, "required"))
            continue
        try:
            cleaned[f.name] = clean_value(f, raw)
        except FieldProblem as problem:
            errors.append(problem.error(f.name))
    return Result(cleaned=cleaned, errors=errors)


class FieldProblem(Exception):
    def __init__(self, code: str, *, text: Any = None, **params):
        super().__init__(code)
        self.code, self.params, self.text = code, params, text

    def error(self, field_name: str) -> FieldError:
        return FieldError(field_name, self.code, self.params, self.text)


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == {} or raw == []


def clean_value(f: Field, raw: Any) -> Any:
    """One field's canonical value (JSON-serializable), or FieldProblem."""
    return _CLEANERS[f.type](f, raw)


def _text(f: Field, raw: Any, default_max: int = DEFAULT_TEXT_MAX) -> str:
    value = " ".join(str(raw).split())
    limit = int(f.spec.get("max_length", default_max))
    if len(value) > limit:
        raise FieldProblem("too_long", max=limit)
    return value


def _address(f: Field, raw: Any) -> str:
    return _text(f, raw, DEFAULT_ADDRESS_MAX)


def _bounds(f: Field, number: Decimal) -> None:
    if "min" in f.spec and number < Decimal(str(f.spec["min"])):
        raise FieldProblem("below_min", min=f.spec["min"])
    if "max" in f.spec and number > Decimal(str(f.spec["max"])):
        raise FieldProblem("above_max", max=f.spec["max"])


def _number(f: Field, raw: Any) -> str:
    try:
        number = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise FieldProblem("not_a_number") from None
    if not number.is_finite() or abs(number.adjusted()) > 30:  # no form holds a number that large or fine
        raise FieldProblem("not_a_number")
    if f.spec.get("integer") and number != number.to_integral_value():
        raise FieldProblem("not_an_integer")
    _bounds(f, number)
    if number != number.to_integral_value():
        return str(number)
    return f"{number.normalize():f}"  # "90", not "9E+1"


_MONEY = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _money(f: Field, raw: Any) -> str:
    text = str(raw).strip().removeprefix(CURRENCY_SYMBOLS.get(f.currency, "")).strip()
    if not _MONEY.fullmatch(text):
        raise FieldProblem("not_money")
    amount = Decimal(text.replace(",", ""))
    decimals = CURRENCY_DECIMALS[f.currency]
    if -amount.as_tuple().exponent > decimals:
        raise FieldProblem("money_decimals", decimals=decimals, currency=f.currency)
    if amount <= 0 and not f.spec.get("allow_zero"):
        raise FieldProblem("money_not_positive")
    _bounds(f, amount)
    try:
        return str(amount.quantize(Decimal(1).scaleb(-decimals)))
    except InvalidOperation:  # more digits than any amount a bank form can hold
        raise FieldProblem("not_money") from None


def _date_bound(value: str) -> date:
    # "today" is the branch's date (Beijing), not the server's: the UTC date lags until 08:00.
    return timezone.localdate() if value == "today" else date.fromisoformat(value)


def _date(f: Field, raw: Any) -> str:
    try:
        value = date.fromisoformat(str(raw).strip())
    except ValueError:
        raise FieldProblem("not_a_date") from None
    if "min" in f.spec and value < _date_bound(f.spec["min"]):
        raise FieldProblem("date_before", min=_date_bound(f.spec["min"]).isoformat())
    if "max" in f.spec and value > _date_bound(f.spec["max"]):
        raise FieldProblem("date_after", max=_date_bound(f.spec["max"]).isoformat())
    return value.isoformat()


def _choice(f: Field, raw: Any) -> str:
    value = str(raw)
    if value not in {c["value"] for c in f.spec["choices"]}:
        raise FieldProblem("bad_choice")
    return value


def _digits(raw: Any) -> str:
    return re.sub(r"[\s-]", "", str(raw))


def _phone(f: Field, raw: Any) -> str:
    value = _digits(raw).removeprefix("+86")
    try:
        validators.validate_cn_mobile(value)
    except ValidationError as error:
        raise FieldProblem("bad_phone", text=error.message) from None
    return value


def _resident_id(f: Field, raw: Any) -> str:
    value = _digits(raw).upper()
    try:
        validators.validate_resident_id(value)
    except ValidationError as error:
        raise FieldProblem("bad_resident_id", text=error.message) from None
    return value


def _card_number(f: Field, raw: Any) -> str:
    value = _digits(raw)
    try:
        validators.validate_card_number(value)
    except ValidationError as error:
        raise FieldProblem("bad_card_number", text=error.message) from None
    return value


def _document_photo(f: Field, raw: Any) -> dict:
    # The upload itself is checked by counter.images when it arrives; the form keeps a reference.
    if not (isinstance(raw, dict) and raw.get("attachment") and raw.get("sha256")):
        raise FieldProblem("not_an_upload")
    return {"attachment": str(raw["attachment"]), "sha256": str(raw["sha256"])}


_CLEANERS = {
    "text": _text,
    "address": _address,
    "number": _number,
    "money": _money,
    "date": _date,
    "choice": _choice,
    "phone": _phone,
    "resident_id": _resident_id,
    "card_number": _card_number,
    "document_photo": _document_photo,
}


def photo_max_bytes(f: Field) -> int:
    return int(f.spec.get("max_bytes", DEFAULT_PHOTO_MAX_BYTES))


def mask_value(f: Field, value: Any) -> str:
    """How a personal-data (C2) value is shown where it must be masked (e.g. on a receipt)."""
    if is_empty(value):
        return ""
    if not f.pii:
        # A schema may forget to mark a field pii: numbers that look personal are masked anyway.
        return pii.mask_personal_numbers(display_value(f, value, "zh-hans"))
    style = f.spec.get("mask") or {
        "resident_id": "id",
        "phone": "phone",
        "card_number": "account",
        "address": "address",
        "document_photo": "photo",
    }.get(f.type, "name")
    text = str(value)
    if style == "id":
        return pii.mask_id_number(text)
    if style == "phone":
        return pii.mask_phone(text)
    if style == "account":
        return pii.mask_account(text)
    if style == "photo":
        return "[photo]"
    if style == "address":
        return text[:6] + "*" * max(len(text) - 6, 0)
    if style == "name":
        return pii.mask_name(text)
    return "*" * len(text)


def display_value(f: Field, value: Any, lang: str) -> str:
    if is_empty(value):
        return ""
    if f.type == "money":
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return str(value)  # a draft may hold what the customer typed, unchecked
        symbol = CURRENCY_SYMBOLS.get(f.currency, f.currency + " ")
        return f"{symbol}{amount:,.{CURRENCY_DECIMALS[f.currency]}f}"
    if f.type == "choice":
        return dict(f.choices(lang)).get(value, str(value))
    if f.type == "document_photo":
        return "[photo]"
    return str(value)


def masked_values(fields: list[dict], values: dict) -> dict[str, str]:
    return {
        f.name: mask_value(f, values.get(f.name)) for f in parse(fields) if not is_empty(values.get(f.name))
    }


def changed_fields(fields: list[dict], before: dict, after: dict) -> list[str]:
    return [f.name for f in parse(fields) if before.get(f.name) != after.get(f.name)]


def pii_fields(fields: list[dict]) -> set[str]:
    return {spec["name"] for spec in fields if spec.get("pii")}
