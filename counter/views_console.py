"""The teller console: open a counter, work its tickets, verify the pre-filled form, finish."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from branches.access import role_required, staff_branches, user_role
from branches.models import ServicePoint, ServiceType
from branches.points import HOME_VISIT_CODE
from compliance.checks import RULES
from counter import (
    access,
    forms_ui,
    formschema,
    identity,
    measures,
    panel,
    playbook,
    services,
    verification,
    visits,
)
from counter.access import COUNTER_ROLES
from counter.models import (
    AgentRelationship,
    ExceptionKind,
    Outcome,
    RecordStatus,
    ServiceRecord,
    Step,
    VerificationOutcome,
)
from customers.access import customer_for_user
from queueing import services as queueing
from queueing.access import counter_for_user
from queueing.errors import TicketStateError
from queueing.models import CounterSession, Ticket, TicketStatus

teller_required = role_required(*COUNTER_ROLES)
ACTIONS = ("open", "pause", "close", "call_next", "recall", "start", "no_show", "park", "transfer")


@teller_required
@require_GET
def console_home(request):
    points = (
        ServicePoint.objects.filter(branch__in=staff_branches(request.user), kind=ServicePoint.Kind.COUNTER)
        .exclude(code=HOME_VISIT_CODE)
        .select_related("branch", "zone")
        .order_by("branch__code", "code")
    )
    mine = CounterSession.objects.current().filter(teller=request.user).first()
    if mine is not None:
        return redirect("counter:console", mine.counter_id)
    return render(request, "counter/console_home.html", {"points": points})


def _current_ticket(point) -> Ticket | None:
    return (
        Ticket.objects.filter(counter=point, status__in=(TicketStatus.CALLED, TicketStatus.SERVING))
        .select_related("service_type", "customer", "branch")
        .first()
    )


def _session(point, user) -> CounterSession | None:
    return CounterSession.objects.current().filter(counter=point, teller=user).first()


def _panel_context(point, user) -> dict:
    """Everything the console's current-ticket panel shows."""
    return {
        "point": point,
        "session": _session(point, user),
        **_current_context(point, user),
        **_transfer_context(point),
    }


@teller_required
@require_GET
def console(request, point_id):
    point = counter_for_user(request.user, point_id, **access.CONSOLE)
    context = {**_panel_context(point, request.user), **_measure_context(request.user)}
    return render(request, "counter/console.html", context)


@teller_required
@require_GET
def console_current(request, point_id):
    point = counter_for_user(request.user, point_id, **access.CONSOLE)
    return render(request, "counter/_current.html", _panel_context(point, request.user))


@teller_required
@require_GET
def console_measures(request, point_id):
    counter_for_user(request.user, point_id, **access.CONSOLE)
    return render(request, "counter/_measures.html", _measure_context(request.user))


def _measure_context(user) -> dict:
    return {"day": measures.teller_day(user, timezone.localdate())}


def _transfer_context(point) -> dict:
    counters = (
        ServicePoint.objects.filter(branch=point.branch)
        .exclude(pk=point.pk)
        .exclude(kind=ServicePoint.Kind.KIOSK)
        .exclude(code=HOME_VISIT_CODE)
        .order_by("code")
    )
    colleagues = (
        CounterSession.objects.current()
        .filter(counter__branch=point.branch)
        .exclude(counter=point)
        .select_related("teller", "counter")
    )
    queues = sorted(set(point.branch.zones.values_list("ticket_prefix", flat=True)))
    return {"transfer_counters": counters, "transfer_colleagues": colleagues, "transfer_queues": queues}


def _current_context(point, user) -> dict:
    ticket = _current_ticket(point)
    if ticket is None:
        return {"ticket": None}
    record = (
        ServiceRecord.objects.filter(ticket=ticket, status=RecordStatus.IN_PROGRESS)
        .select_related("form__schema", "customer", "service_type")
        .first()
    )
    context = {
        "ticket": ticket,
        "record": record,
        "waited_seconds": ticket.actual_wait_seconds,
        "customer_panel": panel.customer_panel(ticket.customer),
        "cards": panel.knowledge_cards(ticket.service_type, forms_ui.language()),
        "target_seconds": playbook.complexity_target_seconds(ticket.service_type),
    }
    if record is not None:
        context.update(_record_context(record))
        context["lines"] = visits.visit_lines(ticket)
        context["line_services"] = ServiceType.objects.filter(is_active=True).order_by("code")
    return context


def _record_context(record: ServiceRecord) -> dict:
    steps = {s.step: s for s in record.steps.all()}
    checks = verification.latest_checks(record.form)
    pending = verification.pending_fields(record, checks)
    results = services.compliance_results(record)
    blocks = {r.rule for r in services.compliance_blocks(record, results)}
    return {
        "rows": forms_ui.rows(record.form.fields, record.form.values, verifications=checks)
        if record.form
        else [],
        "pending": pending,
        "identity": identity.check(record),
        "agent_relationships": AgentRelationship.choices,
        "pending_labels": verification.field_labels(record, pending, forms_ui.language()),
        "steps": [(value, label, steps.get(value)) for value, label in Step.choices],
        "next_step": playbook.next_step(record.current_step),
        "exceptions": [(kind, label, playbook.EXCEPTIONS[kind]) for kind, label in ExceptionKind.choices],
        "compliance": [(_rule_title(r.rule), r, r.rule in blocks) for r in results],
        "blocked": bool(blocks),
        "outcomes": Outcome.choices,
        "corrected": VerificationOutcome.CORRECTED,
    }


