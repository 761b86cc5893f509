from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole, branch_for_user
from branches.models import Branch, Device, ServicePoint, ServiceType
from branches.roles import Role
from branches.services import device_issue_token, device_revoke
from core.pagination import ApiPagination, paginated


class BranchOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()
    address = serializers.SerializerMethodField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    is_open_now = serializers.SerializerMethodField()

    def get_address(self, branch) -> str:
        return branch.localized("address")

    def get_is_open_now(self, branch) -> bool:
        return branch.is_open_at(timezone.now())


class BranchListApi(APIView):
    """Public list of branches with whether each is open now (customers choose a branch)."""

    pagination_class = ApiPagination
    permission_classes = [AllowAny]

    @extend_schema(responses=BranchOutput(many=True))
    def get(self, request):
        branches = Branch.objects.filter(is_active=True).prefetch_related(
            "opening_hours", "calendar_exceptions").order_by("code")
        return paginated(self, request, branches, BranchOutput, default_limit=500,
                         max_limit=1000)


class ServiceTypeOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    complexity = serializers.CharField()
    target_minutes = serializers.IntegerField()
    channels = serializers.SerializerMethodField()
    risk_level = serializers.CharField()
    needs_appointment = serializers.BooleanField()

    def get_channels(self, service) -> list[str]:
        return sorted(service.allowed_channels)


class ServiceTypeListApi(APIView):
    """Public service catalogue."""

    pagination_class = ApiPagination
    permission_classes = [AllowAny]

    @extend_schema(responses=ServiceTypeOutput(many=True))
    def get(self, request):
        services = ServiceType.objects.filter(is_active=True).order_by("code")
        return paginated(self, request, services, ServiceTypeOutput, default_limit=500)


class DeviceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    token_prefix = serializers.CharField()
    service_point = serializers.CharField(source="service_point.code", allow_null=True,
                                          default=None)
    issued_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    last_seen_at = serializers.DateTimeField(allow_null=True)


class DeviceListApi(APIView):
    pagination_class = ApiPagination
    permission_classes = [HasRole(Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)]

    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Device.Kind.choices)
        name = serializers.CharField(max_length=100)
        service_point = serializers.CharField(max_length=10, required=False, allow_blank=True)

    class IssuedOutput(DeviceOutput):
        token = serializers.CharField(help_text="Shown once; store it on the device.")

    @extend_schema(responses=DeviceOutput(many=True))
    def get(self, request, code):
        branch = branch_for_user(request.user, code)
        devices = branch.devices.select_related("service_point").order_by("pk")
        return paginated(self, request, devices, DeviceOutput, default_limit=500)

    @extend_schema(request=Input, responses={201: IssuedOutput})
    def post(self, request, code):
        branch = branch_for_user(request.user, code, write=True)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        point = None
        if data.validated_data.get("service_point"):
            point = ServicePoint.objects.filter(branch=branch,
                                                code=data.validated_data["service_point"]).first()
            if point is None:
                raise serializers.ValidationError({"service_point": ["No such service point."]})
        device, token = device_issue_token(actor=request.user, branch=branch,
                                           kind=data.validated_data["kind"],
                                           name=data.validated_data["name"], service_point=point)
        output = dict(DeviceOutput(device).data, token=token)
        return Response(output, status=status.HTTP_201_CREATED)


class DeviceRevokeApi(APIView):
    permission_classes = [HasRole(Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)]

    @extend_schema(request=None, responses=DeviceOutput)
    def post(self, request, code, device_id):
        branch = branch_for_user(request.user, code, write=True)
        device = get_object_or_404(Device, branch=branch, pk=device_id)
        return Response(DeviceOutput(device_revoke(actor=request.user, device=device)).data)
