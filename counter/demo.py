"""Demo data: the demo customer has already pre-filled the account-opening form at home, and the
customers of the morning's finished counter tickets have rated their visits."""

from django.db import transaction

from branches.models import Branch, ServiceType
from customers.demo import DEMO_CUSTOMER_PHONE
from customers.models import Customer
from queueing.demo import DEMO_BRANCH
from queueing.models import Ticket, TicketStatus
from queueing.state import business_date
from servicedesk.services import visit_survey_answer, visit_survey_invite

# Ratings of the morning's finished visits, in order; None: the customer never answered. Mostly 4–5;
# the low ones open follow-up work orders through the service desk, as a real answer does.
VISIT_RATINGS = [5, 4, 5, 2, None, 5, 4, 1, 5, None, 4, 5]
LOW_RATING_COMMENTS = {2: "等了很久才叫到号，窗口开得太少", 1: "柜员解释不清楚，来回跑了两趟才办好"}


def seed(*, stdout) -> None:
    _prefilled_form(stdout)
    _visit_ratings(stdout)


def _visit_ratings(stdout) -> None:
    """The queueing demo finishes its tickets without a counter service record, so each visit is
    named by its ticket; the survey is invited at the ticket's finish and answered now. Only
    today's visits: the demo month's past days rated theirs as they were played (insights), and
    their surveys have expired since."""

    branch = Branch.objects.filter(code=DEMO_BRANCH).first()
    if branch is None:
        return
    tickets = (Ticket.objects.filter(branch=branch, status=TicketStatus.DONE, finished_at__isnull=False,
                                     business_date=business_date(branch))
               .select_related("service_type", "customer").order_by("finished_at", "pk"))
    answered = follow_ups = 0
    for ticket, score in zip(tickets, VISIT_RATINGS, strict=False):
        survey = visit_survey_invite(
            visit_ref=f"queueing.Ticket:{ticket.pk}", branch=branch, customer=ticket.customer,
            service_name=ticket.service_type.name_zh_hans, ticket_number=ticket.number,
            now=ticket.finished_at)
        if score is None:
            continue
        survey = visit_survey_answer(survey=survey, score=score, comment=LOW_RATING_COMMENTS.get(score, ""))
        answered += 1
        follow_ups += survey.follow_up_id is not None
    stdout.write(f"counter: {answered} visits at {branch.code} rated on their e-receipts, "
                 f"{follow_ups} low rating(s) opened a follow-up work order.")


def _prefilled_form(stdout) -> None:
    from counter import services
    from counter.models import FormSource

    customer = Customer.objects.by_phone(DEMO_CUSTOMER_PHONE).first()
    service = ServiceType.objects.filter(code="ACCOUNT_OPENING").first()
    if customer is None or service is None or service.current_form_schema() is None:
        return
    values = {
        "full_name": customer.name,
        "id_number": customer.id_number,
        "phone": customer.phone,
        "address": "北京市东城区东长安街1号",
        "occupation": "employee",
    }
    with transaction.atomic():
        form = services.form_start(
            actor=customer.user,
            service_type=service,
            source=FormSource.CUSTOMER,
            customer=customer,
            branch=customer.home_branch,
        )
        services.form_save(actor=customer.user, form=form, values=values, submit=True)
    stdout.write(
        "counter: the demo customer has a submitted pre-filled form for 个人开户 (ACCOUNT_OPENING); "
        "take a remote ticket for it and call it at a counter to verify it."
    )
