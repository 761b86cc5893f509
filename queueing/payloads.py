"""What the live screens receive: masked for the lobby, full for staff, own ticket for customers.

Each payload carries both languages (`{"zh-hans": ..., "en": ...}`) so one push serves screens in
either language; the customer's own ticket page also carries Japanese and Korean (`customer_texts`).
The bank's own content (branch, service and counter names) exists in Chinese and English only: a
ja/ko page shows its English (`QueueLive.pick`), as `core.i18n.content_language` does server-side.
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from branches.models import ServicePoint
from branches.people import person_name
from branches.points import is_home_visit
from queueing.models import (
    Channel,
    NoticeChannel,
    NoticeKind,
    NoticeOutcome,
    PriorityClass,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from queueing.state import BranchSnapshot, branch_snapshot

LANGUAGES = ("zh-hans", "en")
CUSTOMER_LANGUAGES = LANGUAGES + tuple(settings.CUSTOMER_ONLY_LANGUAGES)
RECENT_CALLS = 8
QUEUE_NAMES = {
    "T": _("Video teller"),
}


_TRANSLATED: dict[tuple, dict[str, str]] = {}


def _translation_key(text, languages: tuple[str, ...]) -> tuple | None:
    """The lazy string's message (function and arguments), or None for anything else."""
    if not isinstance(text, Promise):
        return None
    func, args, kw = text.__reduce__()[1][:3]
    key = (func, args, tuple(sorted(kw.items())), languages)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def texts_in(text, languages: tuple[str, ...]) -> dict[str, str]:
    """A translatable string in each language. A lazy string's translations are computed once per
    process (catalogues do not change while it runs), so a refresh pushing 300 ticket pages looks
    each label up once, not 300 × 4 times."""
    key = _translation_key(text, languages)
    if key is not None and key in _TRANSLATED:
        return dict(_TRANSLATED[key])
    result = {}
    for language in languages:
        with translation.override(language):
            result[language] = str(text)
    if key is not None:
        _TRANSLATED[key] = dict(result)
    return result


def forget_translations() -> None:
    """Drop the kept translations (a test that changes the catalogues calls it)."""
    _TRANSLATED.clear()


def both(text) -> dict[str, str]:
    """A translatable string in both languages."""
    return texts_in(text, LANGUAGES)


def customer_texts(text) -> dict[str, str]:
    """A translatable string in every language of the customer's pages (ja/ko too)."""
    return texts_in(text, CUSTOMER_LANGUAGES)


