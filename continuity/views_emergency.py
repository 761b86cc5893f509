"""Emergency plans: the lobby manager's activation page and checklist, the incident report (page and
PDF), head office's plan editor, and the lobby screens' emergency state."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.access import role_required, staff_branches, user_role
from branches.models import Branch
from branches.roles import Role
from compliance.models import AuditEvent
from continuity import emergency
from continuity.forms import CloseIncidentForm, PlaybookForm
from continuity.models import FraudCase, Incident, IncidentStatus, IncidentStep, Playbook

RESPONDERS = (Role.LOBBY_MANAGER, Role.BRANCH_ADMIN)
READERS = (*RESPONDERS, Role.TELLER, Role.WEALTH_MANAGER, Role.HEAD_OFFICE_ADMIN, Role.COMPLIANCE_OFFICER)
PLAN_EDITORS = (Role.HEAD_OFFICE_ADMIN, Role.BRANCH_ADMIN)


def _own_branch(user) -> Branch:
    branch = staff_branches(user).order_by("code").first()
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.branch_id:
        branch = profile.branch
    if branch is None:
        raise Http404("no branch")
    return branch


def _incident_for_user(user, pk: int) -> Incident:
    incident = (
        Incident.objects.select_related("branch", "activated_by", "closed_by")
        .filter(pk=pk, branch__in=staff_branches(user))
        .first()
    )
    if incident is None:
        raise Http404("no such incident")
    return incident


def _checklist(incident: Incident, now) -> list[dict]:
    return [
        {"step": step, "late": (step.done_at or now) > step.due_at}
        for step in incident.steps.select_related("done_by").order_by("position")
    ]


@role_required(*READERS)
@require_GET
def incidents(request):
    branch = _own_branch(request.user)
    incident = emergency.active_incident(branch)
    history = Incident.objects.filter(branch__in=staff_branches(request.user)).select_related("branch")[:30]
    context = {
        "branch": branch,
        "incident": incident,
        "playbooks": Playbook.objects.all(),
        "history": history,
        "may_act": user_role(request.user) in RESPONDERS,
        "close_form": CloseIncidentForm(),
    }
    if incident is not None:
        context["checklist"] = _checklist(incident, timezone.now())
    return render(request, "continuity/incidents.html", context)


@role_required(*RESPONDERS)
@require_POST
def incident_activate(request, kind):
    playbook = get_object_or_404(Playbook, kind=kind)
    try:
        emergency.incident_activate(actor=request.user, branch=_own_branch(request.user), playbook=playbook)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("continuity:incidents")


@role_required(*RESPONDERS, Role.TELLER, Role.WEALTH_MANAGER)
@require_POST
def incident_step_done(request, pk, step_id):
    incident = _incident_for_user(request.user, pk)
    step = get_object_or_404(IncidentStep, incident=incident, pk=step_id)
    try:
        emergency.incident_step_done(actor=request.user, step=step, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("continuity:incidents")


@role_required(*RESPONDERS)
@require_POST
def incident_close(request, pk):
    incident = _incident_for_user(request.user, pk)
    form = CloseIncidentForm(request.POST)
    if form.is_valid():
        try:
            emergency.incident_close(
                actor=request.user, incident=incident, summary=form.cleaned_data["summary"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("continuity:incident", pk=incident.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("continuity:incidents")


def _report_context(incident: Incident) -> dict:
    trail = AuditEvent.objects.filter(
        object_type="continuity.incident", object_id=str(incident.pk), chain=incident.branch.code
    ).order_by("seq")
    end = incident.closed_at or timezone.now()
    return {
        "incident": incident,
        "checklist": _checklist(incident, end),
        "trail": trail,
        "fraud_cases": FraudCase.objects.filter(
            branch=incident.branch, reported_at__gte=incident.activated_at, reported_at__lte=end
        ).order_by("reported_at"),
        "duration_minutes": int((end - incident.activated_at).total_seconds() // 60),
    }


@role_required(*READERS)
@require_GET
def incident_report(request, pk):
    return render(
        request, "continuity/incident_report.html", _report_context(_incident_for_user(request.user, pk))
    )


@role_required(*READERS)
@require_GET
def incident_report_pdf(request, pk):
    from continuity.incident_pdf import render_incident_pdf

    incident = _incident_for_user(request.user, pk)
    if incident.status != IncidentStatus.CLOSED:
        raise Http404("the report is written when the incident closes")
    response = HttpResponse(render_incident_pdf(**_report_context(incident)), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="incident-{incident.branch.code}-{incident.pk}.pdf"'
    )
    return response


@role_required(*PLAN_EDITORS)
@require_GET
def playbooks(request):
    return render(
        request,
        "continuity/playbooks.html",
        {"playbooks": Playbook.objects.all(), "may_edit": user_role(request.user) == Role.HEAD_OFFICE_ADMIN},
    )


@role_required(Role.HEAD_OFFICE_ADMIN)
@require_http_methods(["GET", "POST"])
def playbook_edit(request, kind):
    playbook = get_object_or_404(Playbook, kind=kind)
    form = PlaybookForm(request.POST or None, playbook=playbook)
    if request.method == "POST" and form.is_valid():
        emergency.playbook_update(actor=request.user, playbook=playbook, **form.changes())
        messages.success(request, _("The plan is saved; it applies from the next activation."))
        return redirect("continuity:playbooks")
    return render(
        request,
        "continuity/playbook_edit.html",
        {"playbook": playbook, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def lobby_emergency(request, code):
    """The lobby screen's emergency state (public text only): the overlay polls it."""
    return JsonResponse(emergency.lobby_state(code))
