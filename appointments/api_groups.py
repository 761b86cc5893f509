"""REST API of recurring series, group sessions and the calendar feed (``/api/v1/appointments/…``):
one APIView per operation, the same services as the pages, refusals in the one error shape."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments import feed, groups, series
from appointments.access import customer_of, group_session_for_user, series_for_user
from appointments.api import AppointmentOutput, booking_refused
from appointments.models import (
    AppointmentSeries,
    GroupParticipant,
    GroupSession,
    GroupSessionStatus,
    ParticipantStatus,
    SeriesRule,
    ServiceMode,
)
from appointments.services import BookingError
from branches.access import HasRole, branch_for_user, staff_branches, user_role
from branches.models import Branch, ServiceType
from branches.roles import BRANCH_SERVICE_ROLES, Role
from core.api_errors import Refusal, valid_input
from core.pagination import ApiPagination, paginated
from customers.models import Customer

SERVING = tuple(BRANCH_SERVICE_ROLES)


class SeriesInput(serializers.Serializer):
    branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.filter(is_active=True))
    service_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceType.objects.filter(is_active=True)
    )
    rule = serializers.ChoiceField(choices=SeriesRule.choices)
    nth = serializers.IntegerField(min_value=1, max_value=10, default=1)
    first_day = serializers.DateField()
    time = serializers.TimeField()
    count = serializers.IntegerField(min_value=1, max_value=series.MAX_OCCURRENCES)
    mode = serializers.ChoiceField(choices=ServiceMode.choices, default=ServiceMode.STAFF)
    customer_phone = serializers.CharField(
        max_length=20, required=False, help_text="staff only: the customer booked for"
    )


class PlannedOutput(serializers.Serializer):
    day = serializers.DateField()
    start = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    reason_text = serializers.CharField()


class SeriesOutput(serializers.Serializer):
    id = serializers.IntegerField()
    branch = serializers.CharField(source="branch.code")
    service_type = serializers.CharField(source="service_type.code")
    rule = serializers.CharField()
    nth = serializers.IntegerField()
    first_day = serializers.DateField()
    time = serializers.TimeField(source="time_of_day")
    count = serializers.IntegerField()
    cancelled_at = serializers.DateTimeField()
    skipped = serializers.ListField(child=serializers.DictField())
    occurrences = serializers.SerializerMethodField()

    def get_occurrences(self, obj) -> list[dict]:
        rows = obj.occurrences.select_related("branch", "service_type", "prefilled_form", "ticket")
        return AppointmentOutput(rows.order_by("start"), many=True).data


def _series_customer(request, data) -> Customer:
    """The customer themself, or — for the branch's serving staff — the customer named by phone."""
    role = user_role(request.user)
    if role == Role.CUSTOMER:
        customer = customer_of(request.user)
        if customer is None:
            raise PermissionDenied
        return customer
    if role not in BRANCH_SERVICE_ROLES:
        raise PermissionDenied
    branch_for_user(request.user, data["branch"].code, write=True)
    customer = Customer.objects.by_phone(data.get("customer_phone") or "").first()
    if customer is None:
        raise ValidationError({"customer_phone": [_("No customer with this phone number.")]})
    return customer


def _plan_kwargs(data) -> dict:
    return {
        "branch": data["branch"],
        "service_type": data["service_type"],
        "rule": data["rule"],
        "nth": data["nth"],
        "first_day": data["first_day"],
        "time_of_day": data["time"],
        "count": data["count"],
    }


class SeriesPreviewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SeriesInput,
        responses=PlannedOutput(many=True),
        summary="The dates a recurring series would book, and those it cannot",
    )
    def post(self, request):
        data = valid_input(SeriesInput, request)
        customer = _series_customer(request, data)
        try:
            plan = series.series_plan(customer=customer, **_plan_kwargs(data))
        except BookingError as error:
            raise booking_refused(error) from None
        return Response(PlannedOutput(plan, many=True).data)


class SeriesListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(responses=SeriesOutput(many=True), summary="Recurring series (own, or the branch's)")
    def get(self, request):
        role = user_role(request.user)
        rows = AppointmentSeries.objects.select_related("branch", "service_type")
        if role == Role.CUSTOMER:
            rows = rows.filter(customer=customer_of(request.user))
        else:
            rows = rows.filter(branch__in=staff_branches(request.user))
        return paginated(self, request, rows.prefetch_related("occurrences"), SeriesOutput)

    @extend_schema(
        request=SeriesInput,
        responses={201: SeriesOutput},
        summary="Book a recurring series (409 when no date can be booked)",
    )
    def post(self, request):
        data = valid_input(SeriesInput, request)
        customer = _series_customer(request, data)
        try:
            created = series.series_create(
                actor=request.user, customer=customer, mode=data["mode"], **_plan_kwargs(data)
            )
        except BookingError as error:
            raise booking_refused(error) from None
        return Response(SeriesOutput(created).data, status=status.HTTP_201_CREATED)


class SeriesDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SeriesOutput, summary="One recurring series with its appointments")
    def get(self, request, pk: int):
        return Response(SeriesOutput(series_for_user(request.user, pk)).data)


class SeriesCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=SeriesOutput,
        summary="Cancel every upcoming appointment of the series (those past the cut-off stay)",
    )
    def post(self, request, pk: int):
        found = series_for_user(request.user, pk, write=True)
        series.series_cancel(actor=request.user, series=found)
        return Response(SeriesOutput(found).data)


