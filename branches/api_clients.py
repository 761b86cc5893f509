"""Head office registers and revokes the API clients of integrations (core banking, CRM).

The key is in the 201 answer only; afterwards only its prefix is shown. API clients themselves may
not use these endpoints (no scope reaches them)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole
from branches.models import ApiClient, ApiScope, Branch
from branches.roles import NETWORK_ROLES, STAFF_ROLES, Role
from branches.services import api_client_create, api_client_revoke
from core.pagination import ApiPagination, paginated


class ApiClientOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField(source="user.staff_profile.role")
    branch = serializers.CharField(source="user.staff_profile.branch.code", allow_null=True,
                                   default=None)
    scopes = serializers.ListField(child=serializers.CharField())
    key_prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)


class _HeadOfficeApi(APIView):
    permission_classes = [HasRole(Role.HEAD_OFFICE_ADMIN)]
    api_scope_family = ""  # closed to API clients whatever their scopes


class ApiClientListApi(_HeadOfficeApi):
    pagination_class = ApiPagination

    class Input(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        role = serializers.ChoiceField(choices=sorted(str(role) for role in STAFF_ROLES))
        branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all(),
                                              required=False, allow_null=True)
        scopes = serializers.ListField(child=serializers.ChoiceField(choices=ApiScope.choices),
                                       min_length=1)

        def validate(self, data):
            if data.get("branch") is None and Role(data["role"]) not in NETWORK_ROLES:
                raise serializers.ValidationError(
                    {"branch": [_("A branch role needs a branch.")]})
            return data

    class CreatedOutput(ApiClientOutput):
        key = serializers.CharField(help_text="Shown once: store it in the integration's vault.")

    @extend_schema(responses=ApiClientOutput(many=True))
    def get(self, request):
        clients = ApiClient.objects.select_related("user__staff_profile__branch")
        return paginated(self, request, clients, ApiClientOutput, default_limit=200)

    @extend_schema(request=Input, responses={201: CreatedOutput})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        client, key = api_client_create(actor=request.user, name=data.validated_data["name"],
                                        role=data.validated_data["role"],
                                        branch=data.validated_data.get("branch"),
                                        scopes=data.validated_data["scopes"])
        return Response(dict(ApiClientOutput(client).data, key=key), status=status.HTTP_201_CREATED)


class ApiClientRevokeApi(_HeadOfficeApi):
    @extend_schema(request=None, responses=ApiClientOutput)
    def post(self, request, pk):
        client = get_object_or_404(ApiClient, pk=pk)
        return Response(ApiClientOutput(api_client_revoke(actor=request.user, client=client)).data)
