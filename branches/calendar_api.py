"""The official calendar over HTTP: anyone may read which days are worked; head office imports a
year's schedule (approved by a compliance officer through the maker-checker requests) and keeps
regional and branch exceptions."""

import datetime as dt

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole
from branches.calendar import calendar_day, confirmed_until
from branches.calendar_services import (
    ScheduleFileInvalid,
    missing_statutory_days,
    schedule_exception_remove,
    schedule_exception_set,
    schedule_import_request,
    schedule_preview,
)
from branches.models import Branch, ScheduleDay, ScheduleYear
from branches.roles import Role
from core.api_errors import ApiErrorOutput, Invalid
from core.pagination import ApiPagination, paginated

MAX_DAYS = 366
HeadOffice = HasRole(Role.HEAD_OFFICE_ADMIN)


class CalendarDayOutput(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    name = serializers.CharField()
    source = serializers.CharField()
    provisional = serializers.BooleanField()
    is_working = serializers.BooleanField()


class CalendarDayListApi(APIView):
    """Which days are worked, holidays or make-up working days (for a branch: with its
    exceptions). `provisional` days come from the statutory rules, not a confirmed schedule."""

    pagination_class = ApiPagination
    permission_classes = [AllowAny]

    class Input(serializers.Serializer):
        start = serializers.DateField()
        days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=31)
        branch = serializers.CharField(required=False)

    @extend_schema(parameters=[Input], responses=CalendarDayOutput(many=True))
    def get(self, request):
        query = self.Input(data=request.query_params)
        query.is_valid(raise_exception=True)
        branch = None
        if query.validated_data.get("branch"):
            branch = get_object_or_404(Branch, code=query.validated_data["branch"], is_active=True)
        start = query.validated_data["start"]
        days = [calendar_day(start + dt.timedelta(days=offset), branch=branch)
                for offset in range(query.validated_data["days"])]
        return paginated(self, request, days, CalendarDayOutput, default_limit=MAX_DAYS)


class ScheduleYearOutput(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.CharField()
    source = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


class ScheduleYearListApi(APIView):
    """The years head office has confirmed or left provisional, and the confirmed horizon."""

    permission_classes = [HeadOffice]

    class Output(serializers.Serializer):
        confirmed_until = serializers.DateField()
        years = ScheduleYearOutput(many=True)

    @extend_schema(responses=Output)
    def get(self, request):
        years = ScheduleYear.objects.all()
        return Response(self.Output({"confirmed_until": confirmed_until(), "years": years}).data)


class ScheduleFileInput(serializers.Serializer):
    file = serializers.FileField(help_text="CSV: date,kind,name (kind: holiday | makeup_workday)")
    source = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _refuse_lines(error: ScheduleFileInvalid) -> None:
    """400 in the one error shape: each bad line's message on `file`, and beside it `lines`."""
    raise Invalid({"file": error.messages},
                  {"lines": [{"line": line, "message": message} for line, message in error.lines]})


class ScheduleFileRefusedOutput(ApiErrorOutput):
    lines = serializers.ListField(child=serializers.DictField(), required=False,
                                  help_text="every bad line: {line, message}")


class ScheduleRowOutput(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    name = serializers.CharField()


class ScheduleImportPreviewApi(APIView):
    """Check a schedule file without importing it: its days, or its errors line by line."""

    permission_classes = [HeadOffice]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ScheduleFileInput,
                   responses={200: ScheduleRowOutput(many=True), 400: ScheduleFileRefusedOutput})
    def post(self, request):
        form = ScheduleFileInput(data=request.data)
        form.is_valid(raise_exception=True)
        parsed = schedule_preview(form.validated_data["file"].read())
        if parsed.errors:
            _refuse_lines(ScheduleFileInvalid(parsed.errors))
        return Response({
            "year": parsed.year,
            "days": ScheduleRowOutput(parsed.rows, many=True).data,
            "statutory_days_not_listed": [{"date": day, "name": name}
                                          for day, name in missing_statutory_days(parsed)],
        })


class ScheduleImportApi(APIView):
    """Submit a year's schedule for approval; it applies when a compliance officer approves it."""

    permission_classes = [HeadOffice]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ScheduleFileInput, responses={201: None, 400: ScheduleFileRefusedOutput})
    def post(self, request):
        form = ScheduleFileInput(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            change = schedule_import_request(maker=request.user,
                                             data=form.validated_data["file"].read(),
                                             source=form.validated_data.get("source", ""))
        except ScheduleFileInvalid as error:
            _refuse_lines(error)
        return Response({"change_request": change.pk, "status": change.status},
                        status=status.HTTP_201_CREATED)


class ScheduleExceptionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    kind = serializers.CharField()
    name = serializers.CharField()
    scope = serializers.CharField()
    region = serializers.CharField()
    branch = serializers.CharField(source="branch.code", allow_null=True, default=None)


class ScheduleExceptionCreateApi(APIView):
    """A holiday or make-up working day for one region or one branch."""

    permission_classes = [HeadOffice]

    class Input(serializers.Serializer):
        date = serializers.DateField()
        kind = serializers.ChoiceField(choices=ScheduleDay.Kind.choices)
        name = serializers.CharField(max_length=100)
        region = serializers.CharField(required=False, allow_blank=True, max_length=50)
        branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all(),
                                              required=False, allow_null=True)

    @extend_schema(request=Input, responses={201: ScheduleExceptionOutput})
    def post(self, request):
        form = self.Input(data=request.data)
        form.is_valid(raise_exception=True)
        day = schedule_exception_set(actor=request.user, **form.validated_data)
        return Response(ScheduleExceptionOutput(day).data, status=status.HTTP_201_CREATED)


class ScheduleExceptionDeleteApi(APIView):
    permission_classes = [HeadOffice]

    @extend_schema(responses={204: None},
                   parameters=[OpenApiParameter("exception_id", int, OpenApiParameter.PATH)])
    def delete(self, request, exception_id: int):
        day = get_object_or_404(ScheduleDay.objects.exclude(scope=ScheduleDay.Scope.NATIONAL),
                                pk=exception_id)
        schedule_exception_remove(actor=request.user, day=day)
        return Response(status=status.HTTP_204_NO_CONTENT)