def _rule_title(code: str) -> str:
    rule = RULES.get(code)
    if rule is None:
        return code
    return rule.title_en if forms_ui.language() == "en" else rule.title_zh_hans


def _refresh(request, point, error: str = "", status: int = 200, notice: str = ""):
    """htmx gets the refreshed current panel; a plain form post goes back to the console."""
    if request.htmx:
        context = {**_panel_context(point, request.user), "error": error, "notice": notice}
        response = render(request, "counter/_current.html", context, status=status)
        response["HX-Trigger"] = "counter-measures"
        return response
    if error:
        messages.error(request, error)
    if notice:
        messages.info(request, notice)
    return redirect("counter:console", point.pk)


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


@teller_required
@require_POST
def console_action(request, point_id, action):
    point = counter_for_user(request.user, point_id, write=True, **access.CONSOLE)
    if action not in ACTIONS:
        return HttpResponse(status=404)
    try:
        _do(request, point, action)
    except services.FormInvalid as error:
        return _refresh(request, point, _form_error_text(error.errors), status=400)
    except ValidationError as error:
        status = 409 if isinstance(error, TicketStateError) else 400
        if action in ("open", "pause", "close") and not request.htmx:
            messages.error(request, _message(error))
            return redirect("counter:console", point.pk)
        return _refresh(request, point, _message(error), status=status)
    if action in ("open", "pause", "close") or not request.htmx:
        return (
            redirect("counter:console", point.pk) if action != "close" else redirect("counter:console-home")
        )
    return _refresh(request, point)


def _do(request, point, action: str) -> None:
    user, post = request.user, request.POST
    if action == "open":
        queueing.counter_open(actor=user, counter=point)
    elif action == "pause":
        queueing.counter_pause(actor=user, counter=point, reason=post.get("reason", ""))
    elif action == "close":
        queueing.counter_close(actor=user, counter=point)
    elif action == "call_next":
        queueing.ticket_call_next(actor=user, counter=point)
    else:
        ticket = _current_ticket(point)
        if ticket is None:
            raise TicketStateError(str(formschema.MESSAGES["no_ticket"]))
        _ticket_action(request, point, ticket, action)


def _ticket_action(request, point, ticket, action: str) -> None:
    user, post = request.user, request.POST
    if action == "recall":
        queueing.ticket_recall(actor=user, ticket=ticket)
    elif action == "start":
        services.service_start(actor=user, ticket=ticket, counter=point)
    elif action == "no_show":
        queueing.ticket_no_show(actor=user, ticket=ticket)
    elif action == "park":
        queueing.ticket_park(actor=user, ticket=ticket, note=post.get("note", ""))
    elif action == "transfer":
        services.service_transfer(
            actor=user, ticket=ticket, note=post.get("note", ""), **_transfer_target(point, post)
        )


def _transfer_target(point, post) -> dict:
    """To a queue, a counter, or a colleague (who is at their open counter)."""
    if post.get("colleague"):
        colleague = get_object_or_404(get_user_model(), pk=post["colleague"])
        session = (
            CounterSession.objects.current().filter(teller=colleague, counter__branch=point.branch).first()
        )
        if session is None:
            raise ValidationError({"colleague": [str(formschema.MESSAGES["colleague_away"])]})
        return {"counter": session.counter}
    if post.get("counter"):
        return {"counter": get_object_or_404(ServicePoint, pk=post["counter"], branch=point.branch)}
    return {"queue": post.get("queue", "")}


# --- the service record: verify, steps, exceptions, signature, finish -------------------------


def _record_action(request, record_id, do):
    record = access.record_for_user(request.user, record_id, write=True)
    try:
        do(record)
    except services.FormInvalid as error:
        return _refresh(request, record.counter, _form_error_text(error.errors), status=400)
    except ValidationError as error:
        return _refresh(request, record.counter, _message(error), status=409)
    return _refresh(request, record.counter)


def _form_error_text(errors: dict[str, list[str]]) -> str:
    """One line for the console; the per-field messages (`form.<field>`) show on their rows."""
    return " ".join(sum((m for key, m in errors.items() if not key.startswith("form.")), []))


@teller_required
@require_POST
def record_verify(request, record_id):
    """Confirm a field as filled, or correct it (`value`); a correction keeps the old value."""

    def do(record):
        if record.form is None:
            raise services.FormInvalid({"field": [str(formschema.MESSAGES["no_form"])]})
        value = request.POST.get("value") if request.POST.get("correct") else None
        services.form_verify_field(
            actor=request.user,
            form=record.form,
            field_name=request.POST.get("field", ""),
            corrected_value=value,
        )

    return _record_action(request, record_id, do)


