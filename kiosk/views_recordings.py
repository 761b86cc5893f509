"""The compliance officer's list of dual recordings (双录) of their branches: download (audited)
and legal hold / release with a reason, through kiosk.recording's services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from branches.access import role_required, staff_branches
from branches.roles import Role
from kiosk import recording as services
from kiosk.models import VtmRecording

PAGE_SIZE = 200


def _recordings(user):
    return (VtmRecording.objects.filter(vtm__branch__in=staff_branches(user))
            .select_related("vtm__branch", "vtm__teller", "vtm__customer"))


def _recording(user, public_id) -> VtmRecording:
    found = _recordings(user).filter(public_id=public_id).first()
    if found is None:
        raise Http404("no such recording")
    return found


def _render(request, *, errors=None, failed=None, reason="", status=200):
    rows = list(_recordings(request.user).order_by("-started_at", "-id")[:PAGE_SIZE])
    return render(request, "kiosk/recordings.html", {
        "rows": rows, "errors": errors or [], "failed": failed, "reason": reason,
        "page_size": PAGE_SIZE}, status=status)


@require_GET
@role_required(Role.COMPLIANCE_OFFICER)
def recording_list(request):
    """The newest recordings of the officer's branches (all branches for head-office compliance)."""
    return _render(request)


@require_GET
@role_required(Role.COMPLIANCE_OFFICER)
def recording_download(request, public_id):
    found = _recording(request.user, public_id)
    try:
        handle = services.recording_open(actor=request.user, recording=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("kiosk-recordings")
    extension = found.file.name.rpartition(".")[2]
    return FileResponse(handle, content_type=found.content_type, as_attachment=True,
                        filename=f"vtm-{found.vtm.public_id}.{extension}")


@require_POST
@role_required(Role.COMPLIANCE_OFFICER)
def recording_hold(request, public_id):
    found = _recording(request.user, public_id)
    hold, reason = request.POST.get("hold") == "1", request.POST.get("reason", "")
    try:
        services.recording_legal_hold(actor=request.user, recording=found, hold=hold, reason=reason)
    except ValidationError as error:
        return _render(request, errors=error.messages, failed=found.pk, reason=reason, status=400)
    messages.success(request, _("The recording is held.") if hold else _("The hold is released."))
    return redirect("kiosk-recordings")
