"""API of the compliance controls: one APIView per operation."""

from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import hooks, services
from compliance.evidence import EvidenceFilters, dashboard_figures, evidence_bundle
from compliance.makerchecker import (
    CHECKER_PERMISSION,
    ChangeRequestClosed,
    StaleChangeRequest,
    applier_for,
    change_request_approve,
    change_request_create,
    change_request_diff,
    change_request_reject,
    change_requests_for_user,
    override_request,
)
from compliance.models import ChangeKind, ChangeRequest, ChangeStatus, CoolingOff
from compliance.rules.engine import Outcome
from compliance.views_controls import COMPLIANCE_PERMISSION
from core.api_errors import Refusal
from core.pagination import ApiPagination, paginated


def _has_perm(permission: str) -> type[BasePermission]:
    class _HasPerm(BasePermission):
        def has_permission(self, request, view):
            return request.user.is_authenticated and request.user.has_perm(permission)

    return _HasPerm


def _require_branch(user, branch_code: str) -> None:
    """Staff act only for their own branches; customers never act as staff."""
    if hooks.customer_id_for(user) is not None:
        raise PermissionDenied
    branches = hooks.branch_codes_for(user)
    if branches is not None and branch_code not in branches:
        raise NotFound(_("No such branch."))


class ServiceRecordInput(serializers.Serializer):
    """Where a step happens: every request about a service record carries these."""

    class Meta:
        ref_name = "ComplianceServiceRecordInput"

    branch_code = serializers.CharField(max_length=20)
    customer_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    service_record_ref = serializers.CharField(max_length=80)


def _validated(request, input_class, *, device_allowed: bool = False) -> dict:
    """Valid input from a staff member of that branch (or from a signed-in device)."""
    serializer = input_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if not (device_allowed and getattr(request, "device", None) is not None):
        _require_branch(request.user, data["branch_code"])
    return data


class ChangeRequestOutput(serializers.ModelSerializer):
    maker = serializers.CharField(source="maker.get_username")
    checker = serializers.CharField(source="checker.get_username", default="")
    diff = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = ["id", "kind", "status", "target_label", "target_id", "branch_code",
                  "customer_id", "maker", "checker", "reason", "decision_note", "created_at",
                  "decided_at", "diff"]

    def get_diff(self, change) -> list[dict]:
        return [{"field": row.field, "before": row.before, "after": row.after}
                for row in change_request_diff(change)]


class OverrideRequestApi(APIView):
    class Input(ServiceRecordInput):
        class Meta:
            ref_name = "OverrideRequestInput"

        rule = serializers.CharField(max_length=40)
        reason = serializers.CharField(max_length=300, allow_blank=True)

    @extend_schema(request=Input, responses={201: ChangeRequestOutput})
    def post(self, request):
        data = _validated(request, self.Input)
        change = override_request(maker=request.user, **data)
        return Response(ChangeRequestOutput(change).data, status=status.HTTP_201_CREATED)


class ChangeRequestCreateApi(APIView):
    """A maker asks for a customer-information change, limit change or full reveal."""

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "ChangeRequestCreateInput"

        kind = serializers.ChoiceField(choices=[k for k in ChangeKind.choices
                                                if k[0] != ChangeKind.RULE_OVERRIDE])
        target_label = serializers.CharField(max_length=80)
        target_id = serializers.CharField(max_length=120)
        after = serializers.DictField()
        reason = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(request=Input, responses={201: ChangeRequestOutput})
    def post(self, request):
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            applier = applier_for(data["kind"], data["target_label"])
            target = applier.load(data["target_id"])
        except (DjangoValidationError, ObjectDoesNotExist, ValueError):
            raise NotFound(_("No such record.")) from None
        branch_code, customer_id = applier.scope(target) if applier.scope else ("", None)
        _require_branch(request.user, branch_code)
        change = change_request_create(maker=request.user, kind=data["kind"],
                       target=target, after=data["after"], reason=data.get("reason", ""),
                       branch_code=branch_code, customer_id=customer_id)
        return Response(ChangeRequestOutput(change).data, status=status.HTTP_201_CREATED)


class ChangeRequestListApi(APIView):
    pagination_class = ApiPagination
    permission_classes = [_has_perm("compliance.view_changerequest")]

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=ChangeStatus.values)],
                   responses=ChangeRequestOutput(many=True))
    def get(self, request):
        wanted = request.query_params.get("status", ChangeStatus.PENDING)
        if wanted not in ChangeStatus.values:
            raise ApiValidationError({"status": [_("Choose a valid status.")]})
        changes = change_requests_for_user(request.user).filter(status=wanted).order_by(
            "-created_at", "-pk")
        return paginated(self, request, changes, ChangeRequestOutput, default_limit=200)


class ChangeRequestApproveApi(APIView):
    permission_classes = [_has_perm(CHECKER_PERMISSION)]

    @extend_schema(request=None, responses={200: ChangeRequestOutput,
                                            409: OpenApiResponse(description="stale or decided")})
    def post(self, request, request_id: int):
        get_object_or_404(ChangeRequest, pk=request_id)
        try:
            change = change_request_approve(checker=request.user, request_id=request_id)
        except (StaleChangeRequest, ChangeRequestClosed) as error:
            raise Refusal("conflict", str(error), status.HTTP_409_CONFLICT)
        return Response(ChangeRequestOutput(change).data)