@teller_required
@require_POST
def record_agent(request, record_id):
    """Record the person at the counter as an agent (代办) for the form's holder."""
    return _record_action(
        request,
        record_id,
        lambda record: services.record_agent(
            actor=request.user,
            record=record,
            name=request.POST.get("agent_name", ""),
            id_number=request.POST.get("agent_id_number", ""),
            relationship=request.POST.get("agent_relationship", ""),
        ),
    )


LINE_ACTIONS = ("add", "change", "remove")


@teller_required
@require_POST
def record_line(request, record_id, action):
    """The visit's service lines in place: add a service, change this line's service, remove a line."""
    if action not in LINE_ACTIONS:
        return HttpResponse(status=404)

    def do(record):
        if action == "remove":
            visits.visit_remove_line(actor=request.user, record=record)
            return
        service_type = ServiceType.objects.filter(pk=request.POST.get("service_type") or None).first()
        if service_type is None:
            raise services.FormInvalid({"service_type": [str(formschema.MESSAGES["required"])]})
        change = visits.visit_add_line if action == "add" else visits.visit_change_line
        change(actor=request.user, record=record, service_type=service_type)

    return _record_action(request, record_id, do)


@teller_required
@require_POST
def record_form(request, record_id):
    return _record_action(
        request, record_id, lambda record: services.record_start_form(actor=request.user, record=record)
    )


@teller_required
@require_POST
def record_step(request, record_id):
    return _record_action(
        request,
        record_id,
        lambda record: services.record_step(
            actor=request.user, record=record, step=request.POST.get("step", "")
        ),
    )


@teller_required
@require_POST
def record_exception(request, record_id):
    return _record_action(
        request,
        record_id,
        lambda record: services.record_exception(
            actor=request.user,
            record=record,
            kind=request.POST.get("kind", ""),
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
        ),
    )


@teller_required
@require_POST
def record_signature(request, record_id):
    """Ask the customer to sign on their phone, or take the signature from the counter's pad."""

    def do(record):
        if request.POST.get("signature"):
            services.record_sign(actor=request.user, record=record, data_url=request.POST["signature"])
        else:
            services.record_request_signature(actor=request.user, record=record)

    return _record_action(request, record_id, do)


@teller_required
@require_POST
def record_finish(request, record_id):
    return _record_action(
        request,
        record_id,
        lambda record: services.record_finish(
            actor=request.user,
            record=record,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
            referred_to=request.POST.get("referred_to", ""),
        ),
    )


@teller_required
@require_POST
def record_ask_override(request, record_id):
    record = access.record_for_user(request.user, record_id, write=True)
    try:
        asked = services.record_ask_override(actor=request.user, record=record)
    except services.FormInvalid as error:
        return _refresh(request, record.counter, _form_error_text(error.errors), status=400)
    notice = formschema.MESSAGES["override_requested"] % {"count": asked}
    return _refresh(request, record.counter, notice=str(notice))


@role_required(*access.SUPERVISOR_ROLES)
@require_POST
def record_override(request, record_id):
    """A supervisor lets the teller finish although some pre-filled fields were not checked."""
    record = access.record_for_supervisor(request.user, record_id)
    try:
        services.record_override_verification(
            actor=request.user, record=record, reason=request.POST.get("reason", "")
        )
    except services.FormInvalid as error:
        return record_detail_page(request, record, error=_form_error_text(error.errors), status=400)
    messages.success(request, str(OVERRIDE_DONE))
    return redirect("counter:record-detail", record.pk)


OVERRIDE_DONE = formschema.MESSAGES["override_done"]


@role_required(*COUNTER_ROLES, *access.READER_ROLES)
@require_GET
def record_detail(request, record_id):
    return record_detail_page(request, access.record_for_user(request.user, record_id))


def record_detail_page(request, record, *, error: str = "", status: int = 200):
    verifications = list(record.form.verifications.select_related("by")) if record.form else []
    fields = record.form.fields if record.form else []
    pending = verification.pending_fields(record) if record.status == RecordStatus.IN_PROGRESS else []
    return render(
        request,
        "counter/record_detail.html",
        {
            "record": record,
            "error": error,
            "pending_labels": verification.field_labels(record, pending, forms_ui.language()),
            "may_override": bool(pending) and user_role(request.user) in access.SUPERVISOR_ROLES,
            "steps": record.steps.all(),
            "verifications": verifications,
            "filled": forms_ui.rows(fields, record.filled_values),
            "verified": forms_ui.rows(fields, record.verified_values),
            "receipt": getattr(record, "receipt", None),
        },
        status=status,
    )


@role_required(*COUNTER_ROLES, *access.READER_ROLES)
@require_GET
def customer_detail(request, customer_id):
    """The 360-degree panel of a customer the user may open (their branch's, or with business today)."""
    customer = customer_for_user(request.user, customer_id)
    return render(request, "counter/customer_detail.html", {"customer_panel": panel.customer_panel(customer)})
