"""The public fee pages (phone, kiosk, counter screen: no sign-in, no personal data), the fee
calculator, the history of what was published, and head office's change requests."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from branches.access import role_required, user_role
from branches.roles import Role
from compliance.models import ChangeKind, ChangeRequest, ChangeStatus
from fees import calculator, services
from fees.display import price_text, waiver_labels
from fees.forms import FeeChangeForm, QuoteForm
from fees.models import FeeItem, FeeVersion


def _rows(on=None) -> list[dict]:
    return [{"item": item, "version": version, "price": price_text(version, item.basis),
             "waivers": waiver_labels(version), "next": upcoming,
             "next_price": price_text(upcoming, item.basis) if upcoming else ""}
            for item, version, upcoming in services.catalogue(on)]


@require_GET
def catalogue(request):
    form = QuoteForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        item = form.cleaned_data["item"]
        version = services.version_in_effect(item)
        if version is None:
            form.add_error("item", ValidationError(_no_fee()))
        else:
            try:
                result = {"item": item, "version": version, "price": price_text(version, item.basis),
                          "quote": calculator.quote(version, amount=form.cleaned_data["amount"],
                                                    quantity=form.cleaned_data["quantity"] or 1,
                                                    groups=set(form.cleaned_data["groups"]))}
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field, messages)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "fees/catalogue.html", {"rows": _rows(), "form": form, "result": result,
                                                   "today": services.today()}, status=status)


def _no_fee():
    from django.utils.translation import gettext

    return gettext("This service has no published fee yet.")


@require_GET
def history(request):
    versions = (FeeVersion.objects.select_related("item").order_by("-published_at", "-pk"))
    rows = [{"version": v, "price": price_text(v, v.item.basis), "waivers": waiver_labels(v)}
            for v in versions]
    return render(request, "fees/history.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(Role.HEAD_OFFICE_ADMIN)
def change(request, code):
    item = get_object_or_404(FeeItem, code=code)
    current = services.version_in_effect(item)
    if request.method == "POST":
        form = FeeChangeForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            reason = values.pop("reason")
            try:
                services.fee_change_request(maker=request.user, item=item, values=values, reason=reason)
                return redirect("fees-manage")
            except ValidationError as error:
                for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
                    form.add_error(None if field not in form.fields else field, messages)
    else:
        initial = services.version_values(current) if current else {}
        initial.pop("effective_from", None)
        form = FeeChangeForm(initial=initial)
    return render(request, "fees/change.html", {
        "item": item, "form": form, "current": current,
        "current_price": price_text(current, item.basis) if current else ""},
        status=400 if request.method == "POST" else 200)


@require_GET
@role_required(Role.HEAD_OFFICE_ADMIN, Role.COMPLIANCE_OFFICER)
def manage(request):
    pending = ChangeRequest.objects.filter(kind=ChangeKind.FEE_CHANGE, status=ChangeStatus.PENDING) \
        .select_related("maker").order_by("-created_at")
    items = {str(item.pk): item for item in FeeItem.objects.all()}
    return render(request, "fees/manage.html", {
        "rows": _rows(), "pending": [(change, items.get(change.target_id)) for change in pending],
        "may_request": request.user.is_authenticated and _is_head_office(request.user)})


def _is_head_office(user) -> bool:
    return user_role(user) == Role.HEAD_OFFICE_ADMIN
