"""Pages: the lobby screen, the customer's ticket page, remote tickets and the lobby manager's
dashboard (htmx partials refreshed by the dashboard's websocket)."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy
from django.views.decorators.http import require_POST

from branches.access import branch_for_user, role_required, staff_branches, user_role
from branches.models import Branch, Device, ServicePoint, ServiceType
from branches.points import is_home_visit
from branches.roles import Role
from core.i18n import content_language
from customers.models import Customer
from queueing import announce, payloads, services
from queueing.access import (
    MANAGER_ROLES,
    WORK_ROLES,
    branch_for_manager,
    ticket_for_token,
    ticket_for_user,
)
from queueing.alerts import recent_alerts
from queueing.figures import today_figures
from queueing.models import (
    NoticeChannel,
    NoticeKind,
    Source,
    Ticket,
    TicketStatus,
    TurnNoticeChoice,
)
from queueing.state import VTM_PREFIX, branch_snapshot, business_date

CHART_WIDTH, CHART_HEIGHT = 480, 140


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- lobby screen -------------------------------------------------------------------------

# The lobby ticker's standing notices (the screen shows each in Chinese and English in turn).
LOBBY_NOTICES = [
    _("Please listen for your number. If you miss it, ask at the service desk."),
    _("Scan the QR code on your ticket to follow the queue on your phone."),
    _("Older customers, customers with disabilities and expectant mothers are served first."),
    _("Book your next visit online and fill in the form before you come."),
]


def _bilingual(texts) -> list[dict]:
    result = []
    for text in texts:
        with override("zh-hans"):
            zh = str(text)
        with override("en"):
            en = str(text)
        result.append({"zh": zh, "en": en})
    return result


def lobby_screen(request):
    """Full-screen lobby display: a signed-in lobby-screen device, or staff previewing it."""
    device = request.device
    if device is not None and device.kind == Device.Kind.LOBBY_SCREEN:
        branch = device.branch
    elif user_role(request.user) in WORK_ROLES:
        code = request.GET.get("branch") or staff_branches(request.user).order_by("code")
        branch = (branch_for_user(request.user, code) if isinstance(code, str)
                  else code.first())
        if branch is None:
            raise Http404("no branch")
    elif device is not None:
        raise PermissionDenied
    else:
        return redirect("device-login")
    return render(request, "queueing/lobby.html", {
        "branch": branch, "ws_path": f"/ws/queue/lobby/?branch={branch.code}",
        # Without espeak-ng (and without a browser voice) the screen says "voice off".
        "server_voice": announce.espeak_binary() is not None,
        "notices": _bilingual(LOBBY_NOTICES)})


def lobby_announcement(request, code, number, language):
    """A call spoken as WAV (espeak-ng) for a lobby screen whose browser has no voice: today's
    called ticket `number` of the screen's branch and its counter, nothing else."""
    device = request.device
    if device is not None and device.kind == Device.Kind.LOBBY_SCREEN:
        if device.branch.code != code:
            raise Http404("no such branch")
        branch = device.branch
    elif device is None and user_role(request.user) in WORK_ROLES:
        branch = branch_for_user(request.user, code)
    else:
        raise PermissionDenied
    ticket = (Ticket.objects.of_day(branch, business_date(branch))
              .filter(number=number, called_at__isnull=False, counter__isnull=False)
              .select_related("counter").first())
    if ticket is None or language not in announce.LANGUAGES:
        raise Http404("no such call")
    try:
        wav = announce.render_wav(announce.call_announcement(ticket, language))
    except announce.SpeechUnavailable as error:
        return JsonResponse({"detail": str(error), "code": "speech_unavailable"}, status=503,
                            headers={"Retry-After": "600"})
    return HttpResponse(wav, content_type="audio/wav",
                        headers={"Cache-Control": "private, max-age=600"})


# --- the customer's ticket ----------------------------------------------------------------

class TurnNoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Notify me when"), choices=NoticeKind.choices,
                             initial=NoticeKind.POSITION)
    threshold = forms.IntegerField(label=_("About how many"), initial=3)
    channel = forms.ChoiceField(label=pgettext_lazy("turn-near notice channel", "By"),
                                choices=NoticeChannel.choices, initial=NoticeChannel.SMS)
    address = forms.CharField(label=_("Mobile number or e-mail (if not on file)"),
                              required=False, max_length=120)


