"""The kiosk's API: what the kiosk and VTM pages' JavaScript calls, and the remote teller's
call controls. Devices authenticate with their signed-in session (CSRF-checked) or
`Authorization: Device <token>`; a revoked token is refused at the next request."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments.services import CheckInError
from branches.access import HasRole, IsDevice
from branches.models import ServiceType
from branches.roles import Role
from core.api_errors import Refusal, valid_input
from core.pagination import ApiPagination, paginated
from counter.access import form_for_device
from customers.face.api import DEVICE_AUTHENTICATION
from kiosk import access, payloads, services
from kiosk.models import EndReason
from knowledge.api import AssistantReplyOutput
from queueing.services import ticket_recommend


def _service(code: str) -> ServiceType:
    return get_object_or_404(ServiceType, code=code, is_active=True)


class _DeviceApi(APIView):
    authentication_classes = DEVICE_AUTHENTICATION
    permission_classes = [IsDevice]


class KioskSessionOutput(serializers.Serializer):
    session = serializers.UUIDField(source="public_id")
    language = serializers.CharField()
    elderly_mode = serializers.BooleanField()
    high_contrast = serializers.BooleanField()


class SessionStartApi(_DeviceApi):
    """A customer starts at the attract screen (language and modes chosen there)."""

    class Input(serializers.Serializer):
        language = serializers.CharField(max_length=10, default="zh-hans")
        elderly_mode = serializers.BooleanField(default=False)
        high_contrast = serializers.BooleanField(default=False)

    @extend_schema(request=Input, responses={201: KioskSessionOutput})
    def post(self, request):
        device = access.kiosk_device(request)
        session = services.kiosk_session_start(device=device, **valid_input(self.Input, request))
        access.forget_personal(request)
        request.session[access.SESSION_KEY] = str(session.public_id)
        response = Response(KioskSessionOutput(session).data, status=status.HTTP_201_CREATED)
        _set_language_cookie(response, session.language)
        return response


def _set_language_cookie(response, language: str) -> None:
    from django.conf import settings

    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")


class SessionSettingsApi(_DeviceApi):
    """Language, elderly mode, high contrast, changed mid-session."""

    class Input(serializers.Serializer):
        language = serializers.CharField(max_length=10, required=False)
        elderly_mode = serializers.BooleanField(required=False)
        high_contrast = serializers.BooleanField(required=False)

    @extend_schema(request=Input, responses=KioskSessionOutput)
    def post(self, request):
        session = access.session_required(request)
        session = services.kiosk_session_update(session=session, **valid_input(self.Input, request))
        response = Response(KioskSessionOutput(session).data)
        _set_language_cookie(response, session.language)
        return response


class SessionEndApi(_DeviceApi):
    """Idle timeout or "finish": the session ends and everything personal is dropped from the
    browser session (the device stays signed in)."""

    class Input(serializers.Serializer):
        reason = serializers.ChoiceField(choices=[EndReason.IDLE, EndReason.FINISHED], default=EndReason.IDLE)

    @extend_schema(request=Input, responses={204: None})
    def post(self, request):
        data = valid_input(self.Input, request)
        session = access.current_session(request)
        if session is not None:
            services.kiosk_session_end(session=session, reason=data["reason"])
        access.forget_personal(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HeartbeatApi(_DeviceApi):
    """The page is alive (about every 20 s); marks the device online for the lobby manager."""

    class Output(serializers.Serializer):
        online = serializers.BooleanField()
        session_open = serializers.BooleanField()

    @extend_schema(request=None, responses=Output)
    def post(self, request):
        device = access.kiosk_device(request)
        state = services.device_heartbeat(device=device)
        return Response({"online": state.online, "session_open": access.current_session(request) is not None})


class ServiceListApi(_DeviceApi):
    """Services offered at this kiosk, searchable by name or keyword."""

    pagination_class = ApiPagination

    class Output(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()
        description = serializers.CharField()
        icon = serializers.CharField()
        category = serializers.CharField()
        needs_appointment = serializers.BooleanField()
        can_do_here = serializers.BooleanField()
        remote_teller = serializers.BooleanField()
        video_service = serializers.BooleanField(help_text="can be done by video (a sign-language call)")
        has_form = serializers.BooleanField()

    @extend_schema(responses=Output(many=True))
    def get(self, request):
        device = access.kiosk_device(request)
        return paginated(self, request, payloads.services(device, request.query_params.get("q", "")),
                         default_limit=200)


class KioskRecommendationOutput(serializers.Serializer):
    channel = serializers.CharField()
    queue = serializers.CharField()
    estimated_wait_minutes = serializers.FloatField(allow_null=True)
    label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    alternative = serializers.DictField(allow_null=True)


class RecommendApi(_DeviceApi):
    """Where this customer should go for a service, how long it takes, and one alternative."""

    @extend_schema(responses=KioskRecommendationOutput)
    def get(self, request, code):
        session = access.session_required(request)
        service_type = _service(code)
        rec = ticket_recommend(branch=session.branch, service_type=service_type,
                               customer=session.customer, language=session.language)
        here = services._point_serves(session.device, service_type) and service_type.allow_kiosk
        return Response(payloads.recommendation(rec, can_do_here=here))


class KioskTicketOutput(serializers.Serializer):
    number = serializers.CharField()
    service = serializers.CharField()
    channel = serializers.CharField()
    branch = serializers.CharField()
    issued_at = serializers.DateTimeField()
    position = serializers.IntegerField(allow_null=True)
    estimated_wait_minutes = serializers.FloatField(allow_null=True)
    wait_label = serializers.CharField()
    url = serializers.URLField(help_text="the customer's live ticket page (the QR code's target)")
    qr_svg = serializers.CharField()
    where = serializers.CharField(help_text="where to go, from the floor plan; empty without one")
    where_marker = serializers.IntegerField(allow_null=True, help_text="the floor-plan marker to highlight")


class TicketTakeApi(_DeviceApi):
    """Take a ticket: the recommended place, or `channel` to take the alternative."""

    class Input(serializers.Serializer):
        service_type = serializers.CharField(max_length=30)
        channel = serializers.ChoiceField(choices=["kiosk", "vtm", "counter"], required=False,
                                          allow_null=True)
        sign_language = serializers.BooleanField(default=False, help_text="a note tells staff to write")

    @extend_schema(request=Input, responses={201: KioskTicketOutput})
    def post(self, request):
        session = access.session_required(request)
        data = valid_input(self.Input, request)
        ticket = services.kiosk_ticket_take(session=session, service_type=_service(data["service_type"]),
                     channel=data.get("channel"), sign_language=data["sign_language"])
        return Response(payloads.ticket(request, ticket), status=status.HTTP_201_CREATED)


class CheckInApi(_DeviceApi):
    """Check in an appointment by booking code or the scanned QR text."""

    class Input(serializers.Serializer):
        code = serializers.CharField(max_length=100)

    @extend_schema(request=Input, responses={200: KioskTicketOutput})
    def post(self, request):
        session = access.session_required(request)
        data = valid_input(self.Input, request)
        try:
            appointment = services.kiosk_check_in(session=session, raw_code=data["code"])
        except CheckInError as error:
            code = {"not_found": 404, "invalid": 400}.get(error.code, 409)
            raise Refusal(error.code, str(error.message), code) from None
        return Response(payloads.ticket(request, appointment.ticket))


class KioskFormOutput(serializers.Serializer):
    form = serializers.UUIDField(source="public_id")
    service_type = serializers.CharField(source="service_type.code")
    status = serializers.CharField()
    fields = serializers.ListField(child=serializers.DictField())
    values = serializers.DictField()


class FormStartApi(_DeviceApi):
    """Start pre-filling a service's business form at the kiosk (counter's pre-filled form)."""

    class Input(serializers.Serializer):
        service_type = serializers.CharField(max_length=30)

    @extend_schema(request=Input, responses={201: KioskFormOutput}, operation_id="kiosk_form_start")
    def post(self, request):
        session = access.session_required(request)
        data = valid_input(self.Input, request)
        form = services.kiosk_form_start(session=session, service_type=_service(data["service_type"]))
        request.session["kiosk.form"] = str(form.public_id)
        return Response(KioskFormOutput(form).data, status=status.HTTP_201_CREATED)


class FormSaveApi(_DeviceApi):
    """Save what was typed (a draft) or submit it; a submission with problems is refused (400,
    per field) and changes nothing."""

    class Input(serializers.Serializer):
        values = serializers.DictField()
        submit = serializers.BooleanField(default=False)

    class Output(serializers.Serializer):
        ok = serializers.BooleanField()
        errors = serializers.DictField()

    @extend_schema(request=Input, responses=Output, operation_id="kiosk_form_save")
    def post(self, request, public_id):
        session = access.session_required(request)
        if request.session.get("kiosk.form") != str(public_id):
            raise Http404("not this session's form")
        form = form_for_device(session.device, public_id)
        data = valid_input(self.Input, request)
        result = services.kiosk_form_save(session=session, form=form, values=data["values"],
                                          submit=data["submit"])
        return Response({"ok": result.ok, "errors": result.errors_by_field()})


class AskApi(_DeviceApi):
    """Ask the FAQ assistant from the kiosk (knowledge's assistant; hand-offs as it decides)."""

    class Input(serializers.Serializer):
        question = serializers.CharField(max_length=500)
        conversation = serializers.CharField(max_length=36, required=False, allow_blank=True, default="")
        choice = serializers.SlugField(required=False, allow_blank=True, default="")

    @extend_schema(request=Input, responses=AssistantReplyOutput)
    def post(self, request):
        session = access.session_required(request)
        reply = services.kiosk_question_ask(session=session, **valid_input(self.Input, request))
        return Response(AssistantReplyOutput(reply).data)


class KioskVtmOutput(serializers.Serializer):
    session = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    ticket = serializers.CharField(source="ticket.number")
    service = serializers.CharField(source="service_type.name")
    confirmation = serializers.DictField()
    confirmation_status = serializers.CharField()
    sign_language = serializers.BooleanField()
    recording_consent = serializers.CharField(help_text='"given", "refused" or "" (not asked)')


class VtmRequestApi(_DeviceApi):
    """The customer asks for a remote teller (video) for a service."""

    class Input(serializers.Serializer):
        service_type = serializers.CharField(max_length=30)
        sign_language = serializers.BooleanField(default=False, help_text="route to a sign-language agent")
        recording_consent = serializers.BooleanField(
            required=False, allow_null=True, default=None,
            help_text="the customer's answer to the recording statement (双录); omitted: not asked")

    @extend_schema(request=Input, responses={201: KioskVtmOutput})
    def post(self, request):
        session = access.session_required(request)
        data = valid_input(self.Input, request)
        vtm = services.vtm_request(session=session, service_type=_service(data["service_type"]),
                                   sign_language=data["sign_language"],
                                   recording_consent=data["recording_consent"])
        return Response(KioskVtmOutput(vtm).data, status=status.HTTP_201_CREATED)


class VtmAnswerApi(_DeviceApi):
    """The customer confirms (with a signature where asked) or declines what the teller showed."""

    class Input(serializers.Serializer):
        confirmed = serializers.BooleanField()
        signature = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="data:image/png;base64,... from the signature pad")

    @extend_schema(request=Input, responses=KioskVtmOutput)
    def post(self, request, public_id):
        device = access.kiosk_device(request)
        vtm = access.vtm_for_device(device, public_id)
        data = valid_input(self.Input, request)
        vtm = services.vtm_confirmation_answer(device=device, vtm=vtm, **data)
        return Response(KioskVtmOutput(vtm).data)


