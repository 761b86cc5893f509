"""The branch admin's floor-plan page: upload the drawing (sanitized), place and name the markers
for zones, counters, kiosks and the entrance (click the drawing to fill in x and y)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.access import branch_for_user, role_required, staff_branches
from branches.floorplans import FloorMarker
from branches.models import ServicePoint, Zone
from branches.roles import Role
from branches.wayfinding import floor_marker_delete, floor_marker_save, floor_plan_upload, plan_of

EDITORS = (Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)


class UploadForm(forms.Form):
    drawing = forms.FileField(label=gettext_lazy("Floor plan (SVG)"),
                              widget=forms.ClearableFileInput(attrs={"accept": ".svg,image/svg+xml"}))


class MarkerForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FloorMarker.Kind.choices)
    zone = forms.ModelChoiceField(label=gettext_lazy("Zone"), queryset=Zone.objects.none(), required=False)
    service_point = forms.ModelChoiceField(label=gettext_lazy("Counter or kiosk"),
                                           queryset=ServicePoint.objects.none(), required=False)
    name_zh_hans = forms.CharField(label=gettext_lazy("Name (Chinese)"), max_length=50, required=False,
                                   help_text=gettext_lazy("Empty: the zone's or counter's own name."))
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=50, required=False)
    direction_zh_hans = forms.CharField(
        label=gettext_lazy("Direction (Chinese)"), max_length=60, required=False,
        help_text=gettext_lazy("A few words from the entrance, e.g. A区，左手边"))
    direction_en = forms.CharField(label=gettext_lazy("Direction (English)"), max_length=60, required=False)
    x = forms.FloatField(label="x")
    y = forms.FloatField(label="y")

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = branch.zones.all()
        self.fields["service_point"].queryset = branch.service_points.all()


def _marker_initial(marker: FloorMarker | None) -> dict:
    if marker is None:
        return {}
    return {"kind": marker.kind, "zone": marker.zone_id, "service_point": marker.service_point_id,
            "name_zh_hans": marker.name_zh_hans, "name_en": marker.name_en,
            "direction_zh_hans": marker.direction_zh_hans, "direction_en": marker.direction_en,
            "x": marker.x, "y": marker.y}


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@role_required(*EDITORS)
def own_floor_plan(request):
    branch = staff_branches(request.user).first()
    if branch is None:
        raise Http404("no branch")
    return redirect("floor-plan", branch.code)


@role_required(*EDITORS)
def floor_plan_edit(request, code):
    branch = branch_for_user(request.user, code, write=True)
    plan = plan_of(branch)
    marker = None
    if plan and request.GET.get("marker", "").isdigit():
        marker = get_object_or_404(FloorMarker, plan=plan, pk=int(request.GET["marker"]))
    upload = UploadForm()
    form = MarkerForm(branch=branch, initial=_marker_initial(marker))
    status = 200
    if request.method == "POST" and request.POST.get("action") == "upload":
        upload = UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                plan, removed = floor_plan_upload(branch=branch, data=upload.cleaned_data["drawing"].read(),
                                                  actor=request.user)
            except ValidationError as error:
                _apply_errors(upload, error)
            else:
                messages.success(request, _("The floor plan was saved."))
                if removed:
                    messages.warning(request, _("Removed from the drawing for safety: %(items)s")
                                     % {"items": ", ".join(removed)})
                return redirect("floor-plan", branch.code)
        status = 400
    elif request.method == "POST" and plan is not None:
        form = MarkerForm(request.POST, branch=branch)
        if form.is_valid():
            try:
                floor_marker_save(plan=plan, marker=marker, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The marker was saved."))
                return redirect("floor-plan", branch.code)
        status = 400
    markers = plan.markers.select_related("zone", "service_point") if plan else []
    return render(request, "branches/floor_plan.html", {
        "branch": branch, "plan": plan, "upload": upload, "form": form, "marker": marker,
        "markers": markers}, status=status)


@require_POST
@role_required(*EDITORS)
def floor_marker_remove(request, code, marker_id):
    branch = branch_for_user(request.user, code, write=True)
    marker = get_object_or_404(FloorMarker, plan__branch=branch, pk=marker_id)
    floor_marker_delete(marker=marker, actor=request.user)
    messages.success(request, _("The marker was removed."))
    return redirect("floor-plan", branch.code)
