"""Pages: staff queues and work orders, heads' breaches, reports; the customer's complaints; surveys."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import role_required, staff_branches, user_role
from branches.models import Branch, Department
from branches.roles import STAFF_ROLES, Role
from customers.models import Customer
from servicedesk import reports, services, sla
from servicedesk.access import (
    HEADS,
    WRITERS,
    customer_of,
    survey_for_token,
    visit_survey_for_token,
    work_order_for_customer,
    work_order_for_user,
    work_orders_for_user,
)
from servicedesk.forms import (
    AttachmentForm,
    CommentForm,
    CustomerComplaintForm,
    StaffWorkOrderForm,
    SurveyForm,
    TextForm,
    VisitSurveyForm,
)
from servicedesk.models import (
    Category,
    Channel,
    Escalation,
    Level,
    Notification,
    Status,
    Update,
    WorkOrder,
    WorkOrderKind,
)

STAFF = tuple(STAFF_ROLES)
QUEUE_LIMIT = 200


def _with_clocks(work_orders, now):
    calendar = sla.business_calendar()
    rows = []
    for work_order in work_orders:
        clocks = sla.clock_views(work_order, now, calendar=calendar)
        worst = max((c.percent for c in clocks), default=0)
        rows.append({"wo": work_order, "clocks": clocks, "worst": worst})
    # Most urgent first: priority, then the clock closest to (or furthest past) its deadline.
    rows.sort(key=lambda r: (r["wo"].priority_rank, -r["worst"], r["wo"].received_at))
    return rows


@role_required(*STAFF)
def queue(request):
    orders = work_orders_for_user(request.user).active().with_relations().prefetch_related("pauses")
    departments = Department.objects.filter(pk__in=orders.values("department_id"))
    department = request.GET.get("department", "")
    if department.isdigit():
        orders = orders.filter(department_id=int(department))
    if request.GET.get("mine"):
        orders = orders.filter(assignee=request.user)
    rows = _with_clocks(orders[:QUEUE_LIMIT], timezone.now())
    template = "servicedesk/_queue_rows.html" if request.htmx else "servicedesk/queue.html"
    return render(request, template, {"rows": rows, "departments": departments, "department": department})


def _customer_by_number(number: str) -> Customer | None:
    return Customer.objects.filter(customer_no=number.strip()).first() if number.strip() else None


@role_required(*WRITERS)
def work_order_new(request):
    form = StaffWorkOrderForm(request.POST or None, branches=staff_branches(request.user).order_by("code"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        customer = _customer_by_number(data["customer_no"])
        branch = data["branch"]
        if data["customer_no"] and customer is None:
            form.add_error("customer_no", _("No customer with this number."))
        else:
            try:
                work_order = services.work_order_create(
                    actor=request.user,
                    kind=data["kind"],
                    channel=data["channel"],
                    branch=branch,
                    description=data["description"],
                    customer=customer,
                    category=data["category"],
                    department=data["department"],
                    priority=data["priority"],
                    complex_case=data["complex_case"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("servicedesk:work-order", pk=work_order.pk)
    return render(
        request, "servicedesk/work_order_new.html", {"form": form}, status=400 if form.errors else 200
    )


@role_required(*STAFF)
def work_order_detail(request, pk: int):
    work_order = work_order_for_user(request.user, pk)
    now = timezone.now()
    context = {
        "wo": work_order,
        "clocks": sla.clock_views(work_order, now),
        "updates": work_order.updates.select_related("author"),
        "attachments": work_order.attachments.all(),
        "escalations": work_order.escalations.all(),
        "can_write": user_role(request.user) in WRITERS,
        "can_extend": user_role(request.user) in services.EXTENSION_APPROVERS,
        "categories": Category.objects.filter(level=3).select_related("parent__parent"),
        "assignable": get_user_model().objects.filter(
            staff_profile__role__in=[Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD],
            staff_profile__department=work_order.department_id,
        ),
        "comment_form": CommentForm(),
        "text_form": TextForm(),
        "attachment_form": AttachmentForm(),
        "survey": getattr(work_order, "survey", None),
        "visit_survey": getattr(work_order, "visit_survey", None),
    }
    return render(request, "servicedesk/work_order_detail.html", context)


def _run_action(request, work_order: WorkOrder, action: str):
    post, actor = request.POST, request.user
    text = post.get("text", "")
    if action == "comment":
        form = CommentForm(post)
        if not form.is_valid():
            raise ValidationError(form.errors.get("body", [_("Write something.")])[0])
        services.work_order_comment(
            actor=actor,
            work_order=work_order,
            body=form.cleaned_data["body"],
            customer_visible=form.cleaned_data["customer_visible"],
        )
    elif action == "assign":
        assignee = (
            get_user_model().objects.filter(pk=post.get("assignee") or 0, staff_profile__isnull=False).first()
        )
        if assignee is None:
            raise ValidationError(_("Choose a staff member."))
        services.work_order_assign(actor=actor, work_order=work_order, assignee=assignee, reason=text)
    elif action == "categorize":
        category = Category.objects.filter(pk=post.get("category") or 0).first()
        if category is None:
            raise ValidationError(_("Choose a category."))
        services.work_order_categorize(actor=actor, work_order=work_order, category=category)
    elif action == "wait":
        services.work_order_wait_for_customer(actor=actor, work_order=work_order, message=text)
    elif action == "resume":
        services.work_order_resume(actor=actor, work_order=work_order)
    elif action == "resolve":
        services.work_order_resolve(actor=actor, work_order=work_order, resolution=text)
    elif action == "close":
        services.work_order_close(actor=actor, work_order=work_order)
    elif action == "reopen":
        services.work_order_reopen(actor=actor, work_order=work_order, reason=text)
    elif action == "merge":
        into = work_orders_for_user(actor).filter(number=post.get("into", "").strip()).first()
        if into is None:
            raise ValidationError(_("No work order with this number."))
        services.work_order_merge(actor=actor, duplicate=work_order, into=into)
    elif action == "extend":
        services.work_order_extend(actor=actor, work_order=work_order, reason=text)
    elif action == "attach":
        form = AttachmentForm(post, request.FILES)
        if not form.is_valid():
            raise ValidationError(_("Choose a file."))
        services.attachment_add(
            actor=actor,
            work_order=work_order,
            file=form.cleaned_data["file"],
            customer_visible=form.cleaned_data["customer_visible"],
        )
    else:
        raise Http404("no such action")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
@role_required(*WRITERS)
def work_order_action(request, pk: int, action: str):
    work_order = work_order_for_user(request.user, pk, write=True)
    try:
        _run_action(request, work_order, action)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return (
            redirect("servicedesk:work-order", pk=pk)
            if not request.htmx
            else HttpResponse(_error_text(error), status=400)
        )
    messages.success(request, _("Saved."))
    return redirect("servicedesk:work-order", pk=pk)


@role_required(*HEADS, Role.COMPLIANCE_OFFICER)
def breaches(request):
    visible = work_orders_for_user(request.user).active()
    escalations = (
        Escalation.objects.filter(work_order__in=visible, level__gte=Level.DEPARTMENT_HEAD)
        .select_related("work_order__branch", "work_order__department", "work_order__assignee")
        .order_by("-level", "due_at")[:QUEUE_LIMIT]
    )
    return render(request, "servicedesk/breaches.html", {"escalations": escalations})


def _report_period(request) -> tuple[dt.datetime, dt.datetime]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today - dt.timedelta(days=30)
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


@role_required(*HEADS, Role.COMPLIANCE_OFFICER, Role.LOBBY_MANAGER)
def report(request):
    start, end = _report_period(request)
    data = reports.build(branches=staff_branches(request.user), start=start, end=end)
    if request.GET.get("format") == "csv":
        response = HttpResponse(reports.as_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="servicedesk-report.csv"'
        return response
    return render(
        request,
        "servicedesk/report.html",
        {"report": data, "start": start.date(), "end": (end - dt.timedelta(days=1)).date()},
    )


@role_required(*STAFF)
def notifications(request):
    if request.method == "POST":
        services.notification_read(user=request.user, notification_id=int(request.POST.get("id", 0) or 0))
        return redirect("servicedesk:notifications")
    items = Notification.objects.filter(user=request.user).select_related("work_order")[:100]
    return render(request, "servicedesk/notifications.html", {"items": items})


# Customer pages --------------------------------------------------------------------------------


def _require_customer(request) -> Customer:
    customer = customer_of(request.user)
    if customer is None:
        raise PermissionDenied
    return customer


@login_required
def my_work_orders(request):
    customer = _require_customer(request)
    orders = (
        customer.work_orders.exclude(status=Status.MERGED).select_related("category").order_by("-received_at")
    )
    return render(request, "servicedesk/my_list.html", {"orders": orders})


@login_required
def my_complaint_new(request):
    customer = _require_customer(request)
    form = CustomerComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        branch = customer.home_branch or _any_branch()
        if branch is None:
            form.add_error(None, _("Complaints cannot be received right now; please call us."))
        else:
            work_order = services.work_order_create(
                actor=request.user,
                kind=WorkOrderKind.COMPLAINT,
                channel=Channel.WEB,
                branch=branch,
                customer=customer,
                description=form.cleaned_data["description"],
                attachments=[form.cleaned_data["file"]] if form.cleaned_data["file"] else [],
            )
            messages.success(
                request,
                _("Thank you. Your complaint %(number)s was received.") % {"number": work_order.number},
            )
            return redirect("servicedesk:my-work-order", pk=work_order.pk)
    return render(request, "servicedesk/my_new.html", {"form": form}, status=400 if form.errors else 200)


def _any_branch():
    return Branch.objects.filter(is_active=True).order_by("code").first()


@login_required
def my_work_order(request, pk: int):
    _require_customer(request)
    work_order = work_order_for_customer(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reopen":
                services.work_order_reopen(
                    actor=request.user, work_order=work_order, reason=request.POST.get("text", "")
                )
            else:
                services.work_order_comment(
                    actor=request.user,
                    work_order=work_order,
                    body=request.POST.get("text", ""),
                    customer_visible=True,
                )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("servicedesk:my-work-order", pk=pk)
    context = {
        "wo": work_order,
        "updates": work_order.updates.filter(visibility=Update.Visibility.CUSTOMER),
        "attachments": work_order.attachments.filter(customer_visible=True),
        "survey": getattr(work_order, "survey", None),
        "can_reopen": work_order.status in (Status.RESOLVED, Status.CLOSED)
        and work_order.resolved_at
        and timezone.now() - work_order.resolved_at <= services.REOPEN_WINDOW,
    }
    return render(request, "servicedesk/my_detail.html", context)


def survey(request, token: str):
    """The survey link from the SMS; the token is the key, so no sign-in is needed."""
    survey = survey_for_token(token)
    form = SurveyForm(request.POST or None)
    if survey.answered_at is None and request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                survey=survey,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                actor=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("servicedesk:survey", token=token)
    survey.refresh_from_db()
    return render(
        request,
        "servicedesk/survey.html",
        {"survey": survey, "form": form},
        status=400 if form.errors else 200,
    )


CLOSED_STATUS = {"answered": 409, "expired": 410}


def visit_survey(request, token: str):
    """The rating of a service visit: shown on the e-receipt (htmx posts here) and on its own.

    The token is the key, so no sign-in is needed. Bad input is a 400, a second answer a 409 and
    an expired survey a 410, each with the survey re-rendered and its message."""
    survey = visit_survey_for_token(token)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = VisitSurveyForm(request.POST or None)
    message, status = "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.visit_survey_answer(
                    survey=survey,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    actor=request.user,
                )
            except services.SurveyClosed as closed:
                message, status = closed.messages[0], CLOSED_STATUS[closed.code]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if not request.htmx:
                    return redirect(next_url or request.path)
                status = 200
        survey.refresh_from_db()
    context = {"survey": survey, "form": form, "message": message, "next_url": next_url}
    if request.htmx:
        return render(request, "servicedesk/_visit_survey_partial.html", context, status=status)
    return render(request, "servicedesk/visit_survey.html", context, status=status)