class VtmDeviceCancelApi(_DeviceApi):
    """The customer hangs up or stops waiting."""

    @extend_schema(request=None, responses=KioskVtmOutput)
    def post(self, request, public_id):
        device = access.kiosk_device(request)
        vtm = services.vtm_cancel(vtm=access.vtm_for_device(device, public_id), device=device)
        return Response(KioskVtmOutput(vtm).data)


# --- the remote teller -----------------------------------------------------------------------

class _TellerApi(APIView):
    permission_classes = [HasRole(Role.TELLER)]


class VtmQueueApi(_TellerApi):
    """Calls waiting for a remote teller in the branches this teller serves."""

    pagination_class = ApiPagination

    @extend_schema(responses=KioskVtmOutput(many=True))
    def get(self, request):
        waiting = (services.vtm_offered_to(request.user)
                   .select_related("ticket", "service_type").order_by("pk"))
        return paginated(self, request, waiting, KioskVtmOutput, default_limit=200)


class VtmAcceptApi(_TellerApi):
    """Take a waiting call: the ticket is called to the VTM and its service record opens."""

    @extend_schema(request=None, responses=KioskVtmOutput)
    def post(self, request, public_id):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        return Response(KioskVtmOutput(services.vtm_accept(actor=request.user, vtm=vtm)).data)


class VtmConfirmApi(_TellerApi):
    """Show the customer a confirmation screen on the VTM (optionally asking for a signature)."""

    class Input(serializers.Serializer):
        title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        text = serializers.CharField(max_length=2000)
        needs_signature = serializers.BooleanField(default=False)

    @extend_schema(request=Input, responses=KioskVtmOutput)
    def post(self, request, public_id):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        vtm = services.vtm_confirmation_push(actor=request.user, vtm=vtm, **valid_input(self.Input, request))
        return Response(KioskVtmOutput(vtm).data)


class VtmHangUpApi(_TellerApi):
    """The remote teller ends the call before the service was finished (recorded as not done)."""

    @extend_schema(request=None, responses=KioskVtmOutput)
    def post(self, request, public_id):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        return Response(KioskVtmOutput(services.vtm_cancel(vtm=vtm, actor=request.user)).data)
