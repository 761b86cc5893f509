"""Turns a form schema and values into rows the templates render (labels, help, errors per language)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from core import pii
from core.i18n import content_language
from counter import formschema

INPUT_TYPES = {
    "text": "text",
    "address": "text",
    "number": "text",
    "money": "text",
    "date": "date",
    "phone": "tel",
    "resident_id": "text",
    "card_number": "text",
    "document_photo": "file",
}
INPUT_MODES = {"number": "decimal", "money": "decimal", "phone": "tel", "card_number": "numeric"}


@dataclass
class Row:
    name: str
    type: str
    label: str
    help: str
    required: bool
    pii: bool
    value: Any
    display: str
    masked: str
    input_type: str
    input_mode: str
    choices: list[tuple[str, str]]
    errors: list[str] = field(default_factory=list)
    when_field: str = ""
    when_values: str = "[]"
    hidden: bool = False
    verification: Any = None
    currency: str = ""
    # What the teller's table shows: names in full, ID, phone and card numbers masked.
    staff_display: str = ""


def language() -> str:
    return content_language()


def rows(
    fields: list[dict],
    values: dict,
    errors: dict[str, list[str]] | None = None,
    verifications: dict | None = None,
) -> list[Row]:
    lang = language()
    errors, verifications = errors or {}, verifications or {}
    out = []
    for f in formschema.parse(fields):
        value = values.get(f.name, "")
        when = f.spec.get("when") or {}
        out.append(
            Row(
                name=f.name,
                type=f.type,
                label=f.label(lang),
                help=f.help(lang),
                required=f.required,
                pii=f.pii,
                value=value if not isinstance(value, dict) else "",
                display=formschema.display_value(f, value, lang),
                masked=formschema.mask_value(f, value) if f.pii
                else pii.mask_personal_numbers(formschema.display_value(f, value, lang)),
                input_type=INPUT_TYPES.get(f.type, "text"),
                input_mode=INPUT_MODES.get(f.type, ""),
                choices=f.choices(lang),
                errors=errors.get(f.name, []),
                when_field=when.get("field", ""),
                when_values=json.dumps(when.get("in", [when.get("equals")]) if when else []),
                hidden=bool(when) and not formschema.is_visible(f, values),
                verification=verifications.get(f.name),
                currency=f.currency if f.type == "money" else "",
                staff_display=pii.mask_personal_numbers(formschema.display_value(f, value, lang)),
            )
        )
    return out


def values_from_post(fields: list[dict], data) -> dict:
    """The typed values of a posted form (photos arrive separately, as uploads)."""
    return {spec["name"]: data.get(spec["name"], "") for spec in fields if spec["type"] != "document_photo"}
