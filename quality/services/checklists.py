"""Head office edits a checklist by publishing its next version; earlier versions stay as they
were, with the inspections scored on them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from compliance.audit import audit_record
from quality.access import is_head_office
from quality.models import Checklist, ChecklistItem, ChecklistVersion, Section

ITEM_FIELDS = ("code", "section", "text_zh_hans", "text_en", "weight")


def checklist_current(checklist: Checklist) -> ChecklistVersion | None:
    return checklist.versions.order_by("-number").first()


def _check_items(items: list[dict]) -> list[dict]:
    errors: dict[str, list[str]] = {}
    clean = []
    seen: set[str] = set()
    for row, item in enumerate(items, start=1):
        code = slugify(str(item.get("code") or ""))[:40]
        text_zh = str(item.get("text_zh_hans") or "").strip()
        text_en = str(item.get("text_en") or "").strip() or text_zh
        try:
            weight = int(item.get("weight") or 0)
        except (TypeError, ValueError):
            weight = 0
        problems = []
        if not code:
            problems.append(_("Row %(row)s: give the item a code (letters, digits, hyphens).") % {"row": row})
        elif code in seen:
            problems.append(_("Row %(row)s: the code %(code)s is used twice.") % {"row": row, "code": code})
        if item.get("section") not in Section.values:
            problems.append(_("Row %(row)s: choose a section.") % {"row": row})
        if not text_zh:
            problems.append(_("Row %(row)s: write what the inspector checks.") % {"row": row})
        if not 1 <= weight <= 10:
            problems.append(_("Row %(row)s: the weight is a whole number from 1 to 10.") % {"row": row})
        if problems:
            errors.setdefault("items", []).extend(problems)
        seen.add(code)
        clean.append(
            {
                "code": code,
                "section": item.get("section"),
                "text_zh_hans": text_zh[:200],
                "text_en": text_en[:200],
                "weight": weight,
            }
        )
    if not clean:
        errors["items"] = [_("A checklist needs at least one item.")]
    if errors:
        raise ValidationError(errors)
    return clean


def checklist_publish(*, actor, checklist: Checklist, items: list[dict], note: str = "") -> ChecklistVersion:
    """Publish the next version of `checklist` with exactly `items` (dicts of ITEM_FIELDS)."""
    if not is_head_office(actor):
        raise PermissionDenied(_("Only head office edits the checklists."))
    clean = _check_items(items)
    with transaction.atomic():
        previous = (
            ChecklistVersion.objects.select_for_update()
            .filter(checklist=checklist)
            .order_by("-number")
            .first()
        )
        version = ChecklistVersion.objects.create(
            checklist=checklist,
            number=(previous.number + 1) if previous else 1,
            published_at=timezone.now(),
            published_by=actor,
            note=note.strip()[:200],
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(version=version, sort=sort, **item) for sort, item in enumerate(clean)
        )
        audit_record(
            actor=actor,
            action="quality.checklist.publish",
            obj=version,
            after={
                "checklist": checklist.code,
                "number": version.number,
                "note": version.note,
                "items": [{k: item[k] for k in ("code", "section", "weight")} for item in clean],
            },
        )
    return version
