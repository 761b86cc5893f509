"""Demo data: a morning's tickets at the demo branch, so the lobby screen and the dashboard are
not empty. Everything goes through the services; only the times are moved back afterwards, to
spread the served tickets over the morning."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches.models import Branch, ServicePoint
from customers.models import Customer
from queueing import services
from queueing.models import CounterSession, Ticket, TicketStatus

DEMO_BRANCH = "BJ001"
# teller1 is left free so a demo user can open any counter in the console.
DEMO_TELLERS = ["teller2", "teller3"]


def seed(*, stdout) -> None:
    branch = Branch.objects.filter(code=DEMO_BRANCH).first()
    if branch is None:
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    counters = list(ServicePoint.objects.filter(branch=branch, kind=ServicePoint.Kind.COUNTER)
                    .order_by("code").prefetch_related("service_types"))
    opened = []
    for username, counter in zip(DEMO_TELLERS, counters[1:], strict=False):
        teller = get_user_model().objects.filter(username=username).first()
        if teller is not None:
            services.counter_open(actor=teller, counter=counter)
            opened.append((teller, counter))
    offered = ([s for _, c in opened for s in c.service_types.all()]
               or [s for c in counters for s in c.service_types.all()])
    customers = list(Customer.objects.order_by("pk")[:40])
    served = []
    for index in range(14):
        customer = rng.choice(customers) if customers and index % 3 == 0 else None
        try:
            ticket = services.ticket_issue(issue=services.IssueRequest(
                branch=branch, service_type=rng.choice(offered),
                source="kiosk", customer=customer, channel="counter",
                enforce_hours=False))
        except ValidationError:
            continue
        if index < 8:
            served.append(ticket)
    for index, ticket in enumerate(served if opened else []):
        # Alternate the counters, each starting with the one whose turn it is.
        for teller, counter in opened[index % len(opened):] + opened[:index % len(opened)]:
            try:
                called = services.ticket_call(actor=teller, counter=counter, ticket=ticket)
            except ValidationError:
                continue
            services.ticket_start_serving(actor=teller, ticket=called)
            services.ticket_finish(actor=teller, ticket=called)
            break
    _spread_over_the_morning(branch, rng, [ticket.pk for ticket in served])
    services.queue_refresh(branch=branch)
    stdout.write(f"Queueing: {Ticket.objects.filter(branch=branch).count()} demo tickets at "
                 f"{branch.code}, counters {', '.join(c.code for _, c in opened)} open.")


def _spread_over_the_morning(branch, rng, served: list[int]) -> None:
    """Move this morning's served tickets' times back (issue → call → service), a few minutes
    apart; the demo month's past days (insights.demo_month) keep their own times. All of it
    happens today in the branch's time: seeded shortly after midnight, the morning is squeezed
    into the minutes since then instead of landing on yesterday (today's dashboard was empty)."""
    now = timezone.now()
    done = list(Ticket.objects.filter(branch=branch, status=TicketStatus.DONE, pk__in=served)
                .order_by("pk"))
    plan, offset = [], dt.timedelta(0)
    for _ticket in done:
        wait = dt.timedelta(minutes=rng.randint(2, 14))
        handling = dt.timedelta(minutes=rng.randint(3, 12))
        # Quotes off by up to a minute and a half either way, not skewed: the dashboard's
        # estimate bias stays within a minute on the demo day.
        quote_error = rng.randint(-90, 90)
        plan.append((offset, wait, handling, quote_error))
        offset += dt.timedelta(minutes=rng.randint(6, 12))
    span = dt.timedelta(minutes=12 * len(done) + 30)  # as before: the last one finished a while ago
    since_midnight = now - branch.local_now().replace(hour=0, minute=0, second=0, microsecond=0)
    scale = min(1.0, 0.9 * since_midnight / span)
    start = now - span * scale
    # The tellers have been at their counters since the first of those customers arrived, or the
    # day's utilisation would count the morning's service against a few seconds of opening time.
    CounterSession.objects.current().filter(counter__branch=branch).update(opened_at=start)
    for ticket, (at, wait, handling, quote_error) in zip(done, plan, strict=True):
        issued, wait, handling = start + at * scale, wait * scale, handling * scale
        called = issued + wait
        serving = called + dt.timedelta(minutes=1) * scale
        Ticket.objects.filter(pk=ticket.pk).update(
            issued_at=issued, queued_at=issued, first_called_at=called, called_at=called,
            serving_started_at=serving, finished_at=serving + handling,
            actual_wait_seconds=int(wait.total_seconds()),
            quoted_wait_seconds=max(0, int(wait.total_seconds() + quote_error * scale)))
