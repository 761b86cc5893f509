"""What the console shows about a called customer: masked identity and the 360-degree panel.

Read-only. Lower apps are read directly (servicedesk, knowledge); higher apps (appointments,
kiosk) contribute through the hooks in `counter.hooks`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from counter import hooks
from counter.models import RecordStatus, ServiceRecord
from knowledge.services import cards_for_service
from servicedesk.models import WorkOrder

log = logging.getLogger(__name__)


@dataclass
class CustomerPanel:
    masked_name: str
    masked_id_number: str
    masked_phone: str
    segment: str
    vip_tier: int
    needs: list[str]
    language: str
    age: int | None
    risk_level: str
    risk_expires_on: object
    risk_expired: bool
    id_expired: bool
    recent_services: list = field(default_factory=list)
    open_work_orders: list = field(default_factory=list)
    upcoming_appointments: list = field(default_factory=list)
    self_service: list = field(default_factory=list)


def customer_panel(customer) -> CustomerPanel | None:
    if customer is None:
        return None
    today = timezone.localdate()
    assessment = customer.current_risk_assessment()
    recent = list(
        ServiceRecord.objects.filter(customer=customer, status=RecordStatus.FINISHED)
        .select_related("service_type", "branch")
        .order_by("-finished_at")[:5]
    )
    return CustomerPanel(
        masked_name=customer.masked_name,
        masked_id_number=customer.masked_id_number,
        masked_phone=customer.masked_phone,
        segment=customer.get_segment_display(),
        vip_tier=customer.vip_tier,
        needs=customer.need_labels,
        language=customer.get_preferred_language_display(),
        age=customer.age,
        risk_level=assessment.level if assessment else "",
        risk_expires_on=assessment.expires_on if assessment else None,
        risk_expired=bool(assessment and assessment.expires_on < today),
        id_expired=customer.id_expired_on(today),
        recent_services=recent,
        open_work_orders=_guarded(_open_work_orders, customer),
        upcoming_appointments=_hook_items(hooks.upcoming_appointments, customer),
        self_service=_hook_items(hooks.self_service_records, customer),
    )


def _open_work_orders(customer) -> list:
    orders = WorkOrder.objects.active().filter(customer=customer).order_by("resolution_due")[:5]
    return [
        {
            "label": f"{o.number} {o.title} · {o.get_status_display()}",
            "due": o.resolution_due,
            "url": reverse("servicedesk:work-order", args=[o.pk]),
        }
        for o in orders
    ]


def _hook_items(callbacks, customer) -> list:
    items = []
    for callback in callbacks:
        items.extend(_guarded(callback, customer))
    return items


def _guarded(source, *args) -> list:
    """A broken panel source (another app's bug or outage) must not stop the teller serving."""
    try:
        with transaction.atomic():  # a savepoint, so a database error leaves the request usable
            return list(source(*args))
    except Exception:
        log.exception("counter panel source %r failed", source)
        return []


def knowledge_cards(service_type, language: str) -> list[dict]:
    """Knowledge cards for the service from the knowledge base (below counter)."""
    cards = _guarded(lambda: cards_for_service(service_type, language=language))
    return [{"title": c.title, "text": c.text, "url": c.url} for c in cards]
