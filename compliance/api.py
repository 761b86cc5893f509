from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.audit import verify_chain
from compliance.models import AuditEvent
from core.pagination import ApiPagination, paginated


class CanViewAudit(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("compliance.view_auditevent")


class AuditEventOutput(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["chain", "seq", "created_at", "actor_id", "actor_name", "role", "device_id",
                  "branch_code", "action", "object_type", "object_id", "customer_id", "before",
                  "after", "summary", "request_id", "hash"]


class AuditSearchApi(APIView):
    pagination_class = ApiPagination
    permission_classes = [CanViewAudit]
    filters = {"customer": "customer_id", "branch": "branch_code", "action": "action",
               "actor": "actor_id", "object_type": "object_type", "object_id": "object_id"}

    @extend_schema(
        parameters=[OpenApiParameter(name, str, required=False) for name in
                    ["customer", "branch", "action", "actor", "object_type", "object_id",
                     "since", "until"]],
        responses=AuditEventOutput(many=True))
    def get(self, request):
        events = AuditEvent.objects.all()
        for param, field in self.filters.items():
            value = request.query_params.get(param)
            if value:
                if field in ("customer_id", "actor_id") and not value.isdigit():
                    raise serializers.ValidationError({param: [_("Enter a whole number.")]})
                events = events.filter(**{field: value})
        for param, lookup in (("since", "created_at__gte"), ("until", "created_at__lt")):
            value = request.query_params.get(param)
            if value:
                moment = parse_datetime(value)
                if moment is None:
                    raise serializers.ValidationError(
                        {param: [_("Enter a date and time such as 2026-01-31T09:00:00+08:00.")]})
                events = events.filter(**{lookup: moment})
        events = events.order_by("-id")
        return paginated(self, request, events, AuditEventOutput, default_limit=500)


class AuditVerifyApi(APIView):
    permission_classes = [CanViewAudit]

    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response(verify_chain().as_dict())
