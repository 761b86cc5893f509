"""The branch roster page: the half-hour grid of one day, generated from the forecast, edited cell
by cell and published by the branch admin or lobby manager (head office reads it)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.access import branch_for_user, role_required, staff_branches, user_role
from branches.models import Branch, ServicePoint, Zone
from core import widgets
from insights import rosters
from insights.models import Roster, RosterGapAlert, RosterSlot, RosterStatus
from insights.roster_grid import roster_grid
from insights.roster_services import (
    ROSTER_MANAGERS,
    gap_summary,
    roster_assign,
    roster_break_problems,
    roster_generate,
    roster_publish,
)
from insights.views import BRANCH_ROLES


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"),
                           widget=widgets.DateInput())


def _day(request, branch: Branch) -> dt.date:
    form = DayForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["date"]
    return branch.local_now().date() + dt.timedelta(days=1)


def _assign_choices(branch: Branch, teller: rosters.Teller) -> list[tuple[str, str]]:
    choices = [("off", _("Not at a counter")), ("break", _("Lunch break"))]
    for counter in rosters.branch_counters(branch):
        if rosters.can_staff(teller, counter):
            label = _("Counter %(code)s (%(zone)s)") % {"code": counter.code,
                                                         "zone": Zone.Kind(counter.zone_kind).label}
            choices.append((f"counter:{counter.id}", label))
    return choices


def _edit_target(request, roster: Roster | None):
    """The cell picked with ?teller=&slot= for the edit panel, if it is one of the grid's."""
    if roster is None or not request.GET.get("teller") or not request.GET.get("slot"):
        return None
    try:
        teller_id, slot = int(request.GET["teller"]), int(request.GET["slot"])
    except ValueError:
        raise Http404("no such half-hour") from None
    teller = next((t for t in rosters.branch_tellers(roster.branch) if t.id == teller_id), None)
    if teller is None or str(slot) not in roster.forecast:
        raise Http404("no such half-hour")
    current = RosterSlot.objects.filter(roster=roster, teller_id=teller_id, slot=slot).first()
    value = "off" if current is None else (f"counter:{current.counter_id}" if current.counter_id else "break")
    return {"teller": teller, "slot": slot, "label": rosters.slot_label(slot), "value": value,
            "choices": _assign_choices(roster.branch, teller)}


def _post(request, branch: Branch, day: dt.date, roster: Roster | None):
    if user_role(request.user) not in ROSTER_MANAGERS:
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "generate":
        roster_generate(branch=branch, day=day, actor=request.user)
        messages.success(request, _("The roster was planned from the forecast."))
        return
    if roster is None:
        raise Http404("no roster")
    if action == "publish":
        roster_publish(roster=roster, actor=request.user)
        messages.success(request, _("The roster is published."))
        return
    if action != "assign":
        raise Http404("no such action")
    value = request.POST.get("assignment", "")
    kind, counter = value, None
    if value.startswith("counter:"):
        kind, pk = "counter", value.partition(":")[2]
        counter = ServicePoint.objects.filter(pk=int(pk), branch=branch).first() if pk.isdigit() else None
    try:
        teller_id, slot = int(request.POST.get("teller", "")), int(request.POST.get("slot", ""))
    except ValueError:
        raise ValidationError(_("Choose a teller and a half-hour.")) from None
    roster_assign(roster=roster, teller_id=teller_id, slot=slot, kind=kind, counter=counter,
                  actor=request.user)
    messages.success(request, _("The half-hour was changed."))


@role_required(*BRANCH_ROLES)
def roster(request, code):
    branch = branch_for_user(request.user, code)
    day = _day(request, branch)
    roster = Roster.objects.filter(branch=branch, date=day).first()
    page = reverse("insights-roster", args=[code]) + f"?date={day.isoformat()}"
    errors: list[str] = []
    if request.method == "POST":
        try:
            _post(request, branch, day, roster)
            return redirect(page)
        except ValidationError as error:
            errors = [str(m) for m in error.messages]
            roster = Roster.objects.filter(branch=branch, date=day).first()
    alert = RosterGapAlert.objects.filter(branch=branch, date=day).first()
    context = {
        "branch": branch, "day": day, "roster": roster, "form": DayForm(initial={"date": day}),
        "page": page, "errors": errors, "can_edit": user_role(request.user) in ROSTER_MANAGERS,
        "published": roster is not None and roster.status == RosterStatus.PUBLISHED,
        "edit": _edit_target(request, roster),
        "alert": gap_summary(day, alert.gaps) if alert else "",
    }
    if roster is not None:
        context["grid"] = roster_grid(roster, now=timezone.now())
        context["break_problems"] = roster_break_problems(roster)
    return render(request, "insights/roster.html", context, status=400 if errors else 200)


@role_required(*ROSTER_MANAGERS)
def own_roster(request):
    branch = staff_branches(request.user).first()
    if branch is None:
        raise Http404("no branch")
    return redirect("insights-roster", branch.code)
