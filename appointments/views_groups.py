"""Pages of recurring series, group sessions (classes) and the personal calendar feed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments import feed, groups, series
from appointments.access import branch_for_lobby, customer_of, group_session_for_user, series_for_user
from appointments.forms import GroupSessionForm, SeriesForm
from appointments.models import (
    AppointmentSeries,
    GroupParticipant,
    GroupSession,
    GroupSessionStatus,
    ParticipantStatus,
)
from appointments.services import BookingError
from branches.access import role_required, user_role
from branches.models import Branch
from branches.roles import BRANCH_SERVICE_ROLES, Role
from customers.models import Customer

SERVING = tuple(BRANCH_SERVICE_ROLES)


def _customer_or_staff(request):
    role = user_role(request.user)
    if role == Role.CUSTOMER and customer_of(request.user) is not None:
        return False
    if role in BRANCH_SERVICE_ROLES:
        return True
    raise Http404


# --- recurring series -----------------------------------------------------------------------------


def series_new(request):
    if not request.user.is_authenticated:
        return redirect(f"{_signin()}?next={request.get_full_path()}")
    staff = _customer_or_staff(request)
    if staff:
        branch = branch_for_lobby(request.user, request.GET.get("branch"))
    else:
        branch = get_object_or_404(Branch, code=request.GET.get("branch", ""), is_active=True)
    initial = {"service_type": request.GET.get("service_type"), "first_day": timezone.localdate()}
    form = SeriesForm(request.POST or None, branch=branch, staff=staff, initial=initial)
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        customer = _form_customer(request, form, staff)
        kwargs = {
            "branch": branch,
            "service_type": data["service_type"],
            "rule": data["rule"],
            "nth": data["nth"],
            "first_day": data["first_day"],
            "time_of_day": data["time"],
            "count": data["count"],
        }
        try:
            if customer is not None and request.POST.get("action") == "confirm":
                created = series.series_create(actor=request.user, customer=customer, **kwargs)
                messages.success(request, _("Your recurring appointments are booked."))
                return redirect("appointments:series_detail", pk=created.pk)
            if customer is not None:
                plan = series.series_plan(customer=customer, **kwargs)
        except BookingError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
    context = {
        "form": form,
        "branch": branch,
        "plan": plan,
        "staff": staff,
        "bookable": plan and any(p.start for p in plan),
    }
    return render(request, "appointments/series_new.html", context)


def _signin() -> str:
    return reverse("appointments:signin")


def _form_customer(request, form, staff: bool) -> Customer | None:
    if not staff:
        return customer_of(request.user)
    customer = Customer.objects.by_phone(form.cleaned_data["customer_phone"]).first()
    if customer is None:
        form.add_error("customer_phone", _("No customer with this phone number."))
    return customer


def series_detail(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    found = series_for_user(request.user, pk)
    occurrences = found.occurrences.select_related("branch", "service_type").order_by("start")
    skipped = [
        {"day": dt.date.fromisoformat(s["day"]), "reason": series.SKIP_REASONS.get(s["reason"], "")}
        for s in found.skipped
    ]
    return render(
        request,
        "appointments/series_detail.html",
        {"series": found, "occurrences": occurrences, "skipped": skipped},
    )


@require_POST
def series_cancel(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    found = series_for_user(request.user, pk, write=True)
    kept = series.series_cancel(actor=request.user, series=found)
    if kept:
        messages.warning(
            request,
            _("%(count)d appointments are too close to change here. Please call the branch.")
            % {"count": len(kept)},
        )
    else:
        messages.success(request, _("All upcoming appointments of this series are cancelled."))
    return redirect("appointments:series_detail", pk=found.pk)


def my_series(request):
    customer = customer_of(request.user) if request.user.is_authenticated else None
    if customer is None:
        raise Http404
    rows = AppointmentSeries.objects.filter(customer=customer).select_related("branch", "service_type")
    return render(request, "appointments/series_list.html", {"rows": rows})


# --- group sessions (classes) ---------------------------------------------------------------------


def classes(request):
    """Upcoming classes for customers: places left, join, the waiting list, leave."""
    customer = customer_of(request.user) if request.user.is_authenticated else None
    if customer is None:
        return redirect(f"{_signin()}?next={request.path}")
    sessions = list(
        GroupSession.objects.select_related("branch").filter(
            status=GroupSessionStatus.OPEN, start__gt=timezone.now()
        )[:50]
    )
    mine = {
        p.session_id: p
        for p in GroupParticipant.objects.filter(customer=customer, session__in=sessions)
        .exclude(status=ParticipantStatus.LEFT)
        .select_related("session")
    }
    rows = [
        (s, mine.get(s.pk), groups.waiting_position(mine[s.pk]) if s.pk in mine else None) for s in sessions
    ]
    return render(request, "appointments/classes.html", {"rows": rows})


@require_POST
def class_join(request, pk: int):
    customer = customer_of(request.user) if request.user.is_authenticated else None
    if customer is None:
        raise Http404
    session = group_session_for_user(request.user, pk)
    try:
        joined = groups.group_session_join(
            actor=request.user,
            session=session,
            customer=customer,
            waitlist=request.POST.get("waitlist") == "1",
        )
    except groups.GroupError as error:
        messages.error(request, str(error.message))
    else:
        if joined.status == ParticipantStatus.JOINED:
            messages.success(request, _("You have a place in %(title)s.") % {"title": session.title})
        else:
            messages.info(request, _("You are on the waiting list. We will send an SMS if a place frees up."))
    return redirect("appointments:classes")


@require_POST
def class_leave(request, pk: int):
    customer = customer_of(request.user) if request.user.is_authenticated else None
    if customer is None:
        raise Http404
    session = group_session_for_user(request.user, pk)
    try:
        groups.group_session_leave(actor=request.user, session=session, customer=customer)
    except groups.GroupError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You have left %(title)s.") % {"title": session.title})
    return redirect("appointments:classes")


@role_required(*SERVING)
def classes_manage(request):
    branch = branch_for_lobby(request.user, request.GET.get("branch"))
    form = GroupSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = data["start"].astimezone(branch.tz)
        try:
            groups.group_session_create(
                actor=request.user,
                branch=branch,
                title=data["title"],
                description=data["description"],
                location=data["location"],
                start=start,
                end=start + dt.timedelta(minutes=data["minutes"]),
                capacity=data["capacity"],
                waitlist_limit=data["waitlist_limit"],
            )
        except groups.GroupError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The class is open for customers to join."))
            return redirect(request.get_full_path())
    sessions = (
        GroupSession.objects.filter(branch=branch, end__gte=timezone.now())
        .annotate(waiting=Count("participants", filter=Q(participants__status=ParticipantStatus.WAITLISTED)))
        .prefetch_related("participants__customer")
    )
    return render(
        request, "appointments/classes_manage.html", {"branch": branch, "form": form, "sessions": sessions}
    )


@require_POST
@role_required(*SERVING)
def class_cancel(request, pk: int):
    session = group_session_for_user(request.user, pk, manage=True)
    told = groups.group_session_cancel(actor=request.user, session=session)
    messages.success(
        request, _("The class is cancelled; %(count)d customers were told by SMS.") % {"count": told}
    )
    return redirect(f"{_manage_url()}?branch={session.branch.code}")


def _manage_url() -> str:
    return reverse("appointments:classes_manage")


# --- calendar feed --------------------------------------------------------------------------------


def calendar_feed_page(request):
    customer = customer_of(request.user) if request.user.is_authenticated else None
    if customer is None:
        return redirect(f"{_signin()}?next={request.path}")
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feed.calendar_feed_revoke(actor=request.user, customer=customer)
            messages.success(request, _("The calendar link no longer works."))
        else:
            url = feed.feed_url(feed.calendar_feed_create(actor=request.user, customer=customer))
    return render(request, "appointments/calendar_feed.html", {"live": feed.live_feed(customer), "url": url})


def calendar_feed_file(request, token: str):
    customer = feed.feed_customer(token)
    if customer is None:
        raise Http404
    response = HttpResponse(feed.feed_file(customer), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
