"""Corrective actions: the owner's list and closing with evidence; the branch manager's and head
office's reassigning and reopening."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from quality import access, services
from quality.forms import AssignForm, CloseForm, ReasonForm
from quality.models import ActionStatus


@login_required
@require_GET
def actions(request):
    if not access.is_staff(request.user):
        raise PermissionDenied
    rows = access.visible_actions(request.user)
    show = request.GET.get("show", "open")
    listed = rows.filter(status=ActionStatus.OPEN) if show == "open" else rows
    listed = listed.order_by("status", "due_at", "pk")
    now = timezone.now()
    return render(
        request,
        "quality/actions.html",
        {
            "mine": [a for a in listed if a.owner_id == request.user.pk],
            "others": [a for a in listed if a.owner_id != request.user.pk],
            "now": now,
            "show": show,
            "is_inspector": access.is_inspector(request.user),
            "overdue": sum(1 for a in listed if a.overdue(now)),
        },
    )


def _apply(form, call) -> bool:
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
        return True
    except ValidationError as error:
        for field, messages in (getattr(error, "message_dict", None) or {"__all__": error.messages}).items():
            form.add_error(field if field in form.fields else None, messages)
        return False


@login_required
@require_http_methods(["GET", "POST"])
def action(request, pk):
    found = access.action_for_user(request.user, pk)
    manager = access.may_manage_action(request.user, found)
    forms = {"close": CloseForm(), "assign": AssignForm(branch=found.branch), "reopen": ReasonForm()}
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        user = request.user
        if step == "close":
            forms["close"] = form = CloseForm(request.POST, request.FILES)
            done = _apply(
                form,
                lambda d: services.corrective_action_close(
                    actor=user, action=found, evidence=d["evidence"], photo=d.get("evidence_photo")
                ),
            )
        elif step == "assign" and manager:
            forms["assign"] = form = AssignForm(request.POST, branch=found.branch)
            done = _apply(
                form, lambda d: services.corrective_action_assign(actor=user, action=found, owner=d["owner"])
            )
        elif step == "reopen" and manager:
            forms["reopen"] = form = ReasonForm(request.POST)
            done = _apply(
                form,
                lambda d: services.corrective_action_reopen(actor=user, action=found, reason=d["reason"]),
            )
        else:
            raise PermissionDenied
        if done:
            return redirect("quality-action", found.pk)
        status = 400
    return render(
        request,
        "quality/action.html",
        {
            "action": found,
            "answer": found.answer,
            "inspection": found.answer.inspection,
            "manager": manager,
            "may_close": found.status == ActionStatus.OPEN and (found.owner_id == request.user.pk or manager),
            "overdue": found.overdue(timezone.now()),
            **{f"{key}_form": form for key, form in forms.items()},
        },
        status=status,
    )
