"""Pages of home visits: the customer's request (phone first), the branch's list and schedule, and
the visiting staff's checklist on their phone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import staff_branches
from customers.models import Customer
from outreach import services
from outreach.access import SCHEDULERS, customer_of, is_staff, visit_for_user, visits_for_user
from outreach.forms import CancelForm, IdentityForm, PhotoForm, ScheduleForm, VisitRequestForm
from outreach.models import RequestChannel, VisitStatus


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('appointments:signin')}?next={request.path}")
    return None


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def visit_list(request):
    if (login := _signed_in(request)) is not None:
        return login
    if customer_of(request.user) is None and not is_staff(request.user):
        raise Http404
    staff = is_staff(request.user)
    rows = visits_for_user(request.user).order_by("-requested_at")
    if staff:
        rows = rows.filter(status__in=[*services.visits.OPEN, VisitStatus.COMPLETED]).order_by("due_by")
    return render(
        request, "outreach/visit_list.html", {"rows": rows[:100], "staff": staff, "now": timezone.now()}
    )


def visit_request(request):
    if (login := _signed_in(request)) is not None:
        return login
    staff = is_staff(request.user)
    customer = customer_of(request.user)
    if not staff and customer is None:
        raise Http404
    branches = staff_branches(request.user) if staff else None
    form = VisitRequestForm(request.POST or None, staff=staff, branches=branches)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if staff:
            customer = Customer.objects.by_phone(data["customer_phone"]).first()
            if customer is None:
                form.add_error("customer_phone", _("No customer with this phone number."))
        if customer is not None:
            try:
                visit = services.home_visit_request(
                    actor=request.user,
                    customer=customer,
                    branch=data["branch"],
                    service_type=data["service_type"],
                    eligibility=data["eligibility"],
                    reason=data["reason"],
                    address=data["address"],
                    channel=RequestChannel.STAFF if staff else RequestChannel.PHONE,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("Your request is received. The branch will call you to agree a time.")
                )
                return redirect("outreach:detail", pk=visit.pk)
    return render(request, "outreach/visit_request.html", {"form": form, "staff": staff})


def visit_detail(request, pk: int):
    if (login := _signed_in(request)) is not None:
        return login
    visit = visit_for_user(request.user, pk)
    staff = is_staff(request.user)
    may_schedule = staff and request.user.staff_profile.role in SCHEDULERS
    form = ScheduleForm(request.POST or None, branch=visit.branch) if may_schedule else None
    if request.method == "POST" and form is not None and form.is_valid():
        visit = visit_for_user(request.user, pk, schedule=True)
        try:
            services.home_visit_schedule(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The visit is scheduled."))
            return redirect("outreach:detail", pk=visit.pk)
    context = {
        "visit": visit,
        "staff": staff,
        "form": form,
        "cancel_form": CancelForm(),
        "is_visitor": request.user.pk in (visit.lead_staff_id, visit.second_staff_id),
        "overdue": visit.status in services.visits.OPEN and timezone.now() > visit.due_by,
    }
    return render(request, "outreach/visit_detail.html", context)


@require_POST
def visit_cancel(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    visit = visit_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.home_visit_cancel(actor=request.user, visit=visit, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The home visit is cancelled."))
    else:
        messages.error(request, _("Please say why the visit is cancelled."))
    return redirect("outreach:detail", pk=visit.pk)


def checklist(request, pk: int):
    """The visiting staff's phone page: start, identity, photos, the customer's signature."""
    if (login := _signed_in(request)) is not None:
        return login
    visit = visit_for_user(request.user, pk)
    if request.user.pk not in (visit.lead_staff_id, visit.second_staff_id):
        raise Http404
    identity_form = IdentityForm(initial={"method": visit.identity_method})
    photo_form = PhotoForm()
    error = None
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "start":
                services.home_visit_start(actor=request.user, visit=visit)
            elif step == "identity":
                identity_form = IdentityForm(request.POST)
                if identity_form.is_valid():
                    services.home_visit_verify_identity(
                        actor=request.user, visit=visit, **identity_form.cleaned_data
                    )
                else:
                    raise ValidationError(_("Please correct the marked fields."))
            elif step == "photo":
                photo_form = PhotoForm(request.POST, request.FILES)
                if photo_form.is_valid():
                    upload = photo_form.cleaned_data["photo"]
                    services.home_visit_add_photo(
                        actor=request.user,
                        visit=visit,
                        kind=photo_form.cleaned_data["kind"],
                        data=upload.read(),
                    )
                else:
                    raise ValidationError(_("Please correct the marked fields."))
            elif step == "complete":
                services.home_visit_complete(
                    actor=request.user, visit=visit, signature_data_url=request.POST.get("signature", "")
                )
                messages.success(
                    request, _("Visit completed. The business is recorded and the customer gets a receipt.")
                )
                return redirect("outreach:detail", pk=visit.pk)
            return redirect("outreach:checklist", pk=visit.pk)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        visit.refresh_from_db()
    context = {
        "visit": visit,
        "identity_form": identity_form,
        "photo_form": photo_form,
        "error": error,
        "photos": visit.photos.all(),
    }
    return render(request, "outreach/checklist.html", context, status=400 if error else 200)
