"""The rates page of head office and the branch admin: what the lobby screen shows today, what
takes effect later, and the form that publishes a rate (fees.rates, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches.access import branch_for_user, role_required, staff_branches, user_role
from branches.roles import Role
from fees import rates
from fees.display import rate_text
from fees.forms import RateForm

NETWORK = "all"


def _scope(request):
    """The branch the page is about (None: head office's rates for every branch)."""
    code = request.GET.get("branch") or request.POST.get("scope") or ""
    if user_role(request.user) == Role.HEAD_OFFICE_ADMIN and code in ("", NETWORK):
        return None
    if not code:
        branch = staff_branches(request.user).order_by("code").first()
        code = branch.code if branch is not None else ""
    return branch_for_user(request.user, code, write=True)


@require_http_methods(["GET", "POST"])
@role_required(Role.HEAD_OFFICE_ADMIN, Role.BRANCH_ADMIN)
def manage_rates(request):
    branch = _scope(request)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate = rates.rate_publish(actor=request.user, branch=branch, values=form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Published: %(rate)s, from %(date)s.") % {
                "rate": rate_text(rate), "date": rate.effective_from.isoformat()})
            return redirect(f"{request.path}?branch={branch.code if branch else NETWORK}")
    shown_at = branch or staff_branches(request.user).order_by("code").first()
    current = rates.rates_in_effect(shown_at) if shown_at else []
    upcoming = rates.upcoming_rates(shown_at) if shown_at else []
    return render(request, "fees/rates.html", {
        "scope": branch, "scope_code": branch.code if branch else NETWORK, "form": form,
        "network": user_role(request.user) == Role.HEAD_OFFICE_ADMIN,
        "branches": staff_branches(request.user).order_by("code"),
        "current": [(rate, rate_text(rate)) for rate in current],
        "upcoming": [(rate, rate_text(rate)) for rate in upcoming],
        "shown_at": shown_at, "today": rates.local_today(branch)},
        status=400 if request.method == "POST" else 200)
