"""The queueing API: one APIView per operation, each calling one service."""

from contextlib import nullcontext

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from branches.access import HasRole, IsDevice
from branches.models import Branch, ServicePoint, ServiceType
from branches.roles import Role
from core.api_errors import valid_input
from core.pagination import ApiPagination, paginated
from customers.models import Customer
from queueing import payloads, services
from queueing.access import (
    MANAGER_ROLES,
    WORK_ROLES,
    branch_for_request,
    counter_for_user,
    locking,
    ticket_for_token,
    ticket_for_user,
    ticket_to_work,
)
from queueing.alerts import recent_alerts
from queueing.config import catalogue
from queueing.figures import today_figures
from queueing.models import Channel, Source
from queueing.state import branch_snapshot


class QueueTicketOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    queue = serializers.CharField()
    channel = serializers.CharField()
    service = serializers.DictField()
    source = serializers.CharField()
    priority_class = serializers.CharField()
    vip_tier = serializers.IntegerField()
    customer = serializers.DictField(allow_null=True)
    counter = serializers.DictField(allow_null=True)
    recall_count = serializers.IntegerField()
    issued_at = serializers.DateTimeField()
    called_at = serializers.DateTimeField(allow_null=True)
    waited_seconds = serializers.IntegerField()
    quoted_wait_minutes = serializers.IntegerField(allow_null=True)
    estimated_wait_minutes = serializers.IntegerField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)


class QueueIssuedTicketOutput(QueueTicketOutput):
    public_token = serializers.CharField()
    ticket_url = serializers.CharField(help_text="The customer's live ticket page (for the QR code).")


class QueueTicketPageOutput(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.DictField()
    service = serializers.DictField()
    branch = serializers.DictField()
    position = serializers.IntegerField(allow_null=True)
    estimated_wait_minutes = serializers.IntegerField(allow_null=True)
    you_are_next = serializers.BooleanField()
    counter = serializers.DictField(allow_null=True)
    can_cancel = serializers.BooleanField()
    position_reason = serializers.DictField(
        allow_null=True, help_text="Why the position last went up, in both languages.")
    timeline = serializers.ListField(child=serializers.DictField(),
                                     help_text="The visit's steps (no staff names).")


def _ticket(ticket) -> Response:
    return Response(payloads.staff_ticket(ticket))


def _issued(ticket, *, code=status.HTTP_201_CREATED) -> Response:
    url = reverse("queue-ticket", args=[ticket.public_token])
    return Response({**payloads.staff_ticket(ticket), "public_token": ticket.public_token,
                     "ticket_url": url}, status=code)


def _service(code: str) -> ServiceType:
    service = catalogue().services.get(code)  # the catalogue as of its version (queueing.config)
    if service is None or not service.is_active:
        raise serializers.ValidationError({"service": [_("Unknown service.")]})
    return service


class QueueIssueFields(serializers.Serializer):
    service = serializers.CharField(help_text="Service type code.")
    customer_id = serializers.IntegerField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=["zh-hans", "en"], required=False)


# --- issuing ------------------------------------------------------------------------------

class RecommendApi(APIView):
    """Where a customer should go for a service, with the estimated wait and an alternative."""

    permission_classes = [IsDevice | HasRole(*WORK_ROLES)]

    @extend_schema_serializer(component_name="QueueRecommendInput")
    class Input(QueueIssueFields):
        appointment_priority = serializers.BooleanField(default=False)

    @extend_schema_serializer(component_name="QueueRecommendOutput")
    class Output(serializers.Serializer):
        channel = serializers.CharField()
        queue = serializers.CharField()
        priority_class = serializers.CharField()
        estimated_wait_minutes = serializers.FloatField(allow_null=True)
        reasons = serializers.ListField(child=serializers.CharField())
        alternative = serializers.DictField(allow_null=True)

    @extend_schema(request=Input, responses=Output)
    def post(self, request, code):
        branch = branch_for_request(request, code)
        data = valid_input(self.Input, request)
        recommendation = services.ticket_recommend(
            branch=branch, service_type=_service(data["service"]),
            customer=_customer(data.get("customer_id")),
            appointment_priority=data["appointment_priority"], language=data.get("language", ""))
        return Response(_recommendation(recommendation))


