"""Head office's and branch managers' pages: scores by branch, section and item over time, and
the checklist editor (each save publishes the next version)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from quality import access, selectors, services
from quality.forms import ItemFormSet, PeriodForm, PublishForm
from quality.models import Checklist, ChecklistVersion
from quality.scoring import level
from quality.standards import STANDARD_CODE


@login_required
@require_GET
def scores(request):
    if not access.is_inspector(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    if not request.GET:
        form = PeriodForm({})
    if not form.is_valid():
        return render(request, "quality/scores.html", {"form": form}, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    branches = access.inspectable_branches(request.user)
    history = list(selectors.branch_history(start=start, end=end, branches=branches)[:200])
    return render(
        request,
        "quality/scores.html",
        {
            "form": form,
            "heat": selectors.heat_map(start=start, end=end, branches=branches),
            "items": selectors.item_scores(start=start, end=end, branches=branches),
            "history": [(row, level(row.score)) for row in history],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request, code=STANDARD_CODE):
    if not access.is_head_office(request.user):
        raise PermissionDenied
    found = get_object_or_404(Checklist, code=code)
    current = services.checklist_current(found)
    initial = [
        {
            "code": i.code,
            "section": i.section,
            "text_zh_hans": i.text_zh_hans,
            "text_en": i.text_en,
            "weight": i.weight,
        }
        for i in (current.items.all() if current else [])
    ]
    formset = ItemFormSet(request.POST or None, initial=initial, prefix="items")
    publish = PublishForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        if formset.is_valid() and publish.is_valid():
            items = [
                f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                services.checklist_publish(
                    actor=request.user, checklist=found, items=items, note=publish.cleaned_data["note"]
                )
                return redirect("quality-checklist")
            except ValidationError as error:
                errors = [m for ms in error.message_dict.values() for m in ms]
    versions = ChecklistVersion.objects.filter(checklist=found).select_related("published_by")
    return render(
        request,
        "quality/checklist.html",
        {
            "checklist": found,
            "current": current,
            "formset": formset,
            "publish": publish,
            "errors": errors,
            "versions": versions,
        },
        status=400 if request.method == "POST" else 200,
    )
