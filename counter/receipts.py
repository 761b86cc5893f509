"""What an e-receipt says: built once at finish, in the customer's language, personal data masked."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.i18n import content_language
from counter import formschema, verification
from counter.receipt_pdf import ReceiptContent


def receipt_content(record, *, number: str, language: str) -> dict:
    """The receipt's own words in the customer's language (Japanese and Korean included); the
    bank's content (names, form labels and values) in its Chinese or English version."""
    lang = content_language(language)
    words = language if language in settings.CUSTOMER_ONLY_LANGUAGES else lang
    with translation.override(words):
        visit = _finished_lines(record)
        form_rows = _form_rows(record, lang) if len(visit) == 1 else _visit_rows(visit, lang)
        finished = record.finished_at.astimezone(record.branch.tz)
        lines = [
            (_("Receipt number"), number),
            (_("Branch"), record.branch.name),
            (_("Service"), " + ".join(line.service_type.name for line in visit)),
            (_("Ticket"), record.ticket.number),
            (_("Counter"), record.counter.name),
            (_("Teller"), _teller_label(record.teller)),
            (_("Customer"), record.customer.masked_name if record.customer else "—"),
            (_("Finished at"), finished.strftime("%Y-%m-%d %H:%M")),
            (_("Outcome"), str(record.get_outcome_display())),
        ]
        if record.agent_name:
            lines.append((_("Agent (acting for the customer)"), _agent_label(record)))
        if record.outcome_reason:
            lines.append((_("Reason"), record.outcome_reason))
        if record.referred_to:
            lines.append((_("Referred to"), record.referred_to))
        return {
            "language": words,
            "title": _("Service receipt"),
            "number": number,
            "lines": lines,
            "form_heading": _("Your form, and how each field was checked"),
            "form_rows": form_rows,
            "signature_caption": _("Customer's signature"),
            "footer": _("Signature SHA-256: %(hash)s") % {"hash": record.signature_sha256 or "—"},
        }


def _finished_lines(record) -> list:
    """The visit's service lines that were served, in order; the receipt lists every one."""
    lines = list(
        record.ticket.service_records.filter(status="finished")
        .select_related("service_type", "counter", "form__schema")
        .order_by("started_at", "id")
    )
    return lines or [record]


def _visit_rows(visit: list, lang: str) -> list[tuple[str, str, str]]:
    """Each line's heading (service, counter, outcome) followed by its form's rows."""
    rows = []
    for number, line in enumerate(visit, start=1):
        heading = _("Service %(number)s: %(service)s") % {"number": number, "service": line.service_type.name}
        outcome = f"{line.counter.name} · {line.get_outcome_display()}"
        if line.outcome_reason:
            outcome += f" ({line.outcome_reason})"
        rows.append((heading, outcome, ""))
        rows.extend(_form_rows(line, lang))
    return rows


def signing_summary(record, lang: str) -> list[tuple[str, str]]:
    """What the customer is asked to sign: the form's values as the teller holds them now, personal
    data masked, amounts in full."""
    if record.form is None:
        return []
    values = record.form.values
    return [
        (f.label(lang), customer_value(f, values.get(f.name), lang))
        for f in formschema.parse(record.form.fields)
        if f.type != "document_photo"
        and formschema.is_visible(f, values)
        and not formschema.is_empty(values.get(f.name))
    ]


def _form_rows(record, lang: str) -> list[tuple[str, str, str]]:
    """(label, masked value, how it was checked): never "verified" for a field nobody checked."""
    fields = record.form.fields if record.form else []
    values, states = record.verified_values, verification.field_states(record)
    return [
        (f.label(lang), customer_value(f, values.get(f.name), lang), str(verification.LABELS[states[f.name]]))
        for f in formschema.parse(fields)
        if f.name in states and not formschema.is_empty(values.get(f.name)) and f.type != "document_photo"
    ]


# Field types that always hold personal data (C2), whatever the schema says.
PERSONAL_TYPES = frozenset({"resident_id", "phone", "card_number", "address"})


def _is_personal(f: formschema.Field) -> bool:
    person_name = f.type == "text" and (f.name == "name" or f.name.endswith("_name"))
    return f.pii or f.type in PERSONAL_TYPES or person_name


def customer_value(f: formschema.Field, value, lang: str) -> str:
    """Personal data masked. The receipt travels by link, so names, numbers and addresses are
    masked even where a schema forgot to mark the field `pii` (the demo's account opening did)."""
    if _is_personal(f):
        return formschema.mask_value(formschema.Field({**f.spec, "pii": True}), value)
    return formschema.display_value(f, value, lang)


def _agent_label(record) -> str:
    relationship = record.get_agent_relationship_display()
    return f"{record.masked_agent_name} · {record.masked_agent_id_number} · {relationship}"


def _teller_label(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return getattr(profile, "employee_no", "") or user.get_username()


def pdf_content(content: dict, *, signature_png: bytes | None) -> ReceiptContent:
    return ReceiptContent(
        title=content["title"],
        number=content["number"],
        lines=[tuple(x) for x in content["lines"]],
        form_heading=content["form_heading"],
        form_rows=[tuple(x) for x in content["form_rows"]],
        signature_png=bytes(signature_png) if signature_png else None,
        signature_caption=content["signature_caption"],
        footer=content["footer"],
        language=content.get("language", "zh-hans"),
    )


def public_url(receipt) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("counter:receipt", args=[receipt.public_token])


def notification_text(receipt, *, survey: bool = False) -> tuple[str, str]:
    with translation.override(receipt.content.get("language", "zh-hans")):
        subject = _("Your service receipt %(number)s") % {"number": receipt.number}
        body = _("Your service at %(branch)s is finished. Receipt: %(url)s") % {
            "branch": receipt.record.branch.name,
            "url": public_url(receipt),
        }
        if survey:
            body += " " + _("How was your visit? Rate it on the receipt page in one minute.")
    return subject, body