def _recommendation(rec) -> dict | None:
    if rec is None:
        return None
    return {"channel": rec.channel.value, "queue": rec.queue_prefix,
            "priority_class": rec.priority_class.value,
            "estimated_wait_minutes": rec.estimated_wait_minutes,
            "reasons": [reason.value for reason in rec.reasons],
            "alternative": _recommendation(rec.alternative)}


def _customer(customer_id: int | None) -> Customer | None:
    if customer_id is None:
        return None
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise serializers.ValidationError({"customer_id": [_("Unknown customer.")]})
    return customer


class TicketIssueApi(APIView):
    """Issue a ticket: kiosks (device token) and staff (walk-in, appointment, face greeting)."""

    permission_classes = [IsDevice | HasRole(*WORK_ROLES)]

    @extend_schema_serializer(component_name="QueueTicketIssueInput")
    class Input(QueueIssueFields):
        source = serializers.ChoiceField(
            choices=[Source.KIOSK, Source.WALK_IN, Source.APPOINTMENT, Source.FACE],
            default=Source.KIOSK)
        channel = serializers.ChoiceField(choices=Channel.choices, required=False)
        appointment_priority = serializers.BooleanField(default=False)

    @extend_schema(request=Input, responses={201: QueueIssuedTicketOutput})
    def post(self, request, code):
        branch = branch_for_request(request, code, write=True)
        data = valid_input(self.Input, request)
        device = getattr(request, "device", None)
        ticket = services.ticket_issue(issue=services.IssueRequest(
            branch=branch, service_type=_service(data["service"]),
            source=data["source"], customer=_customer(data.get("customer_id")),
            device=device, actor=None if device else request.user,
            appointment_priority=data["appointment_priority"],
            language=data.get("language", ""), channel=data.get("channel")))
        return _issued(ticket)


class RemoteTicketIssueApi(APIView):
    """A signed-in customer takes a ticket from their phone before arriving."""

    permission_classes = [HasRole(Role.CUSTOMER)]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "remote_ticket"

    @extend_schema_serializer(component_name="QueueRemoteTicketIssueInput")
    class Input(serializers.Serializer):
        branch = serializers.CharField(help_text="Branch code.")
        service = serializers.CharField(help_text="Service type code.")
        latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
        longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
        arrival_minutes = serializers.IntegerField(required=False, min_value=0, max_value=1440)
        language = serializers.ChoiceField(choices=["zh-hans", "en"], required=False)

    @extend_schema(request=Input, responses={201: QueueIssuedTicketOutput})
    def post(self, request):
        data = valid_input(self.Input, request)
        branch = get_object_or_404(Branch, code=data["branch"], is_active=True)
        location = None
        if data.get("latitude") is not None and data.get("longitude") is not None:
            location = (data["latitude"], data["longitude"])
        customer = getattr(request.user, "customer", None)
        ticket = services.ticket_issue(issue=services.IssueRequest(
            branch=branch, service_type=_service(data["service"]),
            source=Source.REMOTE, customer=customer, actor=request.user,
            location=location, arrival_minutes=data.get("arrival_minutes"),
            language=data.get("language", "")))
        return _issued(ticket)


# --- the customer's ticket ----------------------------------------------------------------

