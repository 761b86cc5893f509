"""Pages of the compliance officer: dashboard, evidence search & export, approvals, rules."""

from datetime import datetime, time, timedelta
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from compliance import hooks
from compliance.evidence import EvidenceFilters, dashboard_figures, evidence_bundle, evidence_search
from compliance.makerchecker import (
    CHECKER_PERMISSION,
    ChangeRequestClosed,
    StaleChangeRequest,
    can_check,
    change_request_approve,
    change_request_diff,
    change_request_reject,
    change_requests_for_user,
    override_request,
)
from compliance.models import ChangeStatus, RuleEvaluation, RuleSetting
from compliance.rules.engine import RULES, SERVICE_RULES, CheckResult, Outcome
from compliance.services import CoolingOffClosed, cooling_off_cancel, cooling_offs_for_customer
from core import widgets

COMPLIANCE_PERMISSION = "compliance.view_ruleevaluation"  # compliance officer, head-office admin


def permission_required(permission: str):
    """Sign-in page for visitors, 403 for users without `permission`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


compliance_staff_required = permission_required(COMPLIANCE_PERMISSION)
approver_view_required = permission_required("compliance.view_changerequest")


@compliance_staff_required
def dashboard(request):
    days = request.GET.get("days", "7")
    days = int(days) if days.isdigit() and 0 < int(days) <= 366 else 7
    end = timezone.now()
    figures = dashboard_figures(user=request.user, start=end - timedelta(days=days), end=end)
    return render(request, "compliance/controls/dashboard.html",
                  {"figures": figures, "days": days, "day_choices": [1, 7, 30, 90]})


class EvidenceForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False,
                            widget=widgets.DateInput())
    end = forms.DateField(label=_("To (inclusive)"), required=False,
                          widget=widgets.DateInput())
    branch_code = forms.CharField(label=_("Branch code"), required=False, max_length=20)
    customer_id = forms.IntegerField(label=_("Customer id"), required=False, min_value=1)
    service_code = forms.CharField(label=_("Business type"), required=False, max_length=40)
    staff = forms.CharField(label=_("Staff member (user name)"), required=False, max_length=150)
    outcome = forms.ChoiceField(label=_("Rule outcome"), required=False,
                                choices=[("", _("Any")), *Outcome.choices])

    def clean_staff(self):
        username = self.cleaned_data["staff"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("No staff member has this user name."))
        return user.pk

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end date is before the start date."))
        return data

    def filters(self) -> EvidenceFilters:
        data = self.cleaned_data

        def day_start(day):
            return timezone.make_aware(datetime.combine(day, time.min)) if day else None

        return EvidenceFilters(
            start=day_start(data.get("start")),
            end=day_start(data["end"] + timedelta(days=1)) if data.get("end") else None,
            branch_code=data.get("branch_code", "").strip(),
            customer_id=data.get("customer_id"), service_code=data.get("service_code", "").strip(),
            staff_id=data.get("staff"), outcome=data.get("outcome", ""),
        )


@compliance_staff_required
def evidence(request):
    form = EvidenceForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = evidence_search(user=request.user, filters=form.filters())
    context = {"form": form, "results": results, "query": request.GET.urlencode()}
    if results is not None:
        context.update(evaluations=results.evaluations[:200], events=results.audit_events[:200])
    template = ("compliance/controls/_evidence_results.html" if request.htmx
                else "compliance/controls/evidence.html")
    return render(request, template, context)


@require_POST
@compliance_staff_required
def evidence_export(request):
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return render(request, "compliance/controls/evidence.html", {"form": form}, status=400)
    bundle = evidence_bundle(user=request.user, filters=form.filters())
    name = f"evidence-{timezone.localtime():%Y%m%d-%H%M%S}.zip"
    response = HttpResponse(bundle, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@approver_view_required
def approvals(request):
    visible = change_requests_for_user(request.user)
    pending = [(change, change_request_diff(change), can_check(request.user, change))
               for change in visible.filter(status=ChangeStatus.PENDING).order_by("created_at")]
    decided = visible.exclude(status=ChangeStatus.PENDING).order_by("-decided_at")[:50]
    return render(request, "compliance/controls/approvals.html",
                  {"pending": pending, "decided": decided, "now": timezone.now()})


@approver_view_required
def approval_detail(request, request_id: int):
    change = get_object_or_404(change_requests_for_user(request.user), pk=request_id)
    return render(request, "compliance/controls/approval_detail.html", {
        "change": change, "diff": change_request_diff(change),
        "can_decide": change.status == ChangeStatus.PENDING and can_check(request.user, change)
        and change.maker_id != request.user.pk,
    })


@require_POST
@permission_required(CHECKER_PERMISSION)
def approval_approve(request, request_id: int):
    get_object_or_404(change_requests_for_user(request.user), pk=request_id)
    try:
        change_request_approve(checker=request.user, request_id=request_id)
    except (StaleChangeRequest, ChangeRequestClosed) as error:
        messages.error(request, str(error))
        return redirect("compliance-approval", request_id=request_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("compliance-approval", request_id=request_id)
    messages.success(request, _("Approved and applied."))
    return redirect("compliance-approvals")


@require_POST
@permission_required(CHECKER_PERMISSION)
def approval_reject(request, request_id: int):
    change = get_object_or_404(change_requests_for_user(request.user), pk=request_id)
    try:
        change_request_reject(checker=request.user, request_id=request_id,
                              reason=request.POST.get("reason", ""))
    except ValidationError as error:
        return render(request, "compliance/controls/approval_detail.html", {
            "change": change, "diff": change_request_diff(change), "can_decide": True,
            "reject_errors": error.messages, "reason": request.POST.get("reason", ""),
        }, status=400)
    except ChangeRequestClosed as error:
        messages.error(request, str(error))
        return redirect("compliance-approval", request_id=request_id)
    messages.success(request, _("Rejected."))
    return redirect("compliance-approvals")


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                              require_https=request.is_secure())
    return target if allowed else fallback


@login_required
def override_new(request):
    """A teller asks a second person to let a blocked step finish (linked from the console)."""
    ref, rule = request.GET.get("ref", ""), request.GET.get("rule", "")
    evaluation = (RuleEvaluation.objects.filter(service_record_ref=ref).order_by("-created_at", "-id")
                  .first())
    result = next((r for r in evaluation.results if r["rule"] == rule), None) if evaluation else None
    if result is None or result["outcome"] != Outcome.BLOCK:
        raise Http404("no such block")
    branches = hooks.branch_codes_for(request.user)
    if hooks.customer_id_for(request.user) is not None or (
            branches is not None and evaluation.branch_code not in branches):
        raise Http404("no such block")
    errors, back = [], _safe_next(request, reverse("staff-home"))
    if request.method == "POST":
        try:
            override_request(maker=request.user, branch_code=evaluation.branch_code,
                             customer_id=evaluation.customer_id, service_record_ref=ref,
                             rule=rule, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Sent to a second person for approval."))
            return redirect(back)
    return render(request, "compliance/controls/override_new.html", {
        "result": CheckResult.from_dict(result), "ref": ref, "rule": rule, "errors": errors,
        "next": back, "reason": request.POST.get("reason", ""),
    }, status=400 if errors else 200)


@login_required
def my_cooling_offs(request):
    """The customer's wealth purchases still inside their cooling-off period, with a cancel."""
    customer_id = hooks.customer_id_for(request.user)
    if customer_id is None:
        raise PermissionDenied
    if request.method == "POST":
        cooling_off = get_object_or_404(cooling_offs_for_customer(customer_id),
                                        pk=request.POST.get("cooling_off") or 0)
        try:
            cooling_off_cancel(actor=request.user, cooling_off_id=cooling_off.pk,
                               reason=request.POST.get("reason", ""))
        except CoolingOffClosed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your purchase is cancelled."))
        return redirect("compliance-my-cooling-offs")
    return render(request, "compliance/controls/my_cooling_offs.html", {
        "purchases": cooling_offs_for_customer(customer_id)[:50], "now": timezone.now()})


@compliance_staff_required
def rules(request):
    settings_by_rule: dict[str, list[RuleSetting]] = {}
    for setting in RuleSetting.objects.order_by("rule", "branch_code", "service_code",
                                                "product_code"):
        settings_by_rule.setdefault(setting.rule, []).append(setting)
    rows = [
        {"rule": rule, "defaults": rule.defaults,
         "services": sorted(code for code, codes in SERVICE_RULES.items() if rule.code in codes),
         "settings": settings_by_rule.get(rule.code, [])}
        for rule in RULES.values()
    ]
    return render(request, "compliance/controls/rules.html", {"rows": rows})
