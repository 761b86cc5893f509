"""REST API: one APIView per operation, calling the same services as the pages."""

from __future__ import annotations

from django.contrib.auth import login
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments import capacity, services, signin
from appointments.access import appointment_for_user, appointments_for_user, branch_for_lobby, customer_of
from appointments.models import Appointment, ServiceMode
from appointments.views import client_ip
from branches.access import HasRole, IsDevice, user_role
from branches.models import Branch, ServiceType
from branches.roles import BRANCH_SERVICE_ROLES, Role
from core.api_errors import Refusal
from counter.models import PrefilledForm


class SlotOutput(serializers.Serializer):
    key = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    free = serializers.IntegerField()


class AppointmentOutput(serializers.Serializer):
    code = serializers.CharField()
    code_display = serializers.CharField()
    branch = serializers.CharField(source="branch.code")
    service_type = serializers.CharField(source="service_type.code")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    mode = serializers.CharField()
    status = serializers.CharField()
    checkin_timing = serializers.CharField()
    prefilled_form = serializers.UUIDField(source="prefilled_form.public_id", allow_null=True, default=None)
    ticket_number = serializers.CharField(source="ticket.number", allow_null=True, default=None)
    ticket_token = serializers.CharField(source="ticket.public_token", allow_null=True, default=None)


class StaffAppointmentOutput(AppointmentOutput):
    customer = serializers.CharField(source="customer.masked_name")


def booking_refused(error: services.BookingError) -> Response:
    return Response(
        {
            error.field: [str(error.message)],
            "next_free_slots": SlotOutput([_slot(s) for s in error.alternatives], many=True).data,
        },
        status=status.HTTP_409_CONFLICT,
    )


def _slot(s: capacity.OpenSlot) -> dict:
    return {"key": s.key, "start": s.start, "end": s.end, "capacity": s.capacity, "free": s.free}


def _customer_or_403(user):
    customer = customer_of(user)
    if customer is None:
        raise PermissionDenied
    return customer


class SignInCodeSendApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class Input(serializers.Serializer):
        phone = serializers.CharField(max_length=20)

    @extend_schema(request=Input, responses={202: None}, summary="Send a one-time sign-in code by SMS")
    def post(self, request):
        data = self._validated(request)
        try:
            signin.signin_code_send(phone=data["phone"], ip=client_ip(request))
        except signin.SignInError as error:
            code = status.HTTP_429_TOO_MANY_REQUESTS if error.rate_limited else status.HTTP_400_BAD_REQUEST
            return Response({error.field: [str(error.message)]}, status=code)
        return Response(status=status.HTTP_202_ACCEPTED)

    def _validated(self, request):
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class SignInApi(APIView):
    permission_classes = [AllowAny]

    class Input(serializers.Serializer):
        phone = serializers.CharField(max_length=20)
        code = serializers.CharField(max_length=6, min_length=6)

    @extend_schema(request=Input, responses={200: None}, summary="Sign in with the code (session cookie)")
    def post(self, request):
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = signin.signin_code_verify(**serializer.validated_data)
        except signin.SignInError as error:
            return Response({error.field: [str(error.message)]}, status=status.HTTP_400_BAD_REQUEST)
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(status=status.HTTP_200_OK)


class SlotListApi(APIView):
    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        branch = serializers.SlugRelatedField(
            slug_field="code", queryset=Branch.objects.filter(is_active=True)
        )
        service_type = serializers.SlugRelatedField(
            slug_field="code", queryset=ServiceType.objects.filter(is_active=True)
        )
        day = serializers.DateField(required=False)

    @extend_schema(
        parameters=[Input], responses=SlotOutput(many=True), summary="Bookable slots with free places"
    )
    def get(self, request):
        serializer = self.Input(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        slots = capacity.open_slots(
            branch=data["branch"], service_type=data["service_type"], day=data.get("day")
        )
        return Response(SlotOutput([_slot(s) for s in slots], many=True).data)


class AppointmentBookApi(APIView):
    permission_classes = [HasRole(Role.CUSTOMER)]

    class Input(serializers.Serializer):
        branch = serializers.SlugRelatedField(
            slug_field="code", queryset=Branch.objects.filter(is_active=True)
        )
        service_type = serializers.SlugRelatedField(
            slug_field="code", queryset=ServiceType.objects.filter(is_active=True)
        )
        start = serializers.DateTimeField()
        mode = serializers.ChoiceField(choices=ServiceMode.choices, default=ServiceMode.STAFF)
        prefilled_form = serializers.UUIDField(required=False, allow_null=True)

    @extend_schema(
        request=Input,
        responses={
            201: AppointmentOutput,
            409: inline_serializer(
                "BookingRefused",
                {
                    "start": serializers.ListField(child=serializers.CharField()),
                    "next_free_slots": SlotOutput(many=True),
                },
            ),
        },
        summary="Book an appointment (409 with the next free slots when the slot is full)",
    )
    def post(self, request):
        customer = _customer_or_403(request.user)
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        form = None
        if data.get("prefilled_form"):
            form = PrefilledForm.objects.filter(public_id=data["prefilled_form"], customer=customer).first()
            if form is None:
                return Response(
                    {"prefilled_form": [_("No such pre-filled form.")]}, status=status.HTTP_400_BAD_REQUEST
                )
        try:
            appointment = services.appointment_book(
                actor=request.user,
                customer=customer,
                branch=data["branch"],
                service_type=data["service_type"],
                start=data["start"],
                mode=data["mode"],
                prefilled_form=form,
            )
        except services.BookingError as error:
            return booking_refused(error)
        return Response(AppointmentOutput(appointment).data, status=status.HTTP_201_CREATED)


class MyAppointmentsApi(APIView):
    permission_classes = [HasRole(Role.CUSTOMER)]

    @extend_schema(responses=AppointmentOutput(many=True), summary="The signed-in customer's appointments")
    def get(self, request):
        rows = (
            appointments_for_user(request.user)
            .select_related("ticket", "prefilled_form")
            .order_by("-start")[:100]
        )
        return Response(AppointmentOutput(rows, many=True).data)


class AppointmentDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AppointmentOutput, summary="One appointment by booking code")
    def get(self, request, code: str):
        appointment = appointment_for_user(request.user, code)
        output = AppointmentOutput if user_role(request.user) == Role.CUSTOMER else StaffAppointmentOutput
        return Response(output(appointment).data)


class AppointmentCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={200: AppointmentOutput, 409: None}, summary="Cancel before the cut-off"
    )
    def post(self, request, code: str):
        appointment = appointment_for_user(request.user, code, write=True)
        try:
            appointment = services.appointment_cancel(actor=request.user, appointment=appointment)
        except services.BookingError as error:
            return booking_refused(error)
        return Response(AppointmentOutput(appointment).data)


class AppointmentRescheduleApi(APIView):
    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        start = serializers.DateTimeField()

    @extend_schema(
        request=Input, responses={200: AppointmentOutput, 409: None}, summary="Move to another slot"
    )
    def post(self, request, code: str):
        appointment = appointment_for_user(request.user, code, write=True)
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            appointment = services.appointment_reschedule(
                actor=request.user, appointment=appointment, start=serializer.validated_data["start"]
            )
        except services.BookingError as error:
            return booking_refused(error)
        return Response(AppointmentOutput(appointment).data)


class CheckInApi(APIView):
    """Kiosks (``Authorization: Device <token>``) and branch staff check a customer in."""

    permission_classes = [IsDevice | HasRole(*BRANCH_SERVICE_ROLES)]

    class Input(serializers.Serializer):
        code = serializers.CharField(max_length=60, help_text="Booking code as typed, or the scanned QR text")
        branch = serializers.CharField(
            required=False, help_text="Staff only: branch code (default: their own)"
        )

    class Output(serializers.Serializer):
        appointment = AppointmentOutput()
        timing = serializers.CharField()
        ticket_number = serializers.CharField()
        ticket_token = serializers.CharField()

    @extend_schema(
        request=Input,
        responses={200: Output, 400: None, 404: None, 409: None},
        summary="Check in by booking code or QR; issues the queue ticket",
    )
    def post(self, request):
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = getattr(request, "device", None)
        branch = (
            device.branch
            if device
            else branch_for_lobby(request.user, serializer.validated_data.get("branch"))
        )
        try:
            appointment = services.appointment_check_in_by_code(
                branch=branch,
                raw_code=serializer.validated_data["code"],
                device=device,
                actor=request.user if request.user.is_authenticated else None,
            )
        except services.CheckInError as error:
            code = {"invalid": 400, "not_found": 404}.get(error.code, 409)
            raise Refusal(error.code, str(error.message), code) from None
        return Response(
            self.Output(
                {
                    "appointment": appointment,
                    "timing": appointment.checkin_timing,
                    "ticket_number": appointment.ticket.number,
                    "ticket_token": appointment.ticket.public_token,
                }
            ).data
        )


class TodayApi(APIView):
    permission_classes = [HasRole(*BRANCH_SERVICE_ROLES)]

    @extend_schema(responses=StaffAppointmentOutput(many=True), summary="Today's appointments of a branch")
    def get(self, request):
        branch = branch_for_lobby(request.user, request.query_params.get("branch"))
        rows = (
            Appointment.objects.with_related()
            .select_related("ticket", "prefilled_form")
            .filter(branch=branch, start__range=capacity.day_bounds(branch, branch.local_now().date()))
        )
        return Response(StaffAppointmentOutput(rows, many=True).data)


class WalkInAllowedApi(APIView):
    """For kiosks and queueing: may this service be taken as a walk-in ticket now?"""

    permission_classes = [IsDevice | HasRole(*BRANCH_SERVICE_ROLES)]

    class Input(serializers.Serializer):
        service_type = serializers.CharField()

    class Output(serializers.Serializer):
        allowed = serializers.BooleanField()

    @extend_schema(parameters=[Input], responses=Output, summary="Whether a service may be walked in")
    def get(self, request):
        serializer = self.Input(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        service_type = get_object_or_404(ServiceType, code=serializer.validated_data["service_type"])
        return Response({"allowed": services.walk_in_allowed(service_type=service_type, now=timezone.now())})
