"""What the kiosk's JavaScript receives: services, routing advice and tickets, in the screen's
language, with nothing personal beyond what the customer at the screen already knows."""

import math

import segno
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import ServiceType
from branches.wayfinding import where_for_ticket
from kiosk.services import vtm_point
from queueing.payloads import wait_minutes

CHANNEL_NAMES = {"kiosk": gettext_lazy("self-service machine"), "vtm": gettext_lazy("video teller"),
                 "counter": gettext_lazy("counter")}


def services(device, query: str = "") -> list[dict]:
    found = ServiceType.objects.filter(is_active=True).prefetch_related("form_schemas")
    query = query.strip()[:50]
    if query:
        found = found.filter(Q(name_zh_hans__icontains=query) | Q(name_en__icontains=query)
                             | Q(keywords__icontains=query) | Q(code__iexact=query))
    point = device.service_point
    here = set(point.service_types.values_list("code", flat=True)) if point else set()
    has_vtm = vtm_point(device) is not None
    return [{"code": s.code, "name": s.name, "description": s.description, "icon": s.icon or s.category,
             "category": s.category, "needs_appointment": s.needs_appointment,
             "can_do_here": bool(point) and s.allow_kiosk and (not here or s.code in here),
             "remote_teller": has_vtm and s.allow_vtm, "video_service": s.allow_vtm,
             "has_form": bool(s.form_schemas.all())}
            for s in found]


def wait_label(channel: str, minutes: float | None, *, here: bool) -> str:
    if minutes is None:
        return _("Nobody can serve this right now")
    if channel == "kiosk" and here and minutes < 1:
        return _("This can be done here now")
    if minutes < 1:
        return _("%(place)s, no wait") % {"place": _capital(CHANNEL_NAMES[channel])}
    return _("%(place)s, about %(minutes)d minutes") % {"place": _capital(CHANNEL_NAMES[channel]),
                                                         "minutes": math.ceil(minutes)}


def _capital(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def recommendation(rec, *, can_do_here: bool) -> dict | None:
    if rec is None:
        return None
    channel = rec.channel.value
    return {"channel": channel, "queue": rec.queue_prefix,
            "estimated_wait_minutes": rec.estimated_wait_minutes,
            "label": wait_label(channel, rec.estimated_wait_minutes, here=can_do_here),
            "reasons": [reason.value for reason in rec.reasons],
            "alternative": recommendation(rec.alternative, can_do_here=can_do_here)}


def ticket(request, ticket) -> dict:
    url = request.build_absolute_uri(reverse("queue-ticket", args=[ticket.public_token]))
    # The ticket's one estimate, in the whole minutes its ticket page and the lobby show.
    minutes = wait_minutes(ticket.estimated_wait_seconds)
    where = where_for_ticket(ticket)  # the floor plan's "where to go" (branches.wayfinding)
    return {"where": where.text if where else "", "where_marker": where.marker_id if where else None,
            "number": ticket.number, "service": ticket.service_type.name, "channel": ticket.channel,
            "branch": ticket.branch.name, "issued_at": ticket.issued_at.isoformat(),
            "position": ticket.position, "estimated_wait_minutes": minutes,
            "wait_label": wait_label(ticket.channel, minutes, here=False),
            "url": url, "qr_svg": segno.make(url, error="m").svg_inline(scale=4)}
