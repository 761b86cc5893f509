"""The wealth team's page: import the daily NAV file, see the fall alerts it raised."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from branches.access import role_required, staff_branches
from branches.roles import Role
from outreach import wealth
from outreach.forms import NavImportForm
from outreach.models import DropAlert

WEALTH_ROLES = (Role.WEALTH_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)


def alerts_for(user):
    return (
        DropAlert.objects.select_related("holding__customer", "holding__product", "work_order")
        .filter(holding__branch__in=staff_branches(user))
        .order_by("-created_at")
    )


@role_required(*WEALTH_ROLES)
def wealth_monitor(request):
    form = NavImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"].read().decode("utf-8-sig", errors="replace")
        try:
            result = wealth.nav_import(actor=request.user, text=text)
        except ValidationError as error:
            errors = error.message_dict.get("file", error.messages)
        else:
            messages.success(
                request,
                _("%(lines)d NAV lines imported; %(alerts)d new fall alerts.")
                % {"lines": result.imported, "alerts": len(result.alerts)},
            )
            return redirect("outreach:wealth")
    return render(
        request,
        "outreach/wealth.html",
        {"form": form, "errors": errors, "alerts": alerts_for(request.user)[:100]},
    )
