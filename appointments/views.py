"""Pages: customer sign-in, the booking flow (phone first), my appointments, check-in, lobby list."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments import capacity, services, signin
from appointments.access import appointment_for_user, appointments_for_user, branch_for_lobby, customer_of
from appointments.facts import suggestions_for
from appointments.forms import CheckInForm, CodeForm, PhoneForm, SlotForm
from appointments.geo import distance_km
from appointments.ics import CalendarEvent, calendar_file
from appointments.integrations import waiting_count
from appointments.models import Appointment, AppointmentStatus, ServiceMode
from appointments.qr import qr_svg
from branches.access import role_required, user_role
from branches.models import Branch, ServiceType
from branches.roles import BRANCH_SERVICE_ROLES
from core.i18n import english as is_english
from counter.formschema import masked_values
from counter.identity import mismatched_fields
from counter.models import FormSource, PrefilledForm
from counter.services import FormInvalid, form_save, form_start

SESSION_PHONE = "appointments_signin_phone"
SESSION_BOOKING = "appointments_booking"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --- sign-in --------------------------------------------------------------------------------------


def signin_phone(request):
    next_url = _safe_next(request)
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.signin_code_send(phone=form.cleaned_data["phone"], ip=client_ip(request))
        except signin.SignInError as error:
            form.add_error("phone", str(error.message))
        else:
            request.session[SESSION_PHONE] = form.cleaned_data["phone"]
            return redirect(reverse("appointments:signin_code") + "?" + urlencode({"next": next_url}))
    return render(request, "appointments/signin_phone.html", {"form": form, "next": next_url})


def signin_code(request):
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("appointments:signin")
    next_url = _safe_next(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signin.signin_code_verify(phone=phone, code=form.cleaned_data["code"])
        except signin.SignInError as error:
            form.add_error("code" if error.field == "code" else None, str(error.message))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(SESSION_PHONE, None)
            return redirect(next_url)
    return render(
        request, "appointments/signin_code.html", {"form": form, "next": next_url, "phone_tail": phone[-4:]}
    )


def _signin_url(request) -> str:
    return reverse("appointments:signin") + "?" + urlencode({"next": request.get_full_path()})


def _safe_next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("appointments:mine")


def customer_required(view):
    """Customers only; visitors go to the phone sign-in (not the staff sign-in)."""

    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(_signin_url(request))
        if customer_of(request.user) is None:
            raise Http404("customers only")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- booking flow ---------------------------------------------------------------------------------


@customer_required
def book_branch(request):
    branches = list(Branch.objects.filter(is_active=True))
    lat, lng = _coordinates(request)
    now = timezone.now()
    rows = []
    for branch in branches:
        km = None
        if lat is not None and branch.latitude is not None and branch.longitude is not None:
            km = distance_km(lat, lng, float(branch.latitude), float(branch.longitude))
        rows.append(
            {
                "branch": branch,
                "address": branch.localized("address"),
                "km": km,
                "open": branch.is_open_at(now),
                "waiting": waiting_count(branch),
            }
        )
    rows.sort(key=lambda r: (r["km"] is None, r["km"] or 0, r["branch"].code))
    return render(request, "appointments/book_branch.html", {"rows": rows, "located": lat is not None})


def _coordinates(request) -> tuple[float | None, float | None]:
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (KeyError, ValueError):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None, None
    return lat, lng


@customer_required
def book_service(request, branch_code: str):
    branch = get_object_or_404(Branch, code=branch_code, is_active=True)
    services_qs = ServiceType.objects.filter(is_active=True, service_points__branch=branch).distinct()
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    if query:
        services_qs = services_qs.filter(
            Q(name_zh_hans__icontains=query) | Q(name_en__icontains=query) | Q(keywords__icontains=query)
        )
    categories = (
        [
            (value, label)
            for value, label in ServiceType.Category.choices
            if services_qs.filter(category=value).exists()
        ]
        if not query
        else []
    )
    if category:
        services_qs = services_qs.filter(category=category)
    context = {
        "branch": branch,
        "services": services_qs,
        "query": query,
        "category": category,
        "categories": categories,
    }
    if request.htmx:
        return render(request, "appointments/_service_list.html", context)
    return render(request, "appointments/book_service.html", context)


@customer_required
def book_slot(request, branch_code: str, service_code: str):
    branch = get_object_or_404(Branch, code=branch_code, is_active=True)
    service_type = get_object_or_404(ServiceType, code=service_code, is_active=True)
    form = SlotForm(request.POST or None, initial={"mode": _default_mode(service_type)})
    if request.method == "POST" and form.is_valid():
        start = capacity.parse_slot_key(form.cleaned_data["slot"], branch=branch)
        if start is not None:
            request.session[SESSION_BOOKING] = {
                "branch": branch.code,
                "service": service_type.code,
                "slot": form.cleaned_data["slot"],
                "mode": form.cleaned_data["mode"],
                "form": _draft_form_id(request),
            }
            if service_type.current_form_schema() is not None:
                return redirect("appointments:book_form")
            return redirect("appointments:book_review")
        form.add_error("slot", _("Choose one of the times offered."))
    context = {**_slot_choice(request, branch, service_type), "form": form}
    if request.htmx:
        return render(request, "appointments/_slot_list.html", context)
    return render(request, "appointments/book_slot.html", context)


def _default_mode(service_type: ServiceType) -> str:
    return (
        ServiceMode.SELF_SERVICE
        if service_type.allow_kiosk and not service_type.allow_counter
        else ServiceMode.STAFF
    )


def _slot_choice(request, branch: Branch, service_type: ServiceType) -> dict:
    """Dates with free places and the slots of the chosen date (``?day=``, else the first)."""
    days = capacity.days_with_slots(branch=branch, service_type=service_type)
    day = _chosen_day(request, days)
    slots = capacity.open_slots(branch=branch, service_type=service_type, day=day) if day else []
    return {"branch": branch, "service_type": service_type, "days": days, "day": day, "slots": slots}


def _chosen_day(request, days: list[dt.date]) -> dt.date | None:
    try:
        wanted = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        wanted = None
    if wanted in days:
        return wanted
    return days[0] if days else None


def _draft_form_id(request) -> int | None:
    # Keep the draft typed so far when the customer goes back and picks another time.
    return (request.session.get(SESSION_BOOKING) or {}).get("form")


def _booking_state(request):
    state = request.session.get(SESSION_BOOKING)
    if not state:
        return None
    branch = Branch.objects.filter(code=state["branch"], is_active=True).first()
    service_type = ServiceType.objects.filter(code=state["service"], is_active=True).first()
    if branch is None or service_type is None:
        return None
    start = capacity.parse_slot_key(state["slot"], branch=branch)
    if start is None:
        return None
    return state, branch, service_type, start


@customer_required
def book_form(request):
    booking = _booking_state(request)
    if booking is None:
        return redirect("appointments:book")
    state, branch, service_type, start = booking
    customer = customer_of(request.user)
    form = _booking_form(request, state=state, customer=customer, branch=branch, service_type=service_type)
    errors: dict = {}
    if request.method == "POST":
        values = {
            f["name"]: request.POST.get(f["name"]) for f in form.fields if f.get("type") != "document_photo"
        }
        draft = request.POST.get("draft") == "1"
        try:
            result = form_save(actor=request.user, form=form, values=values, submit=not draft)
        except FormInvalid as invalid:
            errors = invalid.errors
        else:
            if draft:
                return render(request, "appointments/_draft_saved.html", {"errors": result.errors_by_field()})
            return redirect("appointments:book_review")
        form.refresh_from_db()
    context = {
        "branch": branch,
        "service_type": service_type,
        "start": start,
        "prefilled": form,
        "fields": _field_rows(form, errors),
    }
    return render(request, "appointments/book_form.html", context, status=400 if errors else 200)


def _booking_form(request, *, state, customer, branch, service_type) -> PrefilledForm:
    form = None
    if state.get("form"):
        form = PrefilledForm.objects.filter(
            pk=state["form"], customer=customer, service_type=service_type
        ).first()
    if form is None:
        form = form_start(
            actor=request.user,
            service_type=service_type,
            source=FormSource.APPOINTMENT,
            customer=customer,
            branch=branch,
        )
        state["form"] = form.pk
        request.session[SESSION_BOOKING] = state
    return form


def _field_rows(form: PrefilledForm, errors: dict) -> list[dict]:
    english = is_english()
    values = form.values
    rows = []
    for field in form.fields:
        label = field.get("label") or {}
        help_text = field.get("help") or {}
        rows.append(
            {
                "name": field["name"],
                "type": field.get("type", "text"),
                "label": (label.get("en") if english else None) or label.get("zh-hans") or field["name"],
                "help": (help_text.get("en") if english else None) or help_text.get("zh-hans", ""),
                "required": field.get("required", False),
                "value": values.get(field["name"], ""),
                "choices": [
                    (
                        c["value"],
                        ((c.get("label") or {}).get("en") if english else None)
                        or (c.get("label") or {}).get("zh-hans")
                        or c["value"],
                    )
                    for c in field.get("choices", [])
                ],
                "errors": errors.get(field["name"], []),
            }
        )
    return rows


@customer_required
def book_review(request):
    booking = _booking_state(request)
    if booking is None:
        return redirect("appointments:book")
    state, branch, service_type, start = booking
    customer = customer_of(request.user)
    prefilled = (
        PrefilledForm.objects.filter(pk=state.get("form"), customer=customer).first()
        if state.get("form")
        else None
    )
    alternatives: list = []
    error = None
    if request.method == "POST":
        try:
            appointment = services.appointment_book(
                actor=request.user,
                customer=customer,
                branch=branch,
                service_type=service_type,
                start=start,
                mode=state["mode"],
                prefilled_form=prefilled,
            )
        except services.BookingError as refused:
            error, alternatives = refused.message, refused.alternatives
        else:
            request.session.pop(SESSION_BOOKING, None)
            return redirect("appointments:detail", code=appointment.code)
    suggestions = suggestions_for(
        customer=customer,
        service_type=service_type,
        visit_day=start.astimezone(branch.tz).date(),
        user=request.user,
    )
    context = {
        "branch": branch,
        "service_type": service_type,
        "start": start,
        "mode": ServiceMode(state["mode"]),
        "prefilled": prefilled,
        # A form in another person's name: the visit is then an agent's (代办), who must bring their own ID.
        "for_someone_else": bool(mismatched_fields(prefilled, customer)),
        "suggestions": suggestions,
        "error": error,
        "alternatives": alternatives,
    }
    return render(request, "appointments/book_review.html", context, status=409 if error else 200)


@customer_required
@require_POST
def book_alternative(request, slot: str):
    """The customer picked one of the next free slots offered after losing a race."""
    state = request.session.get(SESSION_BOOKING)
    if not state:
        return redirect("appointments:book")
    if capacity.parse_slot_key(slot, branch=Branch(timezone=settings.TIME_ZONE)) is None:
        raise Http404("no such slot")
    state["slot"] = slot
    request.session[SESSION_BOOKING] = state
    return redirect("appointments:book_review")


@customer_required
@require_POST
def suggestion_dismiss(request, rule: str):
    services.suggestion_dismiss(user=request.user, rule=rule)
    if request.htmx:
        return HttpResponse("")
    return redirect("appointments:book_review")


# --- my appointments ------------------------------------------------------------------------------


@customer_required
def my_appointments(request):
    mine = appointments_for_user(request.user).select_related("ticket").order_by("-start")
    now = timezone.now()
    upcoming = [
        a
        for a in mine
        if a.status in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)
        and a.end >= now - dt.timedelta(hours=4)
    ]
    past = [a for a in mine if a not in upcoming][:20]
    return render(
        request, "appointments/mine.html", {"upcoming": sorted(upcoming, key=lambda a: a.start), "past": past}
    )


def detail(request, code: str):
    if not request.user.is_authenticated:
        return redirect(_signin_url(request))
    appointment = appointment_for_user(request.user, code)
    deadline = services.policy().change_deadline(appointment.start)
    is_customer = customer_of(request.user) is not None
    form_rows = []
    if appointment.prefilled_form is not None:
        # Masked for everyone, the customer too: the page travels by link and sits on screens.

        form = appointment.prefilled_form
        shown = masked_values(form.fields, form.values)
        form_rows = [
            (row["label"], shown.get(row["name"], ""))
            for row in _field_rows(form, {})
            if row["type"] != "document_photo"
        ]
    context = {
        "appointment": appointment,
        "qr": qr_svg(appointment.code),
        "changeable": appointment.status == AppointmentStatus.BOOKED and timezone.now() < deadline,
        "deadline": deadline,
        "is_customer": is_customer,
        "form_rows": form_rows,
    }
    return render(request, "appointments/detail.html", context)


def calendar(request, code: str):
    if not request.user.is_authenticated:
        raise Http404
    appointment = appointment_for_user(request.user, code)
    branch = appointment.branch
    event = CalendarEvent(
        uid=f"appointment-{appointment.code}@branchsvc",
        start=appointment.start,
        end=appointment.end,
        summary=f"{appointment.service_type.name} · {branch.name}",
        location=branch.localized("address") or branch.name,
        description=_("Booking code: %(code)s. Check in at the kiosk with this code or its QR code.")
        % {"code": appointment.code_display},
        url=request.build_absolute_uri(reverse("appointments:detail", args=[appointment.code])),
        cancelled=appointment.status == AppointmentStatus.CANCELLED,
        sequence=appointment.reschedule_count
        + (1 if appointment.status == AppointmentStatus.CANCELLED else 0),
    )
    response = HttpResponse(
        calendar_file(event, stamp=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.code}.ics"'
    return response


@require_POST
def cancel(request, code: str):
    if not request.user.is_authenticated:
        raise Http404
    appointment = appointment_for_user(request.user, code, write=True)
    try:
        services.appointment_cancel(actor=request.user, appointment=appointment)
    except services.BookingError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your appointment is cancelled."))
    return redirect("appointments:detail", code=code)


def reschedule(request, code: str):
    if not request.user.is_authenticated:
        raise Http404
    appointment = appointment_for_user(request.user, code, write=True)
    branch, service_type = appointment.branch, appointment.service_type
    error = None
    if request.method == "POST":
        start = capacity.parse_slot_key(request.POST.get("slot", ""), branch=branch)
        try:
            if start is None:
                raise services.BookingError(_("Choose one of the times offered."))
            services.appointment_reschedule(actor=request.user, appointment=appointment, start=start)
        except services.BookingError as refused:
            error = refused.message
        else:
            messages.success(request, _("Your appointment has a new time."))
            return redirect("appointments:detail", code=code)
    context = {**_slot_choice(request, branch, service_type), "appointment": appointment, "error": error}
    if request.htmx:
        return render(request, "appointments/_slot_list.html", context)
    return render(request, "appointments/reschedule.html", context, status=409 if error else 200)


# --- branch side: check-in and today's list -------------------------------------------------------


def check_in(request):
    """Check-in by booking code or QR scan, for a signed-in kiosk device or branch staff."""
    device = getattr(request, "device", None)
    if device is not None:
        branch = device.branch
    else:
        if not request.user.is_authenticated:
            return redirect(reverse("login") + "?" + urlencode({"next": request.get_full_path()}))

        if user_role(request.user) not in BRANCH_SERVICE_ROLES:
            raise Http404
        branch = branch_for_lobby(request.user, request.GET.get("branch"))
    form = CheckInForm(request.POST or None)
    checked_in = None
    if request.method == "POST" and form.is_valid():
        try:
            checked_in = services.appointment_check_in_by_code(
                branch=branch,
                raw_code=form.cleaned_data["code"],
                device=device,
                actor=request.user if request.user.is_authenticated else None,
            )
        except services.CheckInError as refused:
            form.add_error("code", str(refused.message))
    status = 400 if form.errors else 200
    return render(
        request,
        "appointments/check_in.html",
        {"form": form, "branch": branch, "checked_in": checked_in, "kiosk": device is not None},
        status=status,
    )


@role_required(*BRANCH_SERVICE_ROLES)
def today(request):
    branch = branch_for_lobby(request.user, request.GET.get("branch"))
    local_today = branch.local_now().date()
    rows = (
        Appointment.objects.with_related()
        .select_related("ticket")
        .filter(branch=branch, start__range=capacity.day_bounds(branch, local_today))
        .order_by("start")
    )
    counts = {status: 0 for status in AppointmentStatus.values}
    for row in rows:
        counts[row.status] += 1
    context = {
        "branch": branch,
        "rows": rows,
        "counts": counts,
        "day": local_today,
    }
    template = "appointments/_today_rows.html" if request.htmx else "appointments/today.html"
    return render(request, template, context)
