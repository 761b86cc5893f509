"""The demo month: past days at the demo branch, played from the simulator's realistic days
through the services, so insights, the staffing forecast and ratings have real figures."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from branches.models import Branch
from compliance.audit import verify_chain
from insights import demo_month
from insights.kpis import evaluate
from insights.models import BranchDayStat
from queueing.models import Ticket, TicketStatus
from servicedesk.models import VisitSurvey


@pytest.fixture
def demo_network(db, tmp_path, monkeypatch):
    from branches import demo as branches_demo
    from customers import demo as customers_demo

    monkeypatch.setattr("branches.demo.DEMO_TOKENS_FILE", tmp_path / "tokens.json")
    out = io.StringIO()
    branches_demo.seed(stdout=out)
    customers_demo.seed(stdout=out, count=20)
    return Branch.objects.get(code=demo_month.DEMO_BRANCH)


def test_two_past_days_are_played_through_the_services_and_rolled_up(demo_network, clock):
    today = dt.date(2026, 11, 23)
    result = demo_month.seed_month(days=2, scale=0.15, today=today)

    days = [today - dt.timedelta(days=2), today - dt.timedelta(days=1)]
    tickets = Ticket.objects.filter(branch=demo_network)
    assert result.tickets == tickets.count() > 20
    assert set(tickets.values_list("business_date", flat=True)) == set(days)
    assert not tickets.filter(status__in=[TicketStatus.WAITING, TicketStatus.CALLED,
                                          TicketStatus.SERVING]).exists()
    served = tickets.filter(status=TicketStatus.DONE)
    assert served.count() > 0.7 * tickets.count()
    # A thinned day staffs the VIP counter alone, which does not call the self-service queue:
    # passbook and bill customers take a free kiosk instead of waiting to give up (19 % of a
    # week's tickets were cancelled at scale 0.1 before, 1.5 % after).
    assert tickets.filter(status=TicketStatus.CANCELLED).count() <= 0.1 * tickets.count()
    # Times are the day's, in opening hours, and the waits come from the live engine's calls.
    local = [t.issued_at.astimezone(demo_network.tz) for t in served]
    assert {moment.date() for moment in local} == set(days)
    assert all(9 <= moment.hour < 17 for moment in local)
    assert all(t.first_called_at >= t.issued_at for t in served)
    assert verify_chain().ok
    rollups = BranchDayStat.objects.filter(branch=demo_network, date__in=days)
    assert rollups.count() == 2 and all(r.served > 0 for r in rollups)
    assert VisitSurvey.objects.filter(branch=demo_network, score__isnull=False).exists()
    booked_customers_came_as_appointments(demo_network)


def booked_customers_came_as_appointments(branch):
    """Booked customers are real appointments: booked the day before for one of the branch's
    slots, checked in through the service (which issued the ticket), or marked no-shows."""
    from appointments.models import Appointment, AppointmentStatus

    appointments = Appointment.objects.filter(branch=branch)
    came = appointments.filter(status__in=[AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED])
    assert came.exists()
    assert not appointments.filter(status=AppointmentStatus.BOOKED).exists()
    for appointment in came.select_related("ticket"):
        assert appointment.created_at < appointment.start - dt.timedelta(hours=12)
        assert appointment.ticket is not None and appointment.ticket.branch_id == branch.pk
        assert appointment.checked_in_at >= appointment.start - dt.timedelta(minutes=30)


def test_complaints_per_ten_thousand_is_a_sane_figure_after_the_month(demo_network, clock):
    demo_month.seed_month(days=3, scale=0.15, today=dt.date(2026, 11, 23))
    totals = {}
    for row in BranchDayStat.objects.filter(branch=demo_network).values():
        for key, value in row.items():
            if isinstance(value, int) and key not in ("id", "branch_id"):
                totals[key] = totals.get(key, 0) + value
    figures = {kpi.key: value for kpi, value in evaluate(totals)}
    assert figures["complaints_per_10k"] is None or figures["complaints_per_10k"] < 2_000


def test_seed_demo_if_empty_leaves_a_seeded_database_alone(demo_network, clock):
    before = Ticket.objects.count()
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", "--days", "2", stdout=out)
    assert Ticket.objects.count() == before

