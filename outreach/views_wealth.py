"""The wealth team's page: import the daily NAV file and the holdings file, see the fall alerts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import role_required, staff_branches
from branches.roles import Role
from outreach import holdings, wealth
from outreach.forms import HoldingsImportForm, NavImportForm
from outreach.models import DropAlert, Holding

WEALTH_ROLES = (Role.WEALTH_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)


def alerts_for(user):
    return (
        DropAlert.objects.select_related("holding__customer", "holding__product", "work_order")
        .filter(holding__branch__in=staff_branches(user))
        .order_by("-created_at")
    )


def _uploaded_text(form) -> str:
    return form.cleaned_data["file"].read().decode("utf-8-sig", errors="replace")


def _page(request, *, nav_form=None, holdings_form=None, nav_errors=(), holdings_errors=()):
    watched = Holding.objects.filter(branch__in=staff_branches(request.user), closed_on__isnull=True)
    return render(
        request,
        "outreach/wealth.html",
        {
            "form": nav_form or NavImportForm(),
            "errors": list(nav_errors),
            "holdings_form": holdings_form or HoldingsImportForm(prefix="holdings"),
            "holdings_errors": list(holdings_errors),
            "watched": watched.count(),
            "alerts": alerts_for(request.user)[:100],
        },
    )


@role_required(*WEALTH_ROLES)
def wealth_monitor(request):
    form = NavImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = wealth.nav_import(actor=request.user, text=_uploaded_text(form))
        except ValidationError as error:
            return _page(request, nav_form=form, nav_errors=error.message_dict.get("file", error.messages))
        messages.success(
            request,
            _("%(lines)d NAV lines imported; %(alerts)d new fall alerts.")
            % {"lines": result.imported, "alerts": len(result.alerts)},
        )
        return redirect("outreach:wealth")
    return _page(request, nav_form=form if request.method == "POST" else None)


@role_required(*WEALTH_ROLES)
@require_POST
def holdings_upload(request):
    form = HoldingsImportForm(request.POST, request.FILES, prefix="holdings")
    if not form.is_valid():
        return _page(request, holdings_form=form)
    try:
        result = holdings.holdings_import(actor=request.user, text=_uploaded_text(form))
    except ValidationError as error:
        return _page(
            request, holdings_form=form, holdings_errors=error.message_dict.get("file", error.messages)
        )
    messages.success(
        request,
        _("Holdings imported: %(created)d new, %(updated)d updated.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("outreach:wealth")
