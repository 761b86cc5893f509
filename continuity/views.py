"""Pages of the fraud emergency path: the customer's report and case page on the phone, the
branch's list and case page, and the teller console's panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.views import customer_required
from branches.access import role_required, user_role
from branches.models import Branch
from compliance.models import AuditEvent
from continuity import services
from continuity.access import (
    CASE_HANDLERS,
    CASE_READERS,
    customer_of,
    fraud_case_for_user,
    fraud_cases_for_user,
)
from continuity.forms import FraudReportForm, IdentifyForm
from continuity.models import CoreOperation, CoreRequest, FraudChannel
from counter.access import CONSOLE, COUNTER_ROLES
from customers.models import Customer
from queueing.access import counter_for_user
from queueing.models import Ticket, TicketStatus

STEP_LABELS = {
    "continuity.fraud_case.open": gettext_lazy("Fraud reported"),
    "continuity.fraud_case.identify": gettext_lazy("Customer identified"),
    "continuity.core_request.attempt": gettext_lazy("Sent to core banking"),
    "continuity.core_request.fail": gettext_lazy("Core banking did not answer; will retry"),
    "continuity.core_request.refused": gettext_lazy("Core banking refused"),
    "continuity.core_request.confirm": gettext_lazy("Core banking confirmed"),
    "continuity.core_request.resend": gettext_lazy("Sent again by staff"),
    "continuity.fraud_case.escalate": gettext_lazy("Escalated"),
    "continuity.fraud_case.inform": gettext_lazy("Customer informed by text"),
}


def _clocks(case, now) -> list[dict]:
    return [
        {"label": CoreOperation(op).label, "due": due, "done": done, "state": case.clock_state(op, now)}
        for op, due, done in (
            (CoreOperation.FREEZE_CARD, case.freeze_due_at, case.frozen_at),
            (CoreOperation.DISPUTE_HOLD, case.hold_due_at, case.held_at),
        )
    ]


def _form_errors_to(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# The customer, on the phone -------------------------------------------------------------------------


@customer_required
@require_http_methods(["GET", "POST"])
def report(request):
    customer = customer_of(request.user)
    form = FraudReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        branch = customer.home_branch or _any_branch()
        try:
            case = services.fraud_case_open(
                actor=request.user,
                branch=branch,
                customer=customer,
                channel=FraudChannel.PHONE,
                description=form.cleaned_data["description"],
                amount=form.cleaned_data["amount"],
            )
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            return redirect("continuity:my-case", ref=case.ref)
    return render(request, "continuity/report.html", {"form": form}, status=400 if form.errors else 200)


def _any_branch():
    return Branch.objects.filter(is_active=True).order_by("code").first()


@customer_required
@require_GET
def my_case(request, ref):
    case = fraud_case_for_user(request.user, ref)
    template = "continuity/_my_case_status.html" if request.htmx else "continuity/my_case.html"
    return render(request, template, {"case": case, "clocks": _clocks(case, timezone.now())})


# The branch ------------------------------------------------------------------------------------------


@role_required(*CASE_READERS)
@require_GET
def case_list(request):
    now = timezone.now()
    cases = fraud_cases_for_user(request.user).order_by("-reported_at")[:100]
    rows = [{"case": case, "clocks": _clocks(case, now)} for case in cases]
    template = "continuity/_case_rows.html" if request.htmx else "continuity/case_list.html"
    return render(request, template, {"rows": rows})


@role_required(*CASE_READERS)
@require_GET
def case_detail(request, ref):
    case = fraud_case_for_user(request.user, ref)
    return render(request, "continuity/case_detail.html", _detail_context(request, case))


def _detail_context(request, case, identify_form=None) -> dict:
    requests = CoreRequest.objects.filter(case=case).order_by("-operation")  # the freeze first
    request_ids = [str(pk) for pk in requests.values_list("pk", flat=True)]
    trail = AuditEvent.objects.filter(
        Q(object_type="continuity.fraudcase", object_id=str(case.pk))
        | Q(object_type="continuity.corerequest", object_id__in=request_ids),
        chain=case.branch.code,
    ).order_by("seq")
    for event in trail:
        event.label = STEP_LABELS.get(event.action, event.action)
    return {
        "case": case,
        "core_requests": requests,
        "clocks": _clocks(case, timezone.now()),
        "trail": trail,
        "identify_form": identify_form or IdentifyForm(),
        "may_act": _may_act(request.user),
    }


def _may_act(user) -> bool:
    return user_role(user) in CASE_HANDLERS


@role_required(*CASE_HANDLERS)
@require_POST
def case_identify(request, ref):
    case = fraud_case_for_user(request.user, ref, write=True)
    form = IdentifyForm(request.POST)
    if form.is_valid():
        customer = Customer.objects.filter(customer_no=form.cleaned_data["customer_no"].strip()).first()
        if customer is None:
            form.add_error("customer_no", _("No customer has this number."))
        else:
            try:
                services.fraud_case_identify(actor=request.user, case=case, customer=customer)
            except ValidationError as error:
                _form_errors_to(form, error)
            else:
                messages.success(request, _("Customer identified: the card freeze is on its way."))
                return redirect("continuity:case", ref=case.ref)
    return render(request, "continuity/case_detail.html", _detail_context(request, case, form), status=400)


@role_required(*CASE_HANDLERS)
@require_POST
def core_request_resend(request, ref, request_id):
    case = fraud_case_for_user(request.user, ref, write=True)
    core_request = CoreRequest.objects.filter(case=case, pk=request_id).first()
    if core_request is None:
        raise Http404("no such request")
    try:
        services.core_request_resend(actor=request.user, core_request=core_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("continuity:case", ref=case.ref)


# The teller console's panel ------------------------------------------------------------------------


def _serving_customer(point):
    ticket = (
        Ticket.objects.filter(counter=point, status__in=(TicketStatus.CALLED, TicketStatus.SERVING))
        .select_related("customer")
        .first()
    )
    return ticket.customer if ticket is not None else None


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
def console_panel(request, point_id):
    point = counter_for_user(request.user, point_id, write=request.method == "POST", **CONSOLE)
    customer = _serving_customer(point)
    form = FraudReportForm(request.POST or None)
    status, opened = 200, None
    if request.method == "POST":
        if customer is None:
            form.add_error(None, _("Call the customer first: the freeze needs to know whose cards."))
        elif form.is_valid():
            try:
                case = services.fraud_case_open(
                    actor=request.user,
                    branch=point.branch,
                    customer=customer,
                    channel=FraudChannel.COUNTER,
                    description=form.cleaned_data["description"],
                    amount=form.cleaned_data["amount"],
                )
            except ValidationError as error:
                _form_errors_to(form, error)
            else:
                opened = case
                form = FraudReportForm()
        status = 400 if form.errors else 200
    now = timezone.now()
    open_cases = fraud_cases_for_user(request.user).filter(branch=point.branch, held_at__isnull=True)[:10]
    return render(
        request,
        "continuity/_console_panel.html",
        {
            "point": point,
            "customer": customer,
            "form": form,
            "opened": opened,
            "rows": [{"case": case, "clocks": _clocks(case, now)} for case in open_cases],
        },
        status=status,
    )
