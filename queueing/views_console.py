"""The teller console's queue panel: the waiting list with "call this ticket", parked tickets to
call back or resume, today's no-shows to re-queue, and for the ticket at the counter "customer
left", "transfer back" and its timeline. The console page (counter app) includes it; "transfer
back" posts to the console's own transfer step, which also closes the service record."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from branches.access import role_required
from queueing import payloads, services
from queueing.access import WORK_ROLES, counter_for_user, ticket_for_user
from queueing.errors import TicketStateError
from queueing.models import Ticket, TicketStatus
from queueing.scans import calls_now
from queueing.state import branch_snapshot, business_date

ACTIONS = {"call", "resume", "requeue", "left"}


def _panel_context(point, user) -> dict:
    snapshot = branch_snapshot(point.branch)
    state = snapshot.counter_state(point.pk)
    session = snapshot.sessions.get(point.pk)
    current = snapshot.current.get(point.pk)
    mine = session is not None and session.teller_id == user.pk
    engine_waiting = {t.id: t for t in snapshot.live.waiting}
    skills = state.skills if state else frozenset()
    waiting = [{"ticket": t, "can_call": mine and current is None
                and engine_waiting[t.pk].service_code in skills,
                "next_for_me": state is not None and calls_now(state, engine_waiting[t.pk], snapshot)}
               for t in snapshot.waiting]
    others = (Ticket.objects.of_day(point.branch, business_date(point.branch))
              .filter(status__in=[TicketStatus.PARKED, TicketStatus.NO_SHOW])
              .select_related("service_type", "counter").order_by("parked_at", "no_show_at", "id"))
    origin = services.transferred_from(current) if current is not None else None
    free = mine and current is None
    return {
        "point": point, "mine": mine, "current": current, "free": free,
        # Why "call next" finds nobody while people wait: they wait for other counters.
        "none_for_me": free and bool(waiting) and not any(row["next_for_me"] for row in waiting),
        "waiting": waiting, "estimates": payloads.stored_estimates(snapshot),
        "parked": [t for t in others if t.status == TicketStatus.PARKED],
        "no_shows": [t for t in others if t.status == TicketStatus.NO_SHOW],
        "origin": origin if origin is not None and origin.pk != point.pk else None,
        "steps": payloads.timeline(current, staff=True) if current is not None else [],
    }


@role_required(*WORK_ROLES)
def console_queue(request, point_id):
    point = counter_for_user(request.user, point_id)
    return render(request, "queueing/console_panel.html", _panel_context(point, request.user))


@require_POST
@role_required(*WORK_ROLES)
def console_ticket(request, point_id, pk, action):
    point = counter_for_user(request.user, point_id, write=True)
    ticket = ticket_for_user(request.user, pk, write=True)
    if action not in ACTIONS or ticket.branch_id != point.branch_id:
        raise Http404("no such action")
    error, status = "", 200
    try:
        _do(request, point, ticket, action)
    except ValidationError as refused:
        error = " ".join(refused.messages)
        status = 409 if isinstance(refused, TicketStateError) else 400
    if not request.htmx:
        return redirect("counter:console", point.pk)
    response = render(request, "queueing/console_panel.html",
                      {**_panel_context(point, request.user), "error": error}, status=status)
    # The console's current-ticket panel and measures follow the step.
    response["HX-Trigger"] = "counter-refresh"
    return response


def _do(request, point, ticket, action: str) -> None:
    user, note = request.user, request.POST.get("note", "")
    if action == "call":
        services.ticket_call(actor=user, counter=point, ticket=ticket)
    elif action == "resume":
        services.ticket_resume(actor=user, ticket=ticket)
    elif action == "requeue":
        services.ticket_requeue(actor=user, ticket=ticket,
                                keep_arrival=request.POST.get("keep_arrival") == "1")
    else:
        services.ticket_customer_left(actor=user, ticket=ticket, note=note)


