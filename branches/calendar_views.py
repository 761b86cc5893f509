"""Head office's calendar page: the confirmed horizon, each year's status, the import of a
year's official schedule (preview first, then a request a compliance officer approves), and
regional and branch exceptions."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from branches.access import role_required
from branches.calendar import confirmed_until, is_confirmed
from branches.calendar_services import (
    HORIZON_NOTICE,
    ScheduleFileInvalid,
    missing_statutory_days,
    schedule_exception_remove,
    schedule_exception_set,
    schedule_import_request,
    schedule_preview,
)
from branches.models import Branch, ScheduleDay, ScheduleYear
from branches.roles import Role
from branches.schedule_import import schedule_text
from core import widgets


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(label=_("Schedule file (CSV: date, kind, name)"))
    source = forms.CharField(label=_("Notice"), max_length=200, required=False)


class ScheduleExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=widgets.DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=ScheduleDay.Kind.choices)
    name = forms.CharField(label=pgettext_lazy("calendar day", "Name"), max_length=100)
    region = forms.CharField(label=_("Region"), max_length=50, required=False)
    branch = forms.ModelChoiceField(label=_("Branch"), required=False,
                                    queryset=Branch.objects.filter(is_active=True))


def _page(request, **extra):
    today = timezone.localdate()
    horizon = confirmed_until()
    next_year = today.year + 1
    return render(request, "branches/calendar.html", {
        "horizon": horizon, "horizon_near": today >= horizon - HORIZON_NOTICE,
        "next_year": next_year, "next_year_confirmed": is_confirmed(next_year),
        "years": ScheduleYear.objects.select_related("confirmed_by"),
        "exceptions": ScheduleDay.objects.exclude(scope=ScheduleDay.Scope.NATIONAL)
        .filter(date__gte=today).select_related("branch"),
        "upload_form": ScheduleUploadForm(), "exception_form": ScheduleExceptionForm(),
        **extra,
    })


@role_required(Role.HEAD_OFFICE_ADMIN)
def calendar_home(request):
    return _page(request)


@require_POST
@role_required(Role.HEAD_OFFICE_ADMIN)
def schedule_import_preview(request):
    form = ScheduleUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form)
    text = schedule_text(form.cleaned_data["file"].read())
    parsed = schedule_preview(text)
    return _page(request, upload_form=form, parsed=parsed, file_text=text,
                 source=form.cleaned_data["source"], missing=missing_statutory_days(parsed))


@require_POST
@role_required(Role.HEAD_OFFICE_ADMIN)
def schedule_import_submit(request):
    try:
        change = schedule_import_request(maker=request.user, data=request.POST.get("data", ""),
                                         source=request.POST.get("source", ""))
    except ScheduleFileInvalid as error:
        return _page(request, parsed=schedule_preview(request.POST.get("data", "")),
                     import_errors=error.messages)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("calendar-home")
    messages.success(request, _("Submitted for approval (request %(id)s). The schedule applies "
                                "when a compliance officer approves it.") % {"id": change.pk})
    return redirect("calendar-home")


@require_POST
@role_required(Role.HEAD_OFFICE_ADMIN)
def schedule_exception_add(request):
    form = ScheduleExceptionForm(request.POST)
    if form.is_valid():
        try:
            schedule_exception_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Exception saved."))
            return redirect("calendar-home")
    return _page(request, exception_form=form)


@require_POST
@role_required(Role.HEAD_OFFICE_ADMIN)
def schedule_exception_delete(request, exception_id: int):
    day = get_object_or_404(ScheduleDay.objects.exclude(scope=ScheduleDay.Scope.NATIONAL),
                            pk=exception_id)
    schedule_exception_remove(actor=request.user, day=day)
    messages.success(request, _("Exception removed."))
    return redirect("calendar-home")
