"""The compliance officer's list of dual recordings (双录) of their branches: download (audited)
and legal hold / release with a reason, through kiosk.recording's services."""

import datetime as dt
import zoneinfo

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from branches.access import role_required, staff_branches
from branches.roles import Role
from core import widgets
from kiosk import recording as services
from kiosk.models import RecordingStatus, VtmRecording

PAGE_SIZE = 50


class RecordingFilterForm(forms.Form):
    """Finds an older recording: the day of the call (in its branch's time), the call's ticket
    number (as on the customer's slip) and the status."""

    day = forms.DateField(label=_("Day of the call"), required=False,
                          widget=widgets.DateInput())
    ticket = forms.CharField(label=_("Ticket number"), required=False, max_length=8,
                             widget=forms.TextInput(attrs={"size": 6}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *RecordingStatus.choices])


def _on_day(rows, day: dt.date):
    """Recordings begun on `day` in their own branch's time zone."""
    clause = Q(pk__in=[])
    for zone in rows.order_by().values_list("vtm__branch__timezone", flat=True).distinct():
        start = dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(zone))
        clause |= Q(vtm__branch__timezone=zone, started_at__gte=start,
                    started_at__lt=start + dt.timedelta(days=1))
    return rows.filter(clause)


def _recordings(user):
    return (VtmRecording.objects.filter(vtm__branch__in=staff_branches(user))
            .select_related("vtm__branch", "vtm__teller", "vtm__customer")
            .prefetch_related("vtm__consent_events"))


def _recording(user, public_id) -> VtmRecording:
    found = _recordings(user).filter(public_id=public_id).first()
    if found is None:
        raise Http404("no such recording")
    return found


CUSTOMER_SALT = "kiosk.recordings.customer"
CUSTOMER_SEARCH_HOURS = 8  # a working day: the search is typed again after that


def _for_customer(request, rows):
    """The customer found by number (`recording_find_customer`): the address carries a signed
    list of customer ids and the masked number, never the number itself."""
    token = request.GET.get("customer")
    if not token:
        return rows, None, None
    try:
        found = signing.loads(token, salt=CUSTOMER_SALT, max_age=CUSTOMER_SEARCH_HOURS * 3600)
    except signing.BadSignature:
        return rows.none(), None, _("This search by customer has expired: type the number again.")
    return rows.filter(vtm__customer_id__in=found["ids"]), found["masked"], None


def _render(request, *, errors=None, failed=None, reason="", status=200, customer_errors=None):
    rows, customer, expired = _for_customer(request, _recordings(request.user))
    filters = RecordingFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["day"]:
            rows = _on_day(rows, filters.cleaned_data["day"])
        if filters.cleaned_data["ticket"]:  # CharField strips it
            rows = rows.filter(vtm__ticket__number__iexact=filters.cleaned_data["ticket"])
        if filters.cleaned_data["status"]:
            rows = rows.filter(status=filters.cleaned_data["status"])
    page = Paginator(rows.order_by("-started_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    other = query.copy()
    other.pop("customer", None)
    return render(request, "kiosk/recordings.html", {
        "without_customer": other.urlencode(), "customer_token": request.GET.get("customer", ""),
        "rows": page.object_list, "page": page, "filters": filters, "query": query.urlencode(),
        "errors": errors or [], "failed": failed, "reason": reason, "customer": customer,
        "customer_errors": customer_errors or ([expired] if expired else [])}, status=status)


@require_GET
@role_required(Role.COMPLIANCE_OFFICER)
def recording_list(request):
    """The officer's branches' recordings (all branches for head-office compliance), newest first,
    a page at a time, found by the day of the call and the status."""
    return _render(request)


@require_POST
@role_required(Role.COMPLIANCE_OFFICER)
def recording_find_customer(request):
    """Find by the customer's whole ID number or mobile phone (posted, so the number stays out of
    addresses and logs); the list then shows that customer's recordings, the number masked."""
    try:
        ids, masked = services.recordings_find_customer(actor=request.user,
                                                        number=request.POST.get("customer", ""))
    except ValidationError as error:
        return _render(request, customer_errors=error.messages, status=400)
    query = request.GET.copy()
    query.pop("page", None)
    query["customer"] = signing.dumps({"ids": ids, "masked": masked}, salt=CUSTOMER_SALT)
    return redirect(f"{reverse('kiosk-recordings')}?{query.urlencode()}")


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