class PublicTicketApi(APIView):
    """The customer's live ticket (no sign-in: the token in the link is the credential)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=QueueTicketPageOutput)
    def get(self, request, token):
        return Response(payloads.ticket_page(ticket_for_token(token)))


class PublicTicketCancelApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(request=None, responses=QueueTicketPageOutput)
    def post(self, request, token):
        ticket = services.ticket_cancel(ticket=ticket_for_token(token))
        return Response(payloads.ticket_page(ticket))


# --- staff: branch state and figures ------------------------------------------------------

class QueueStateApi(APIView):
    """Live queues, waiting tickets, counters and recent alerts of a branch."""

    permission_classes = [HasRole(*WORK_ROLES)]

    @extend_schema(responses=inline_serializer("QueueState", {
        "queues": serializers.ListField(child=serializers.DictField()),
        "waiting": QueueTicketOutput(many=True),
        "parked": QueueTicketOutput(many=True),
        "no_shows": QueueTicketOutput(many=True),
        "stranded": serializers.ListField(child=serializers.DictField()),
        "counters": serializers.ListField(child=serializers.DictField()),
        "alerts": serializers.ListField(child=serializers.DictField())}))
    def get(self, request, code):
        branch = branch_for_request(request, code)
        snapshot = branch_snapshot(branch)
        return Response(payloads.staff_state(snapshot, payloads.stored_estimates(snapshot),
                                             recent_alerts(branch)))


class LobbyStateApi(APIView):
    """The lobby screen's state (masked), for polling while its websocket is down: computed
    afresh, without the cache or the channel layer, so it answers while Redis is away."""

    permission_classes = [IsDevice | HasRole(*WORK_ROLES)]

    @extend_schema(responses=inline_serializer("QueueLobbyState", {
        "queues": serializers.ListField(child=serializers.DictField()),
        "calls": serializers.ListField(child=serializers.DictField())}))
    def get(self, request, code):
        branch = branch_for_request(request, code)
        snapshot = branch_snapshot(branch)
        return Response(payloads.lobby_state(snapshot, payloads.stored_estimates(snapshot)))


class FiguresApi(APIView):
    """Today's arrivals, served, waits, no-shows, handling times, hourly counts and the error of
    the quoted waits."""

    permission_classes = [HasRole(*MANAGER_ROLES)]

    @extend_schema(responses=inline_serializer("QueueFigures", {
        "arrivals": serializers.IntegerField(), "served": serializers.IntegerField(),
        "mean_wait_minutes": serializers.FloatField(allow_null=True),
        "max_wait_minutes": serializers.FloatField(allow_null=True),
        "within_15_minutes_percent": serializers.IntegerField(allow_null=True),
        "no_show_percent": serializers.IntegerField(allow_null=True),
        "handling_minutes": serializers.ListField(child=serializers.DictField()),
        "hourly": serializers.ListField(child=serializers.DictField()),
        "estimate": serializers.DictField()}))
    def get(self, request, code):
        return Response(today_figures(branch_for_request(request, code)))


# --- staff: counters ----------------------------------------------------------------------

class _CounterApi(APIView):
    permission_classes = [HasRole(*WORK_ROLES)]

    def counter(self, request, pk) -> ServicePoint:
        return counter_for_user(request.user, pk, write=True)


class QueueCounterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    status = serializers.CharField()
    pause_reason = serializers.CharField()


def _counter(point) -> Response:
    return Response({"id": point.pk, "code": point.code, "status": point.status,
                     "pause_reason": point.pause_reason})


class CounterOpenApi(_CounterApi):
    @extend_schema_serializer(component_name="QueueCounterOpenInput")
    class Input(serializers.Serializer):
        teller_id = serializers.IntegerField(required=False, help_text="Lobby managers only.")

    @extend_schema(request=Input, responses=QueueCounterOutput)
    def post(self, request, pk):
        from django.contrib.auth import get_user_model

        point = self.counter(request, pk)
        data = valid_input(self.Input, request)
        teller = None
        if data.get("teller_id"):
            teller = get_user_model().objects.filter(
                pk=data["teller_id"], staff_profile__branch=point.branch).first()
            if teller is None:
                raise serializers.ValidationError({"teller_id": [_("Unknown teller.")]})
        return _counter(services.counter_open(actor=request.user, counter=point, teller=teller))


class CounterPauseApi(_CounterApi):
    @extend_schema_serializer(component_name="QueueCounterPauseInput")
    class Input(serializers.Serializer):
        reason = serializers.CharField(max_length=200)

    @extend_schema(request=Input, responses=QueueCounterOutput)
    def post(self, request, pk):
        point = self.counter(request, pk)
        data = valid_input(self.Input, request)
        return _counter(services.counter_pause(actor=request.user, counter=point,
                            reason=data["reason"]))


class CounterCloseApi(_CounterApi):
    @extend_schema(request=None, responses=QueueCounterOutput)
    def post(self, request, pk):
        return _counter(services.counter_close(actor=request.user,
                            counter=self.counter(request, pk)))


class CallNextApi(_CounterApi):
    """Call the best waiting ticket this counter can serve; 204 when nobody waits for it."""

    @extend_schema(request=None, responses={200: QueueTicketOutput, 204: None})
    def post(self, request, pk):
        with locking():  # the counter is read once, locked, for the call (services: still_locked)
            counter = counter_for_user(request.user, pk, write=True, lock=True)
            ticket = services.ticket_call_next(actor=request.user, counter=counter)
        return _ticket(ticket) if ticket else Response(status=status.HTTP_204_NO_CONTENT)


class CallTicketApi(_CounterApi):
    """Call one chosen waiting or parked ticket to this counter."""

    @extend_schema_serializer(component_name="QueueCallTicketInput")
    class Input(serializers.Serializer):
        ticket_id = serializers.IntegerField()

    @extend_schema(request=Input, responses=QueueTicketOutput)
    def post(self, request, pk):
        point = self.counter(request, pk)
        ticket = ticket_for_user(request.user, valid_input(self.Input, request)["ticket_id"], write=True)
        return _ticket(services.ticket_call(actor=request.user, counter=point, ticket=ticket))


# --- staff: ticket steps ------------------------------------------------------------------

class TicketDetailApi(APIView):
    permission_classes = [HasRole(*WORK_ROLES, Role.COMPLIANCE_OFFICER)]

    @extend_schema(responses=QueueTicketOutput)
    def get(self, request, pk):
        return _ticket(ticket_for_user(request.user, pk))


class _TicketStepApi(APIView):
    """POST to one lifecycle step of a ticket; subclasses name the service and its inputs."""

    permission_classes = [HasRole(*WORK_ROLES)]
    Input: type[serializers.Serializer] | None = None
    locks = False  # True: ticket_to_work in the step's own transaction

    def step(self, request, ticket, data):
        raise NotImplementedError

    def post(self, request, pk):
        with locking() if self.locks else nullcontext():
            ticket = (ticket_to_work(request.user, pk) if self.locks
                      else ticket_for_user(request.user, pk, write=True))
            done = self.step(request, ticket, valid_input(self.Input, request) if self.Input else {})
        return _ticket(done)


def _step_schema(cls):
    # On the class, not on the `post` every step shares: drf-spectacular keeps a method's schema
    # on the function, so the last step decorated gave its input to all of them.
    return extend_schema(request=cls.Input, responses=QueueTicketOutput)(cls)


@_step_schema
class TicketRecallApi(_TicketStepApi):
    def step(self, request, ticket, data):
        return services.ticket_recall(actor=request.user, ticket=ticket)


@_step_schema
class TicketStartApi(_TicketStepApi):
    locks = True  # the step locks the ticket: read it so, once (queueing.access.locking)

    def step(self, request, ticket, data):
        return services.ticket_start_serving(actor=request.user, ticket=ticket)


@_step_schema
class TicketFinishApi(_TicketStepApi):
    locks = True  # the step locks the ticket: read it so, once (queueing.access.locking)

    def step(self, request, ticket, data):
        return services.ticket_finish(actor=request.user, ticket=ticket)


@_step_schema
class TicketNoShowApi(_TicketStepApi):
    locks = True  # the step locks the ticket: read it so, once (queueing.access.locking)

    def step(self, request, ticket, data):
        return services.ticket_no_show(actor=request.user, ticket=ticket)


class QueueKeepArrivalInput(serializers.Serializer):
    keep_arrival = serializers.BooleanField(default=False)


@_step_schema
class TicketRequeueApi(_TicketStepApi):
    Input = QueueKeepArrivalInput

    def step(self, request, ticket, data):
        return services.ticket_requeue(actor=request.user, ticket=ticket,
                   keep_arrival=data["keep_arrival"])


class QueueTransferInput(serializers.Serializer):
    service = serializers.CharField(required=False, help_text="New service type code.")
    queue = serializers.CharField(required=False, max_length=2, help_text="Queue prefix, e.g. B.")
    counter_id = serializers.IntegerField(required=False)
    keep_arrival = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


@_step_schema
class TicketTransferApi(_TicketStepApi):
    Input = QueueTransferInput

    def step(self, request, ticket, data):
        counter = None
        if data.get("counter_id"):
            counter = counter_for_user(request.user, data["counter_id"])
        service = _service(data["service"]) if data.get("service") else None
        return services.ticket_transfer(actor=request.user, ticket=ticket,
                   service_type=service, queue=data.get("queue", ""), counter=counter,
                   keep_arrival=data["keep_arrival"], note=data.get("note", ""))


class QueueNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


@_step_schema
class TicketParkApi(_TicketStepApi):
    Input = QueueNoteInput

    def step(self, request, ticket, data):
        return services.ticket_park(actor=request.user, ticket=ticket,
                   note=data.get("note", ""))


@_step_schema
class TicketResumeApi(_TicketStepApi):
    def step(self, request, ticket, data):
        return services.ticket_resume(actor=request.user, ticket=ticket)


class QueueBoostInput(serializers.Serializer):
    boost_minutes = serializers.FloatField(min_value=0, max_value=240)


@_step_schema
class TicketPrioritiseApi(_TicketStepApi):
    permission_classes = [HasRole(*MANAGER_ROLES)]
    Input = QueueBoostInput

    def step(self, request, ticket, data):
        return services.ticket_prioritise(actor=request.user, ticket=ticket,
                   boost_minutes=data["boost_minutes"])


@_step_schema
class TicketCancelApi(_TicketStepApi):
    def step(self, request, ticket, data):
        return services.ticket_cancel(actor=request.user, ticket=ticket)


# --- staff: leaving, transfer back, timeline, work profiles ---------------------------------

class _NoteStepApi(_TicketStepApi):
    """A step whose only input is a note; subclasses name the service."""

    Input = QueueNoteInput
    service = None

    def step(self, request, ticket, data):
        return type(self).service(actor=request.user, ticket=ticket, note=data.get("note", ""))

    # Declared here, once, for every note step: they all take the same input.
    @extend_schema(request=QueueNoteInput, responses=QueueTicketOutput)
    def post(self, request, pk):
        return super().post(request, pk)


class TicketCustomerLeftApi(_NoteStepApi):
    """The customer walked away during service: its own outcome, never counted as served."""

    service = staticmethod(services.ticket_customer_left)


class TicketTransferBackApi(_NoteStepApi):
    """Send a transferred ticket back to the counter it came from."""

    service = staticmethod(services.ticket_transfer_back)


class QueueTimelineStep(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.DictField()
    at = serializers.DateTimeField()
    time = serializers.CharField(help_text="Branch-local HH:MM.")
    counter = serializers.DictField(allow_null=True)
    by = serializers.CharField(help_text="The staff member who took the step, if any.")
    note = serializers.CharField()
    queue = serializers.CharField()


class TicketTimelineApi(APIView):
    """A ticket's visit step by step: state, who, where, when."""

    pagination_class = ApiPagination
    permission_classes = [HasRole(*WORK_ROLES, Role.COMPLIANCE_OFFICER)]

    @extend_schema(responses=QueueTimelineStep(many=True))
    def get(self, request, pk):
        return paginated(self, request, payloads.timeline(ticket_for_user(request.user, pk), staff=True),
                         default_limit=500)


