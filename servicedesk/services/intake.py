"""A new work order's request, and what its text says: validated and classified before the
transaction that writes it opens (the classifier is the slow part)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Department
from customers.models import Customer
from servicedesk import ml
from servicedesk.classifier import score_emotion
from servicedesk.models import PRIORITY_RANK, Category, Channel, Priority, WorkOrder, WorkOrderKind
from servicedesk.services.common import _is_staff


@dataclass(frozen=True)
class WorkOrderRequest:
    """What a new work order says, from any entry point (staff page, customer form, kiosk, FAQ
    hand-off). `attachments` are uploaded files the customer may see (a receipt, a letter)."""

    kind: str
    channel: str
    branch: Branch
    description: str
    title: str = ""
    customer: Customer | None = None
    category: Category | None = None
    department: Department | None = None
    priority: str | None = None
    complex_case: bool = False
    assignee: Any = None
    parent: WorkOrder | None = None
    device: Any = None
    attachments: Sequence = ()


@dataclass(frozen=True)
class Reading:
    """What the text says, read before the transaction opens (the classifier is the slow part)."""

    description: str
    category: Category | None
    confirmed: bool
    suggested: Category | None
    confidence: float | None
    emotion: Any
    priority: str
    strong_emotion: bool


def read_request(actor, request: WorkOrderRequest) -> Reading:
    description = request.description.strip()
    if not description:
        raise ValidationError({"description": _("Describe the problem.")})
    if request.kind not in WorkOrderKind.values or request.channel not in Channel.values:
        raise ValidationError(_("Unknown work order type or channel."))
    if request.priority and request.priority not in Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})
    category = request.category
    # A category chosen by staff at entry counts as confirmed; otherwise the classifier proposes one.
    confirmed = category is not None and _is_staff(actor)
    suggested, confidence = ml.suggest(description) if category is None else (None, None)
    emotion = score_emotion(description)
    priority = request.priority or Priority.NORMAL
    strong_emotion = request.kind == WorkOrderKind.COMPLAINT and emotion.raises_priority
    if strong_emotion and PRIORITY_RANK[Priority(priority)] > PRIORITY_RANK[Priority.URGENT]:
        priority = Priority.URGENT
    return Reading(description=description, category=category or suggested, confirmed=confirmed,
                    suggested=suggested, confidence=confidence, emotion=emotion, priority=priority,
                    strong_emotion=strong_emotion)
