"""Inspections over the API (read only): the list a person may see, and one inspection with its
answers. Writes happen on the phone pages, through the same services."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagination import ApiPagination, paginated
from quality import access
from quality.models import Kind, Status


class AnswerOutput(serializers.Serializer):
    item = serializers.CharField(source="item.code")
    section = serializers.CharField(source="item.section")
    text = serializers.CharField(source="item.text")
    weight = serializers.IntegerField(source="item.weight")
    result = serializers.CharField()
    note = serializers.CharField()
    has_photo = serializers.SerializerMethodField()

    def get_has_photo(self, answer) -> bool:
        return bool(answer.photo)


class InspectionOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    branch = serializers.CharField(source="branch.code")
    kind = serializers.CharField()
    status = serializers.CharField()
    scheduled_for = serializers.DateField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    checklist = serializers.CharField(source="checklist_version.checklist.code")
    checklist_version = serializers.IntegerField(source="checklist_version.number")


class InspectionDetailOutput(InspectionOutput):
    answers = AnswerOutput(many=True, source="answers.all")


def _allowed(user) -> None:
    if not (access.is_inspector(user) or access.is_mystery_shopper(user)):
        raise PermissionDenied


class InspectionListApi(APIView):
    """Inspections and mystery-shopper visits the signed-in person may see, newest first."""

    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    class Filter(serializers.Serializer):
        branch = serializers.CharField(required=False, max_length=20)
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        kind = serializers.ChoiceField(choices=Kind.choices, required=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("branch", str),
            OpenApiParameter("status", str),
            OpenApiParameter("kind", str),
        ],
        responses={200: InspectionOutput(many=True)},
    )
    def get(self, request):
        _allowed(request.user)
        given = self.Filter(data=request.query_params)
        given.is_valid(raise_exception=True)
        wanted = given.validated_data
        rows = access.visible_inspections(request.user)
        if wanted.get("branch"):
            rows = rows.filter(branch__code=wanted["branch"])
        for field in ("status", "kind"):
            if wanted.get(field):
                rows = rows.filter(**{field: wanted[field]})
        return paginated(self, request, rows.order_by("-scheduled_for", "-pk"), InspectionOutput)


class InspectionDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: InspectionDetailOutput})
    def get(self, request, pk):
        _allowed(request.user)
        inspection = access.inspection_for_user(request.user, pk)
        return Response(InspectionDetailOutput(inspection).data)