class QueueWorkProfile(serializers.Serializer):
    queues = serializers.ListField(child=serializers.CharField(max_length=2), allow_empty=True,
                                   help_text="Queue prefixes in calling order; empty: all queues.")
    mode = serializers.ChoiceField(choices=["order", "ratio"], default="order")
    ratios = serializers.ListField(child=serializers.FloatField(min_value=0), required=False,
                                   help_text="One per queue, in ratio mode.")


def _work_profile(point) -> Response:
    return Response({"queues": point.work_queues, "mode": point.work_mode,
                     "ratios": point.work_ratios})


class CounterWorkProfileApi(_CounterApi):
    """The counter's work profile: which queues it calls from, in order or by ratio."""

    def get_permissions(self):
        if self.request.method == "PUT":
            return [HasRole(*MANAGER_ROLES)()]
        return super().get_permissions()

    @extend_schema(responses=QueueWorkProfile)
    def get(self, request, pk):
        return _work_profile(counter_for_user(request.user, pk))

    @extend_schema(request=QueueWorkProfile, responses=QueueWorkProfile)
    def put(self, request, pk):
        point = self.counter(request, pk)
        data = valid_input(QueueWorkProfile, request)
        return _work_profile(services.counter_set_work_profile(actor=request.user,
                                 counter=point, queues=data["queues"], mode=data["mode"],
                                 ratios=data.get("ratios", [])))
