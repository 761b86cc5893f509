"""The inspector's and mystery shopper's pages: what to score, scheduling, scoring an inspection on
the phone (one item per row), the locked report, and the photos (served only to who may see them)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quality import access, services
from quality.forms import ReasonForm, ScheduleForm
from quality.models import Answer, Result, Section, Status
from quality.scoring import level, weighted_score
from quality.services.inspections import Mark


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return getattr(error, "message_dict", None) or {"__all__": error.messages}


@login_required
@require_http_methods(["GET", "POST"])
def home(request):
    user = request.user
    if not (access.is_inspector(user) or access.is_mystery_shopper(user)):
        if access.is_staff(user):
            return redirect("quality-actions")  # any staff member may own corrective actions
        raise PermissionDenied
    form = ScheduleForm(request.POST or None, user=user) if access.is_inspector(user) else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                inspection = services.inspection_schedule(actor=user, **form.cleaned_data)
                return redirect("quality-inspection", inspection.pk)
            except ValidationError as error:
                for field, messages in _errors(error).items():
                    form.add_error(field if field in form.fields else None, messages)
        status = 400
    visible = access.visible_inspections(user)
    return render(
        request,
        "quality/home.html",
        {
            "form": form,
            "mine": visible.filter(
                inspector=user, status__in=[Status.SCHEDULED, Status.IN_PROGRESS]
            ).order_by("scheduled_for", "pk"),
            "recent": visible.exclude(inspector=user, status__in=[Status.SCHEDULED, Status.IN_PROGRESS])[:20],
            "is_head_office": access.is_head_office(user),
            "is_inspector": access.is_inspector(user),
            "quality_role": access.quality_role(user),
        },
        status=status,
    )


def _marks(request, items) -> dict[int, Mark]:
    return {
        item.pk: Mark(
            result=request.POST.get(f"result-{item.pk}", ""),
            note=request.POST.get(f"note-{item.pk}", ""),
            photo=request.FILES.get(f"photo-{item.pk}"),
        )
        for item in items
    }


def _sections(items, answers: dict[int, Answer], marks: dict[int, Mark] | None, errors: dict):
    """Items grouped by section, each with what to show in its row and its section score."""
    grouped: dict[str, list] = {value: [] for value in Section.values}
    for item in items:
        answer = answers.get(item.pk)
        mark = marks.get(item.pk) if marks else None
        grouped[item.section].append(
            {
                "item": item,
                "answer": answer,
                "result": (mark.result if mark and mark.result else answer.result if answer else ""),
                "note": mark.note if mark else (answer.note if answer else ""),
                "errors": [
                    *errors.get(f"result-{item.pk}", []),
                    *errors.get(f"note-{item.pk}", []),
                    *errors.get(f"photo-{item.pk}", []),
                ],
                "action": getattr(answer, "action", None) if answer else None,
            }
        )
    sections = []
    for value, label in Section.choices:
        rows = grouped[value]
        if rows:
            score = weighted_score(
                (row["answer"].result, row["item"].weight) for row in rows if row["answer"]
            )
            sections.append(
                {"key": value, "label": label, "rows": rows, "score": score, "level": level(score)}
            )
    return sections


@login_required
@require_http_methods(["GET", "POST"])
def inspection(request, pk):
    found = access.inspection_for_user(request.user, pk)
    scoring = found.inspector_id == request.user.pk and not found.locked
    items = list(found.checklist_version.items.all())
    marks, errors, status = None, {}, 200
    if request.method == "POST":
        if not scoring:
            raise PermissionDenied
        marks = _marks(request, items)
        try:
            found = services.inspection_save(actor=request.user, inspection=found, marks=marks)
            if request.POST.get("action") == "submit":
                found = services.inspection_submit(actor=request.user, inspection=found)
                return redirect("quality-inspection", found.pk)
            return redirect(f"{request.path}?saved=1")
        except ValidationError as error:
            errors, status = _errors(error), 400
    answers = {a.item_id: a for a in found.answers.select_related("action__owner")}
    return render(
        request,
        "quality/inspection.html",
        {
            "inspection": found,
            "scoring": scoring,
            "sections": _sections(items, answers, marks, errors),
            "errors": errors.get("__all__", []),
            "results": Result.choices,
            "saved": request.GET.get("saved"),
            "answered": len(answers),
            "total": len(items),
            "score_level": level(found.score),
            "may_cancel": not found.locked
            and (found.scheduled_by_id == request.user.pk or access.is_head_office(request.user)),
            "cancel_form": ReasonForm(),
        },
        status=status,
    )


@login_required
@require_POST
def inspection_cancel(request, pk):
    found = access.inspection_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_cancel(
                actor=request.user, inspection=found, reason=form.cleaned_data["reason"]
            )
            return redirect("quality-inspection", found.pk)
        except ValidationError as error:
            message = " ".join(m for ms in _errors(error).values() for m in ms)
    else:
        message = _("Say why the inspection is cancelled.")
    return render(request, "quality/message.html", {"message": message, "back": found}, status=400)


@login_required
@require_GET
def answer_photo(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("inspection"), pk=pk)
    access.inspection_for_user(request.user, answer.inspection_id)
    return _photo(answer.photo)


@login_required
@require_GET
def action_photo(request, pk):
    action = access.action_for_user(request.user, pk)
    return _photo(action.evidence_photo)


def _photo(field):
    if not field:
        raise Http404("no photo")
    return FileResponse(field.open("rb"), filename=field.name.rsplit("/", 1)[-1])