# --- group sessions -------------------------------------------------------------------------------


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    branch = serializers.CharField(source="branch.code")
    title = serializers.CharField()
    description = serializers.CharField()
    location = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    joined = serializers.IntegerField()
    free = serializers.IntegerField()
    status = serializers.CharField()


class ParticipantOutput(serializers.Serializer):
    session = serializers.IntegerField(source="session_id")
    status = serializers.CharField()
    waiting_position = serializers.SerializerMethodField()

    def get_waiting_position(self, obj) -> int | None:
        return groups.waiting_position(obj)


def group_refused(error: groups.GroupError) -> Refusal:
    """``code`` is the reason (full, closed, started, already_joined, not_joined; invalid → 400)."""
    return Refusal(
        error.code,
        str(error.message),
        400 if error.code == "invalid" else 409,
        extra={"errors": {error.field: [str(error.message)]}},
    )


class SessionListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    class Input(serializers.Serializer):
        branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all())
        title = serializers.CharField(max_length=120)
        description = serializers.CharField(required=False, allow_blank=True, default="")
        location = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
        start = serializers.DateTimeField()
        end = serializers.DateTimeField()
        capacity = serializers.IntegerField(min_value=1, max_value=500)
        waitlist_limit = serializers.IntegerField(min_value=0, max_value=200, default=10)

    @extend_schema(responses=SessionOutput(many=True), summary="Upcoming group sessions (?branch=)")
    def get(self, request):
        rows = GroupSession.objects.select_related("branch").filter(
            status=GroupSessionStatus.OPEN, end__gte=timezone.now()
        )
        if user_role(request.user) != Role.CUSTOMER:
            rows = rows.filter(branch__in=staff_branches(request.user))
        if request.query_params.get("branch"):
            rows = rows.filter(branch__code=request.query_params["branch"])
        return paginated(self, request, rows, SessionOutput)

    @extend_schema(request=Input, responses={201: SessionOutput}, summary="Hold a group session (staff)")
    def post(self, request):
        if user_role(request.user) not in BRANCH_SERVICE_ROLES:
            raise PermissionDenied
        data = valid_input(self.Input, request)
        data["branch"] = branch_for_user(request.user, data["branch"].code, write=True)
        try:
            session = groups.group_session_create(actor=request.user, **data)
        except groups.GroupError as error:
            raise group_refused(error) from None
        return Response(SessionOutput(session).data, status=status.HTTP_201_CREATED)


class SessionJoinApi(APIView):
    permission_classes = [HasRole(Role.CUSTOMER)]

    class Input(serializers.Serializer):
        waitlist = serializers.BooleanField(default=True, help_text="join the waiting list when full")

    @extend_schema(
        request=Input,
        responses={201: ParticipantOutput},
        summary="Join a group session (409 `full` when no place and no waiting list)",
    )
    def post(self, request, pk: int):
        data = valid_input(self.Input, request)
        customer = customer_of(request.user)
        session = group_session_for_user(request.user, pk)
        try:
            participant = groups.group_session_join(
                actor=request.user, session=session, customer=customer, waitlist=data["waitlist"]
            )
        except groups.GroupError as error:
            raise group_refused(error) from None
        return Response(ParticipantOutput(participant).data, status=status.HTTP_201_CREATED)


class SessionLeaveApi(APIView):
    permission_classes = [HasRole(Role.CUSTOMER)]

    @extend_schema(request=None, responses={204: None}, summary="Leave a group session or its waiting list")
    def post(self, request, pk: int):
        session = group_session_for_user(request.user, pk)
        try:
            groups.group_session_leave(
                actor=request.user, session=session, customer=customer_of(request.user)
            )
        except groups.GroupError as error:
            raise group_refused(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionCancelApi(APIView):
    permission_classes = [HasRole(*SERVING)]

    @extend_schema(request=None, responses=SessionOutput, summary="Call a group session off (staff)")
    def post(self, request, pk: int):
        session = group_session_for_user(request.user, pk, manage=True)
        groups.group_session_cancel(actor=request.user, session=session)
        return Response(SessionOutput(session).data)


class MySessionsApi(APIView):
    permission_classes = [HasRole(Role.CUSTOMER)]
    pagination_class = ApiPagination

    @extend_schema(responses=ParticipantOutput(many=True), summary="The customer's classes and waiting lists")
    def get(self, request):
        rows = (
            GroupParticipant.objects.select_related("session")
            .filter(customer=customer_of(request.user))
            .exclude(status=ParticipantStatus.LEFT)
        )
        return paginated(self, request, rows, ParticipantOutput)


# --- calendar feed --------------------------------------------------------------------------------


class FeedApi(APIView):
    permission_classes = [HasRole(Role.CUSTOMER)]

    @extend_schema(
        request=None,
        responses={201: inline_serializer("CalendarFeedOutput", {"url": serializers.URLField()})},
        summary="A new secret calendar-feed URL (the previous one stops working)",
    )
    def post(self, request):
        token = feed.calendar_feed_create(actor=request.user, customer=customer_of(request.user))
        return Response({"url": feed.feed_url(token)}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, summary="Revoke the calendar-feed URL")
    def delete(self, request):
        feed.calendar_feed_revoke(actor=request.user, customer=customer_of(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