def both_format(text, **values) -> dict[str, str]:
    """A translatable %-format string with its values, in both languages."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(text) % {
                key: value if isinstance(value, (int, float)) else str(value)
                for key, value in values.items()}
    return result


def names(obj) -> dict[str, str]:
    return {"zh-hans": obj.name_zh_hans, "en": obj.name_en or obj.name_zh_hans}


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def wait_minutes(seconds: int | None) -> int | None:
    """Seconds of wait as the whole minutes every surface shows."""
    return None if seconds is None else round(seconds / 60)


_minutes = wait_minutes


def counter_label(point) -> dict | None:
    if point is None:
        return None
    return {"id": point.pk, "code": point.code, "name": names(point)}


def queue_names(snapshot: BranchSnapshot) -> dict[str, dict[str, str]]:
    result = {prefix: both(label) for prefix, label in QUEUE_NAMES.items()}
    if snapshot.zone_names is not None:  # the branch's configuration (queueing.config)
        result.update((prefix, dict(label)) for prefix, label in snapshot.zone_names.items())
        return result
    for zone in snapshot.branch.zones.all():
        result[zone.ticket_prefix] = names(zone)
    return result


def lobby_call(ticket: Ticket) -> dict:
    """A call as the lobby screen shows and announces it: number and counter, nothing personal
    (not even a masked surname: the screen shows none, and the lobby group is a public device's)."""
    return {
        "number": ticket.number,
        "counter": counter_label(ticket.counter),
        "queue": ticket.queue,
        "recall": ticket.recall_count,
        "at": _iso(ticket.called_at),
    }


def stored_estimates(snapshot: BranchSnapshot) -> dict[int, float | None]:
    """The one estimate per ticket every surface shows: what the last refresh stored on it
    (`services.queue_refresh` is the only place that computes them)."""
    return {t.pk: None if t.estimated_wait_seconds is None else t.estimated_wait_seconds / 60
            for t in snapshot.waiting}


def queue_summaries(snapshot: BranchSnapshot, estimates: dict[int, float | None]) -> list[dict]:
    """Per queue: how many wait, and how long a newcomer waits — about as long as the last
    ticket now in it (None while no staffed counter serves anyone waiting there)."""
    labels = queue_names(snapshot)
    summaries: dict[str, dict] = {}
    for ticket in snapshot.waiting:
        summary = summaries.setdefault(ticket.queue, {"waiting": 0, "estimated_minutes": None,
                                                      "stranded": 0})
        summary["waiting"] += 1
        estimate = estimates.get(ticket.pk)
        if estimate is None:
            summary["stranded"] += 1
        else:
            minutes = wait_minutes(round(estimate * 60))
            summary["estimated_minutes"] = max(summary["estimated_minutes"] or 0, minutes)
    # Every zone's queue, and any other queue (the video teller's) while someone waits in it.
    shown = sorted(set(snapshot.prefixes.values()) | set(summaries))
    return [{"queue": prefix, "name": labels.get(prefix, {"zh-hans": prefix, "en": prefix}),
             **summaries.get(prefix, {"waiting": 0, "estimated_minutes": 0, "stranded": 0})}
            for prefix in shown]


def recent_calls(snapshot: BranchSnapshot) -> list[dict]:
    tickets = (Ticket.objects.of_day(snapshot.branch, snapshot.day)
               .filter(called_at__isnull=False).exclude(status=TicketStatus.CANCELLED)
               .select_related("counter").order_by("-called_at")[:RECENT_CALLS])
    return [lobby_call(ticket) for ticket in tickets]


def lobby_state(snapshot: BranchSnapshot, estimates: dict[int, float | None]) -> dict:
    return {
        "branch": {"code": snapshot.branch.code, "name": names(snapshot.branch)},
        "calls": recent_calls(snapshot),
        "queues": queue_summaries(snapshot, estimates),
        "at": _iso(snapshot.now),
    }


LOBBY_STATE_SECONDS = 30


def _lobby_key(branch_code: str) -> str:
    return f"queueing:lobby-state:{branch_code}"


def cached_lobby_state(branch, *, computed_after: dt.datetime | None = None) -> dict:
    """The lobby state every screen of the branch gets on (re)connecting, computed once and
    shared until the next change (`forget_lobby_state`), so 500 screens reconnecting after a
    server restart cost one computation, not 500.

    `computed_after`: a state cached before then is not trusted. A resync after a Redis outage
    passes the moment the outage began: the calls made meanwhile could not drop the cached state."""
    state = cache.get(_lobby_key(branch.code))
    if state is not None and computed_after is not None and (
            dt.datetime.fromisoformat(state["at"]) <= computed_after):
        state = None
    if state is None:
        snapshot = branch_snapshot(branch)
        state = lobby_state(snapshot, stored_estimates(snapshot))
        cache.set(_lobby_key(branch.code), state, LOBBY_STATE_SECONDS)
    return state


def forget_lobby_state(branch_code: str) -> None:
    """Drop the shared lobby state after the current transaction commits."""
    # robust: with the cache down the write still stands (the cached state expires on its own).
    transaction.on_commit(lambda: cache.delete(_lobby_key(branch_code)), robust=True)


def staff_ticket(ticket: Ticket, *, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    customer = ticket.customer if ticket.customer_id else None
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "status": ticket.status,
        "status_label": both(TicketStatus(ticket.status).label),
        "queue": ticket.queue,
        "channel": ticket.channel,
        "service": {"code": ticket.service_type.code, "name": names(ticket.service_type),
                    "target_minutes": ticket.service_type.target_minutes},
        "source": ticket.source,
        "priority_class": ticket.priority_class,
        "priority_label": both(PriorityClass(ticket.priority_class).label),
        "vip_tier": ticket.vip_tier,
        "boost": ticket.boost,
        "customer": {"id": customer.pk, "name": customer.masked_name,
                     "segment": customer.segment, "vip_tier": customer.vip_tier} if customer else None,
        "counter": counter_label(ticket.counter),
        "target_counter": ticket.target_counter_id,
        "recall_count": ticket.recall_count,
        "issued_at": _iso(ticket.issued_at),
        "queued_at": _iso(ticket.queued_at),
        "called_at": _iso(ticket.called_at),
        "serving_started_at": _iso(ticket.serving_started_at),
        "finished_at": _iso(ticket.finished_at),
        "waited_seconds": int(((ticket.first_called_at or now) - ticket.issued_at).total_seconds()),
        "quoted_wait_minutes": _minutes(ticket.quoted_wait_seconds),
        "estimated_wait_minutes": _minutes(ticket.estimated_wait_seconds),
        "position": ticket.position,
        "position_reason": ticket.position_reason,
        "language_required": ticket.language_required,
        "note": ticket.note,
    }


def staff_counter(snapshot: BranchSnapshot, point) -> dict:
    session = snapshot.sessions.get(point.pk)
    ticket = snapshot.current.get(point.pk)
    elapsed = None
    if ticket is not None:
        elapsed = int((snapshot.now - (ticket.serving_started_at or ticket.called_at)).total_seconds())
    return {
        **counter_label(point),
        "kind": point.kind,
        "zone": point.zone.ticket_prefix,
        "status": point.status,
        "status_label": both(ServicePoint.Status(point.status).label),
        "pause_reason": point.pause_reason,
        "teller": {"id": session.teller_id,
                   "name": person_name(session.teller)}
        if session else None,
        "ticket": staff_ticket(ticket, now=snapshot.now) if ticket else None,
        # Capacity: open with a teller signed in; "open" with nobody there serves no one.
        "staffed": session is not None,
        "unstaffed_open": point.status == ServicePoint.Status.OPEN and session is None,
        "work_profile": {"queues": list(point.work_queues), "mode": point.work_mode,
                         "ratios": list(point.work_ratios)},
        "elapsed_seconds": elapsed,
        "target_minutes": ticket.service_type.target_minutes if ticket else None,
    }


def staff_state(snapshot: BranchSnapshot, estimates: dict[int, float | None],
                alerts: list[dict]) -> dict:
    """Everything staff see of the branch: every live ticket is in exactly one list (waiting,
    at a counter, parked), today's no-shows can be re-queued, stranded tickets come with fixes."""
    from queueing.capacity import stranded_tickets

    others = list(Ticket.objects.of_day(snapshot.branch, snapshot.day)
                  .filter(status__in=[TicketStatus.PARKED, TicketStatus.NO_SHOW])
                  .select_related("service_type", "customer", "counter")
                  .order_by("parked_at", "no_show_at", "id"))
    return {
        "branch": {"code": snapshot.branch.code, "name": names(snapshot.branch)},
        "queues": queue_summaries(snapshot, estimates),
        "waiting": [staff_ticket(t, now=snapshot.now) for t in snapshot.waiting],
        "parked": [staff_ticket(t, now=snapshot.now) for t in others
                   if t.status == TicketStatus.PARKED],
        "no_shows": [staff_ticket(t, now=snapshot.now) for t in others
                     if t.status == TicketStatus.NO_SHOW],
        "stranded": stranded_tickets(snapshot, estimates),
        "counters": [staff_counter(snapshot, p) for p in snapshot.points
                     if p.kind != Channel.KIOSK and not is_home_visit(p)],
        "alerts": alerts,
        "at": _iso(snapshot.now),
    }


def live_ticket_page(ticket: Ticket) -> dict:
    """The ticket page on opening it or reconnecting: the position and estimate stored by the
    last refresh, the same ones the lobby and the dashboard show."""
    return ticket_page(ticket)


def ticket_page(ticket: Ticket, *, events: list | None = None) -> dict:
    """The customer's own ticket: position, estimate, and where to go once called. `events`:
    its timeline's events when the caller read them for many tickets at once (timeline_events)."""
    waiting = ticket.status == TicketStatus.WAITING
    return {
        "number": ticket.number,
        "status": ticket.status,
        "status_label": customer_texts(TicketStatus(ticket.status).label),
        "service": names(ticket.service_type),
        "branch": names(ticket.branch),
        "position": ticket.position if waiting else None,
        "estimated_wait_minutes": _minutes(ticket.estimated_wait_seconds) if waiting else None,
        "you_are_next": waiting and ticket.position == 1,
        "counter": counter_label(ticket.counter)
        if ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING) else None,
        "can_cancel": ticket.status in (TicketStatus.WAITING, TicketStatus.PARKED),
        "issued_at": _iso(ticket.issued_at),
        "position_reason": position_reason(ticket.position_reason) if waiting else None,
        "timeline": timeline(ticket, staff=False, events=events),
    }