def _ticket_page(request, ticket, *, form=None, status=200):
    choice = TurnNoticeChoice.objects.filter(ticket=ticket).first()
    if form is None:
        initial = {"kind": choice.kind, "threshold": choice.threshold,
                   "channel": choice.channel} if choice else None
        form = TurnNoticeForm(initial=initial)
    return render(request, "queueing/ticket.html", {
        "ticket": ticket, "page": payloads.live_ticket_page(ticket),
        "ws_path": f"/ws/queue/ticket/{ticket.public_token}/",
        "notice_form": form, "notice_choice": choice,
        "notices_sent": [{"at": notice.at.isoformat(), "outcome": notice.outcome,
                          "time": notice.at.astimezone(ticket.branch.tz).strftime("%H:%M"),
                          "label": f"{notice.get_channel_display()} · "
                                   f"{notice.get_outcome_display()}"}
                         for notice in ticket.notices.all()],
        "can_choose_notice": ticket.status in services.notices.NOTICE_STATUSES}, status=status)


def ticket_page(request, token):
    return _ticket_page(request, ticket_for_token(token))


@require_POST
def ticket_notice(request, token):
    """The customer chooses when to be told their turn is near (bad input: the page again, 400)."""
    ticket = ticket_for_token(token)
    form = TurnNoticeForm(request.POST)
    if form.is_valid():
        try:
            services.turn_notice_choose(ticket=ticket, **form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            messages.success(request, _("We will let you know when your turn is near."))
            return redirect("queue-ticket", token=token)
    return _ticket_page(request, ticket, form=form, status=400)


@require_POST
def ticket_cancel(request, token):
    ticket = ticket_for_token(token)
    try:
        services.ticket_cancel(ticket=ticket)
        messages.success(request, _("Your ticket is cancelled."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("queue-ticket", token=token)


def ticket_qr(request, token):
    ticket = ticket_for_token(token)
    url = request.build_absolute_uri(reverse("queue-ticket", args=[ticket.public_token]))
    svg = segno.make(url, error="m").svg_inline(scale=4)
    return HttpResponse(svg, content_type="image/svg+xml")


class RemoteTicketForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.filter(is_active=True))
    service = forms.ModelChoiceField(label=_("Service"),
                                     queryset=ServiceType.objects.filter(is_active=True))
    arrival_minutes = forms.IntegerField(label=_("I will arrive in (minutes)"), min_value=0,
                                         max_value=240, required=False)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90,
                                max_value=90)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180,
                                 max_value=180)


@role_required(Role.CUSTOMER)
def remote_ticket(request):
    """A signed-in customer takes a ticket from their phone before arriving."""
    form = RemoteTicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        location = None
        if data["latitude"] is not None and data["longitude"] is not None:
            location = (data["latitude"], data["longitude"])
        try:
            ticket = services.ticket_issue(
                issue=services.IssueRequest(
                    branch=data["branch"], service_type=data["service"], source=Source.REMOTE,
                    customer=Customer.objects.filter(user=request.user).first(), actor=request.user,
                    location=location, arrival_minutes=data["arrival_minutes"]))
        except ValidationError as error:
            _errors(request, error)
        else:
            return redirect("queue-ticket", token=ticket.public_token)
    return render(request, "queueing/remote.html", {"form": form})


# --- lobby manager dashboard --------------------------------------------------------------

class WalkInForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), empty_label=_("Choose a service"),
                                     queryset=ServiceType.objects.filter(is_active=True))
    customer_no = forms.CharField(
        label=_("Customer number (optional)"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Customer number (optional)")}))

    def clean_customer_no(self):
        number = self.cleaned_data["customer_no"].strip()
        if not number:
            return None
        customer = Customer.objects.filter(customer_no=number).first()
        if customer is None:
            raise forms.ValidationError(_("No customer has this number."))
        return customer


def _chart(hourly: list[dict]) -> dict:
    """Bars for the hourly chart, drawn as inline SVG by the template."""
    top = max([1] + [max(h["arrivals"], h["served"]) for h in hourly])
    slot = CHART_WIDTH / max(1, len(hourly))
    bars = []
    for index, hour in enumerate(hourly):
        x = index * slot
        for offset, key in ((0.1, "arrivals"), (0.5, "served")):
            height = (CHART_HEIGHT - 20) * hour[key] / top
            bars.append({"x": round(x + slot * offset, 1), "width": round(slot * 0.38, 1),
                         "y": round(CHART_HEIGHT - 16 - height, 1), "height": round(height, 1),
                         "kind": key, "value": hour[key]})
    labels = [{"x": round(i * slot + slot / 2, 1), "text": f"{h['hour']:02d}"}
              for i, h in enumerate(hourly)]
    return {"bars": bars, "labels": labels, "width": CHART_WIDTH, "height": CHART_HEIGHT}


def _part_context(branch, part: str) -> dict:
    if part == "figures":
        figures = today_figures(branch)
        return {"figures": figures, "chart": _chart(figures["hourly"])}
    snapshot = branch_snapshot(branch)
    language = content_language()
    alerts = [{**alert, "text_local": alert["text"].get(language, "")}
              for alert in recent_alerts(branch)]
    state = payloads.staff_state(snapshot, payloads.stored_estimates(snapshot), alerts)
    tellers = get_user_model().objects.filter(
        staff_profile__branch=branch,
        staff_profile__role__in=[Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER],
    ).order_by("username")
    queues = sorted({*snapshot.prefixes.values(), VTM_PREFIX})
    # Where the lobby manager can send a customer now: staffed counters with nobody at them.
    free = [p for p in snapshot.points if p.pk in snapshot.sessions and not is_home_visit(p)
            and p.pk not in snapshot.current and p.status == ServicePoint.Status.OPEN]
    tickets = [*snapshot.waiting, *Ticket.objects.filter(
        pk__in=[t["id"] for t in state["parked"]]).select_related("service_type")]
    # Per ticket, the free counters that can do its service ("call this ticket").
    call_to = {t.pk: [p for p in free if services.counter_has_skill(
        p, snapshot.sessions[p.pk], t.service_type)] for t in tickets}
    return {"state": state, "tellers": tellers, "queues": queues, "call_to": call_to}


PARTS = {"queues", "counters", "waiting", "figures"}


@role_required(*MANAGER_ROLES)
def dashboard(request):
    branch = branch_for_manager(request.user, request.GET.get("branch"))
    context = {"branch": branch, "walk_in": WalkInForm(),
               "ws_path": f"/ws/queue/staff/{branch.code}/",
               "branches": staff_branches(request.user).order_by("code")}
    context.update(_part_context(branch, "queues"))
    context.update(_part_context(branch, "figures"))
    return render(request, "queueing/dashboard.html", context)


@role_required(*MANAGER_ROLES)
def dashboard_part(request, code, part):
    branch = branch_for_manager(request.user, code)
    if part not in PARTS:
        raise Http404("no such part")
    context = {"branch": branch, **_part_context(branch, part)}
    return render(request, f"queueing/parts/{part}.html", context)


def _back(request, branch, part: str):
    if request.htmx:
        return dashboard_part(request, branch.code, part)
    return redirect(f"{reverse('queue-dashboard')}?branch={branch.code}")


@require_POST
@role_required(*MANAGER_ROLES)
def dashboard_walk_in(request, code):
    branch = branch_for_manager(request.user, code)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(request, branch, "waiting")
    try:
        ticket = services.ticket_issue(issue=services.IssueRequest(
            branch=branch, service_type=form.cleaned_data["service"],
            source=Source.WALK_IN, actor=request.user,
            customer=form.cleaned_data["customer_no"]))
        messages.success(request, _("Ticket %(number)s issued.") % {"number": ticket.number})
    except ValidationError as error:
        _errors(request, error)
    return _back(request, branch, "waiting")


@require_POST
@role_required(*MANAGER_ROLES)
def dashboard_counter(request, code, pk, action):
    branch = branch_for_manager(request.user, code)
    point = ServicePoint.objects.filter(branch=branch, pk=pk).exclude(
        kind=ServicePoint.Kind.KIOSK).first()
    if point is None or action not in {"open", "pause", "close", "profile", "add_queue"}:
        raise Http404("no such counter")
    try:
        if action == "profile":
            _set_profile(request, point)
        elif action == "add_queue":
            queue = request.POST.get("queue", "")
            services.counter_set_work_profile(
                actor=request.user, counter=point, queues=[*point.work_queues, queue],
                mode=point.work_mode, ratios=[*point.work_ratios, 1] if point.work_ratios else [])
            messages.success(request, _("Counter %(counter)s now also serves queue %(queue)s.")
                             % {"counter": point.code, "queue": queue})
        elif action == "open":
            teller = get_user_model().objects.filter(
                pk=request.POST.get("teller") or 0, staff_profile__branch=branch).first()
            if teller is None:
                raise ValidationError({"teller": [_("Choose the teller who serves there.")]})
            services.counter_open(actor=request.user, counter=point, teller=teller)
        elif action == "pause":
            services.counter_pause(actor=request.user, counter=point,
                                   reason=request.POST.get("reason", ""))
        else:
            services.counter_close(actor=request.user, counter=point)
    except ValidationError as error:
        _errors(request, error)
    return _back(request, branch, "counters")


def _set_profile(request, point) -> None:
    """The counters part's work-profile form: queues as letters ("W V A B"), ratios as numbers."""
    queues = request.POST.get("queues", "").replace(",", " ").split()
    try:
        ratios = [float(r) for r in request.POST.get("ratios", "").replace(",", " ").split()]
    except ValueError:
        raise ValidationError({"ratios": [_("Give the ratios as numbers, e.g. 2 1.")]}) from None
    services.counter_set_work_profile(actor=request.user, counter=point, queues=queues,
                                      mode=request.POST.get("mode", "order"), ratios=ratios)
    messages.success(request, _("Work profile of counter %(counter)s saved.") % {"counter": point.code})


TICKET_ACTIONS = {"transfer", "prioritise", "cancel", "resume", "requeue", "call"}


@require_POST
@role_required(*MANAGER_ROLES)
def dashboard_ticket(request, code, pk, action):
    """Re-route, prioritise, cancel, resume (parked), re-queue (no-show) or call a ticket to a
    staffed counter."""
    branch = branch_for_manager(request.user, code)
    ticket = Ticket.objects.filter(branch=branch, pk=pk).select_related(
        "branch", "service_type", "customer", "counter").first()
    if ticket is None or action not in TICKET_ACTIONS:
        raise Http404("no such ticket")
    try:
        if action in {"resume", "requeue", "call"}:
            _bring_back(request, branch, ticket, action)
        elif action == "transfer":
            services.ticket_transfer(actor=request.user, ticket=ticket,
                                     queue=request.POST.get("queue", ""), keep_arrival=True,
                                     note=request.POST.get("note", ""))
        elif action == "prioritise":
            try:
                boost = float(request.POST.get("boost_minutes", "10"))
            except ValueError:
                raise ValidationError({"boost_minutes": [_("Give a number of minutes.")]}) from None
            services.ticket_prioritise(actor=request.user, ticket=ticket, boost_minutes=boost)
        elif ticket.status in (TicketStatus.WAITING, TicketStatus.PARKED):
            services.ticket_cancel(actor=request.user, ticket=ticket)
    except ValidationError as error:
        _errors(request, error)
    return _back(request, branch, "waiting")


def _bring_back(request, branch, ticket, action: str) -> None:
    if action == "resume":
        services.ticket_resume(actor=request.user, ticket=ticket)
    elif action == "requeue":
        services.ticket_requeue(actor=request.user, ticket=ticket,
                                keep_arrival=request.POST.get("keep_arrival") == "1")
    else:
        point = ServicePoint.objects.filter(branch=branch, pk=request.POST.get("counter") or 0).first()
        if point is None:
            raise ValidationError({"counter": [_("Choose the counter to call the customer to.")]})
        services.ticket_call(actor=request.user, counter=point, ticket=ticket)
        messages.success(request, _("Ticket %(number)s called to counter %(counter)s.")
                         % {"number": ticket.number, "counter": point.code})
        return
    messages.success(request, _("Ticket %(number)s is back in the queue.") % {"number": ticket.number})


@role_required(*WORK_ROLES)
def ticket_timeline(request, pk):
    """A ticket's visit step by step (dashboard and console show it in place)."""
    ticket = ticket_for_user(request.user, pk)
    context = {"ticket": ticket, "steps": payloads.timeline(ticket, staff=True)}
    template = "queueing/parts/timeline.html" if request.htmx else "queueing/timeline.html"
    return render(request, template, context)