class ChangeRequestRejectApi(APIView):
    permission_classes = [_has_perm(CHECKER_PERMISSION)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "ChangeRequestRejectInput"

        reason = serializers.CharField(max_length=300, allow_blank=True)

    @extend_schema(request=Input, responses={200: ChangeRequestOutput})
    def post(self, request, request_id: int):
        get_object_or_404(ChangeRequest, pk=request_id)
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            change = change_request_reject(checker=request.user, request_id=request_id,
                                           reason=serializer.validated_data["reason"])
        except ChangeRequestClosed as error:
            raise Refusal("conflict", str(error), status.HTTP_409_CONFLICT)
        return Response(ChangeRequestOutput(change).data)


class CoolingOffOutput(serializers.ModelSerializer):
    class Meta:
        model = CoolingOff
        fields = ["id", "service_record_ref", "product_code", "sold_at", "deadline", "status",
                  "cancelled_at"]


class CoolingOffCancelApi(APIView):
    """The customer cancels a wealth purchase inside its cooling-off period."""

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "CoolingOffCancelInput"

        reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(request=Input, responses={200: CoolingOffOutput,
                                            409: OpenApiResponse(description="period over")})
    def post(self, request, cooling_off_id: int):
        customer_id = hooks.customer_id_for(request.user)
        cooling_off = CoolingOff.objects.filter(pk=cooling_off_id).first()
        if cooling_off is None or customer_id is None or cooling_off.customer_id != customer_id:
            raise NotFound
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            cooling_off = services.cooling_off_cancel(
                actor=request.user, cooling_off_id=cooling_off.pk,
                reason=serializer.validated_data.get("reason", ""))
        except services.CoolingOffClosed as error:
            raise Refusal("conflict", str(error), status.HTTP_409_CONFLICT)
        return Response(CoolingOffOutput(cooling_off).data)


class RecordingAttachApi(APIView):
    class Input(ServiceRecordInput):
        class Meta:
            ref_name = "RecordingAttachInput"

        external_id = serializers.CharField(max_length=120)
        started_at = serializers.DateTimeField()
        ended_at = serializers.DateTimeField()

    class Output(serializers.Serializer):
        class Meta:
            ref_name = "RecordingAttachOutput"

        id = serializers.IntegerField()
        external_id = serializers.CharField()
        seconds = serializers.IntegerField()

    @extend_schema(request=Input, responses={201: Output})
    def post(self, request):
        data = _validated(request, self.Input)
        recording = services.recording_attach(actor=request.user, **data)
        return Response(self.Output(recording).data, status=status.HTTP_201_CREATED)


class DisclosureConfirmApi(APIView):
    class Input(ServiceRecordInput):
        class Meta:
            ref_name = "DisclosureConfirmInput"

        script_code = serializers.CharField(max_length=40)
        version = serializers.IntegerField(min_value=1)

    @extend_schema(request=Input, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _validated(request, self.Input, device_allowed=True)
        confirmation = services.disclosure_confirm(actor=request.user,
                             device=getattr(request, "device", None), **data)
        return Response({"id": confirmation.pk, "confirmed_at": confirmation.confirmed_at},
                        status=status.HTTP_201_CREATED)


class StepConfirmApi(APIView):
    class Input(ServiceRecordInput):
        class Meta:
            ref_name = "StepConfirmInput"

        step = serializers.ChoiceField(choices=services.CONFIRMABLE_STEPS)
        answers = serializers.DictField(
            child=serializers.CharField(max_length=300, allow_blank=True), required=False,
            default=dict)

    @extend_schema(request=Input, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = _validated(request, self.Input, device_allowed=True)
        confirmation = services.step_confirm(actor=request.user,
                             device=getattr(request, "device", None), **data)
        return Response({"id": confirmation.pk, "step": confirmation.step,
                         "confirmed_at": confirmation.confirmed_at},
                        status=status.HTTP_201_CREATED)


class DashboardApi(APIView):
    permission_classes = [_has_perm(COMPLIANCE_PERMISSION)]

    @extend_schema(parameters=[OpenApiParameter("days", int)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        days = request.query_params.get("days", "7")
        if not days.isdigit() or not 0 < int(days) <= 366:
            raise ApiValidationError({"days": [_("Enter a number of days from 1 to 366.")]})
        end = timezone.now()
        figures = dashboard_figures(user=request.user, start=end - timedelta(days=int(days)),
                                    end=end)
        return Response({
            "evaluations": figures.evaluations, "checks_run": figures.checks_run,
            "blocks": figures.blocks, "warnings": figures.warnings,
            "overrides": figures.overrides, "service_records": figures.records,
            "coverage": figures.coverage, "uncovered": figures.uncovered_refs[:100],
            "by_rule": figures.by_rule,
            "pending_approvals": [{"id": p.change.pk, "kind": p.change.kind,
                                   "age_hours": round(p.age_hours, 1)} for p in figures.pending],
        })


class EvidenceExportApi(APIView):
    permission_classes = [_has_perm(COMPLIANCE_PERMISSION)]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "EvidenceExportInput"

        start = serializers.DateTimeField(required=False)
        end = serializers.DateTimeField(required=False)
        branch_code = serializers.CharField(max_length=20, required=False, default="")
        customer_id = serializers.IntegerField(required=False)
        service_code = serializers.CharField(max_length=40, required=False, default="")
        staff_id = serializers.IntegerField(required=False)
        outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, default="")

    @extend_schema(request=Input, responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def post(self, request):
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        bundle = evidence_bundle(user=request.user,
                                 filters=EvidenceFilters(**serializer.validated_data))
        response = HttpResponse(bundle, content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="evidence.zip"'
        return response