POSITION_REASONS = {
    "priority": _("A customer with priority (VIP, appointment, elderly, disability) or a quick "
                  "service went ahead of you."),
    "returned": _("A customer who had stepped away came back ahead of you."),
    "rerouted": _("Your ticket was moved to another queue."),
}


def position_reason(code: str) -> dict | None:
    return customer_texts(POSITION_REASONS[code]) if code in POSITION_REASONS else None


def notice_note(data: dict) -> str:
    """A turn-near notice on the staff timeline: what was chosen, how, and what came of it."""
    what = (_("about %(n)d customers before") if data.get("kind") == NoticeKind.POSITION
            else _("about %(n)d minutes left")) % {"n": data.get("threshold", 0)}
    channel = NoticeChannel(data["channel"]).label if data.get("channel") in NoticeChannel.values \
        else ""
    outcome = NoticeOutcome(data["outcome"]).label if data.get("outcome") in NoticeOutcome.values \
        else ""
    return " · ".join(str(part) for part in (what, channel, outcome) if part)


def _timeline_events(ticket_ids: list[int]):
    return TicketEvent.objects.filter(ticket_id__in=ticket_ids).select_related("counter", "actor") \
        .order_by("at", "id")


# What the customer's page shows of an event: read as plain rows, not events with their counter
# and actor as models — the page is pushed on every call, start and finish (issue 27).
_PAGE_EVENT = ("ticket_id", "kind", "at", "counter_id", "counter__code", "counter__name_zh_hans",
               "counter__name_en")


