"""A hand-computed Monday at one branch (2026-03-02, Asia/Shanghai): the figures in the tests below
were worked out on paper from exactly these rows."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from appointments.codes import booking_code_new
from appointments.models import Appointment, AppointmentStatus, CheckInTiming, SlotCapacity
from branches.roles import Role
from counter.models import Outcome, RecordStatus, ServiceRecord
from queueing.models import CounterSession, Source, Ticket, TicketStatus
from servicedesk.models import Survey, WorkOrder, WorkOrderKind
from tests.factories import make_counter, make_customer, make_service_type, make_staff

DAY = dt.date(2026, 3, 2)
TZ = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def make_ticket(branch, service, n, *, issued, called=None, started=None, finished=None,
                status=TicketStatus.DONE, quoted=None, source=Source.KIOSK, teller=None, counter=None):
    wait = int((called - issued).total_seconds()) if called else None
    return Ticket.objects.create(
        branch=branch, business_date=issued.astimezone(TZ).date(), prefix="A", sequence=n, queue="A",
        number=f"A{n:03d}", status=status, service_type=service, source=source, issued_at=issued,
        queued_at=issued, first_called_at=called, called_at=called, serving_started_at=started,
        finished_at=finished, quoted_wait_seconds=quoted, actual_wait_seconds=wait,
        served_by=teller if finished else None, counter=counter)


def _work_order(branch, n, **fields):
    day = fields["received_at"]
    return WorkOrder.objects.create(number=f"WO{branch.code}{day:%m%d}{n}", channel="counter", title="t",
                                    description="d", branch=branch, **fields)


def build_history(branch, *, day=DAY):
    service = make_service_type(target_minutes=5)
    risky = make_service_type(risk_level="R3")
    teller = make_staff(Role.TELLER, branch)
    counter = make_counter(branch, services=[service])
    CounterSession.objects.create(counter=counter, teller=teller, opened_at=at(8, 55, day),
                                  closed_at=at(11, 0, day))
    t = {}
    t[1] = make_ticket(branch, service, 1, issued=at(9, 0, day), called=at(9, 4, day),
                       started=at(9, 4, day), finished=at(9, 10, day), quoted=300, teller=teller,
                       counter=counter)
    t[2] = make_ticket(branch, service, 2, issued=at(9, 10, day), called=at(9, 30, day),
                       started=at(9, 30, day), finished=at(9, 34, day), quoted=600, teller=teller,
                       counter=counter)
    t[3] = make_ticket(branch, service, 3, issued=at(9, 20, day), called=at(9, 40, day),
                       status=TicketStatus.NO_SHOW)
    t[4] = make_ticket(branch, service, 4, issued=at(10, 5, day), status=TicketStatus.CANCELLED)
    t[5] = make_ticket(branch, service, 5, issued=at(10, 10, day), called=at(10, 12, day),
                       started=at(10, 12, day), finished=at(10, 22, day), source=Source.APPOINTMENT,
                       teller=teller, counter=counter)

    customer = make_customer(branch=branch)
    slot = SlotCapacity.objects.create(branch=branch, service_type=service, start=at(10, 0, day),
                                       end=at(10, 30, day), capacity=4, booked=3)
    common = {"branch": branch, "service_type": service, "customer": customer, "slot": slot,
              "start": at(10, 0, day), "end": at(10, 30, day)}
    Appointment.objects.create(**common, code=booking_code_new(), status=AppointmentStatus.COMPLETED,
                               checked_in_at=at(9, 58, day), checkin_timing=CheckInTiming.ON_TIME,
                               ticket=t[5])
    Appointment.objects.create(**common, code=booking_code_new(), status=AppointmentStatus.NO_SHOW,
                               no_show_at=at(10, 30, day))
    Appointment.objects.create(**common, code=booking_code_new(), status=AppointmentStatus.CANCELLED,
                               cancelled_at=at(8, 0, day))

    _work_order(branch, 1, kind=WorkOrderKind.COMPLAINT, received_at=at(11, 0, day))
    earlier = at(8, 0, day - dt.timedelta(days=3))
    _work_order(branch, 2, kind=WorkOrderKind.REQUEST, received_at=earlier,
                resolved_at=at(12, 0, day), resolution_due=at(13, 0, day))
    late = _work_order(branch, 3, kind=WorkOrderKind.REQUEST, received_at=earlier,
                       resolved_at=at(14, 0, day), resolution_due=at(13, 0, day))
    for n, score in enumerate([10, 9, 5]):
        wo = late if n == 0 else _work_order(branch, 10 + n, kind=WorkOrderKind.FOLLOW_UP,
                                             received_at=at(8, 0, day - dt.timedelta(days=5)))
        Survey.objects.create(work_order=wo, score=score, answered_at=at(15, n, day))

    for ticket, kind in ((t[1], service), (t[2], risky)):
        ServiceRecord.objects.create(ticket=ticket, branch=branch, counter=counter, teller=teller,
                                     service_type=kind, status=RecordStatus.FINISHED,
                                     started_at=ticket.serving_started_at, finished_at=ticket.finished_at,
                                     handling_seconds=ticket.handling_seconds, outcome=Outcome.DONE)
    return {"service": service, "teller": teller, "counter": counter, "tickets": t}


@pytest.fixture
def history(branch):
    return build_history(branch)
