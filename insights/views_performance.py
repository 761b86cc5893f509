"""Staff performance pages: a teller's own figures, the branch's tellers for managers, and head
office's star rules. Whose figures a user may see is decided by `performance.tellers_visible_to`."""

from __future__ import annotations

from django import forms
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.access import branch_for_user, role_required
from branches.people import person_name
from branches.roles import Role
from core import widgets
from insights import performance
from insights.models import StarMetric, StarRule, current_star_rules
from insights.services import star_rule_update


class MonthForm(forms.Form):
    month = forms.DateField(label=pgettext_lazy("performance period", "Month"), required=False,
                            input_formats=["%Y-%m"],
                            widget=widgets.MonthInput())


class StarRuleForm(forms.ModelForm):
    class Meta:
        model = StarRule
        fields = ["two", "three", "four", "five", "weight"]

    def clean(self):
        data = super().clean()
        values = [data.get(k) for k in ("two", "three", "four", "five")]
        if None not in values:
            higher = self.instance.metric not in performance.LOWER_IS_BETTER
            if values != sorted(values, reverse=not higher):
                raise forms.ValidationError(
                    _("More stars need a higher figure: the thresholds must rise from 2 to 5 stars.")
                    if higher else
                    _("More stars need a lower figure: the thresholds must fall from 2 to 5 stars."))
        return data


def _month(request):
    form = MonthForm(request.GET or {"month": timezone.localdate().strftime("%Y-%m")})
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["month"] or timezone.localdate()).replace(day=1)


def _num(value, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def _cells(f: performance.Figures) -> list[dict]:
    """What the page shows per figure: label, value as written, and its stars (None: not rated)."""
    handling = (f"{_num(f.mean_handling_minutes, '{:.1f}')} / {_num(f.mean_target_minutes, '{:.1f}')}"
                if f.lines else "—")
    rating = f"{f.rating_mean:.2f} ({f.ratings})" if f.ratings else "—"
    return [
        {"label": StarMetric.SERVED.label, "value": str(f.served), "stars": f.stars.get(StarMetric.SERVED)},
        {"label": _("Mean handling / target (min)"), "value": handling,
         "stars": f.stars.get(StarMetric.HANDLING)},
        {"label": StarMetric.VERIFICATION.label, "value": _num(
            None if f.verification_rate is None else 100 * f.verification_rate, "{:.1f} %"),
         "stars": f.stars.get(StarMetric.VERIFICATION)},
        {"label": _("Mean rating (answers)"), "value": rating, "stars": f.stars.get(StarMetric.RATING)},
        {"label": _("Complaints"), "value": str(f.complaints), "stars": f.stars.get(StarMetric.COMPLAINTS)},
        {"label": _("No-shows called"), "value": str(f.no_shows), "stars": None},
    ]


def _context(form, month, rows):
    return {"form": form, "month": month,
            "rows": [{"f": f, "name": person_name(f.teller),
                      "cells": _cells(f)} for f in rows]}


@role_required(Role.TELLER)
def mine(request):
    branch = request.user.staff_profile.branch
    form, month = _month(request)
    if month is None:
        return HttpResponseBadRequest(render(request, "insights/my_performance.html", {"form": form}).content)
    tellers = performance.tellers_visible_to(request.user, branch)
    rows = performance.monthly(branch=branch, tellers=tellers, month=month)
    return render(request, "insights/my_performance.html",
                  {**_context(form, month, rows), "branch": branch, "me": rows[0]})


@role_required(*performance.MANAGER_ROLES)
def branch_tellers(request, code):
    branch = branch_for_user(request.user, code)
    form, month = _month(request)
    if month is None:
        return HttpResponseBadRequest(render(request, "insights/performance.html",
                                             {"form": form, "branch": branch}).content)
    tellers = performance.tellers_visible_to(request.user, branch)
    rows = performance.monthly(branch=branch, tellers=tellers, month=month)
    return render(request, "insights/performance.html", {**_context(form, month, rows), "branch": branch})


@role_required(Role.HEAD_OFFICE_ADMIN)
def star_rules(request):
    rules = current_star_rules()
    forms_ = [StarRuleForm(request.POST or None, instance=r, prefix=r.metric) for r in rules]
    if request.method == "POST":
        if all(f.is_valid() for f in forms_):
            for f in forms_:
                star_rule_update(actor=request.user, metric=f.instance.metric, **f.cleaned_data)
            return redirect("insights-star-rules")
        status = 400
    else:
        status = 200
    return render(request, "insights/star_rules.html",
                  {"forms": [(f, f.instance.get_metric_display(),
                              f.instance.metric in performance.LOWER_IS_BETTER) for f in forms_]},
                  status=status)