def timeline_events(tickets: list[Ticket]) -> dict[int, list]:
    """The customer timeline rows of many tickets in one query (a refresh pushing to every
    ticket page read them one ticket at a time), in the order `timeline` shows them."""
    found: dict[int, list] = {ticket.pk: [] for ticket in tickets}
    if tickets:
        rows = (TicketEvent.objects.filter(ticket_id__in=list(found)).order_by("at", "id")
                .values_list(*_PAGE_EVENT))
        for row in rows:
            found[row[0]].append(row)
    return found


def _page_timeline(ticket: Ticket, rows: list) -> list[dict]:
    tz = ticket.branch.tz
    return [{"kind": kind, "label": customer_texts(TicketEventKind(kind).label), "at": _iso(at),
             "time": at.astimezone(tz).strftime("%H:%M"),
             "counter": {"id": counter_id, "code": code,
                         "name": {"zh-hans": name_zh, "en": name_en or name_zh}}
             if counter_id is not None else None}
            for _ticket, kind, at, counter_id, code, name_zh, name_en in rows]


def timeline(ticket: Ticket, *, staff: bool, events: list | None = None) -> list[dict]:
    """The visit step by step: what happened, when, where (and for staff, who). `events`: the
    customer timeline's rows (`timeline_events`), when the caller read them already."""
    if not staff:
        return _page_timeline(ticket, events if events is not None
                              else timeline_events([ticket])[ticket.pk])
    tz = ticket.branch.tz
    steps = []
    for event in _timeline_events([ticket.pk]):
        step = {"kind": event.kind, "label": both(TicketEventKind(event.kind).label),
                "at": _iso(event.at), "time": event.at.astimezone(tz).strftime("%H:%M"),
                "counter": counter_label(event.counter)}
        step["by"] = person_name(event.actor) if event.actor_id else ""
        step["note"] = (notice_note(event.data) if event.kind == TicketEventKind.NOTICE
                        else event.data.get("note", ""))
        step["queue"] = event.data.get("queue", "")
        steps.append(step)
    return steps
