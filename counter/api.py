"""The counter API: pre-filled forms (customer browser, kiosk, teller) and the teller's service steps."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole, staff_branches, user_role
from branches.auth import DeviceTokenAuthentication
from branches.models import ServiceType
from branches.roles import Role
from core.api_errors import valid_input
from counter import access, formschema, identity, services, verification, visits
from counter.access import COUNTER_ROLES
from counter.models import AgentRelationship, FormSource, Outcome
from counter.reveal import form_field_reveal, masked_form_values
from queueing.models import Ticket

_AUTH = [DeviceTokenAuthentication]


class FormOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    service_type = serializers.CharField(source="service_type.code")
    schema_version = serializers.IntegerField(source="schema.version")
    fields = serializers.JSONField()
    status = serializers.CharField()
    source = serializers.CharField()
    values = serializers.JSONField()
    ticket = serializers.CharField(source="ticket.number", default=None)
    updated_at = serializers.DateTimeField()


def _actor(request):
    return request.user if request.user.is_authenticated else None


class FormStartApi(APIView):
    """Start a pre-filled form: a signed-in customer, a ticket holder, a kiosk or a teller."""

    authentication_classes = [*_AUTH, SessionAuthentication]
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        service_type = serializers.SlugRelatedField(
            slug_field="code", queryset=ServiceType.objects.filter(is_active=True)
        )
        ticket = serializers.CharField(required=False, help_text="the ticket's public token")

    @extend_schema(
        request=InputSerializer,
        responses={201: FormOutputSerializer},
        operation_id="counter_form_start",
    )
    def post(self, request):
        data = valid_input(self.InputSerializer, request)
        ticket = _ticket_by_token(data.get("ticket"))
        device = getattr(request, "device", None)
        source, customer = _form_origin(request, ticket, device)
        form = services.form_start(
            actor=_actor(request),
            service_type=data["service_type"],
            source=source,
            customer=customer,
            ticket=ticket,
            device=device,
            branch=device.branch if device else None,
        )
        return Response(FormOutputSerializer(form).data, status=status.HTTP_201_CREATED)


def _ticket_by_token(token):
    return get_object_or_404(Ticket, public_token=token) if token else None


def _form_origin(request, ticket, device):
    """Where a new form comes from, and whose it is."""
    if device is not None:
        if ticket is not None and ticket.branch_id != device.branch_id:
            raise Http404("no such ticket")
        return FormSource.KIOSK, ticket.customer if ticket else None
    role = user_role(request.user)
    if role == Role.CUSTOMER:
        return FormSource.CUSTOMER, getattr(request.user, "customer", None)
    if role in COUNTER_ROLES and ticket is not None:
        if not staff_branches(request.user).filter(pk=ticket.branch_id).exists():
            raise Http404("no such ticket")
        return FormSource.TELLER, ticket.customer
    if ticket is not None:
        return FormSource.CUSTOMER, ticket.customer
    raise Http404("sign in or give a ticket")


class FormDetailApi(APIView):
    authentication_classes = [*_AUTH, SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(responses={200: FormOutputSerializer}, operation_id="counter_form_detail")
    def get(self, request, public_id):
        form = access.form_for_request(request, public_id)
        data = FormOutputSerializer(form).data
        if not access.full_values_for(request, form):
            data["values"] = masked_form_values(form)
        return Response(data)


class FormRevealApi(APIView):
    """One personal-data field of a form in full, with a reason; audited (tellers, wealth
    managers, and staff with the reveal permission)."""

    permission_classes = [HasRole(*COUNTER_ROLES, *access.READER_ROLES)]

    class InputSerializer(serializers.Serializer):
        field = serializers.CharField(max_length=64)
        reason = serializers.CharField(max_length=200)

    class OutputSerializer(serializers.Serializer):
        field = serializers.CharField()
        value = serializers.JSONField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer},
                   operation_id="counter_form_reveal")
    def post(self, request, public_id):
        form = access.form_for_user(request.user, public_id)
        data = valid_input(self.InputSerializer, request)
        value = form_field_reveal(actor=request.user, form=form, **data)
        return Response({"field": data["field"], "value": value})


class FormSaveApi(APIView):
    """Save a draft (problems reported, everything kept) or submit (refused while problems remain)."""

    authentication_classes = [*_AUTH, SessionAuthentication]
    permission_classes = [AllowAny]
    submit = False

    class InputSerializer(serializers.Serializer):
        values = serializers.DictField(child=serializers.JSONField(allow_null=True))

    class OutputSerializer(serializers.Serializer):
        form = FormOutputSerializer()
        errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request, public_id):
        form = access.form_for_request(request, public_id, write=True)
        data = valid_input(self.InputSerializer, request)
        result = services.form_save(
            actor=_actor(request),
            form=form,
            values=data["values"],
            submit=self.submit,
            device=getattr(request, "device", None),
        )
        form.refresh_from_db()
        return Response({"form": FormOutputSerializer(form).data, "errors": result.errors_by_field()})


class FormSubmitApi(FormSaveApi):
    submit = True


class FormPhotoApi(APIView):
    """Upload a document photo; the answer carries OCR proposals the customer must confirm."""

    authentication_classes = [*_AUTH, SessionAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        field = serializers.CharField()
        file = serializers.FileField()

    class OutputSerializer(serializers.Serializer):
        attachment = serializers.UUIDField()
        sha256 = serializers.CharField()
        proposals = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={201: OutputSerializer},
        operation_id="counter_form_photo",
    )
    def post(self, request, public_id):
        form = access.form_for_request(request, public_id, write=True)
        upload = request.FILES.get("file")
        field_name = request.data.get("field", "")
        if upload is None:
            message = str(formschema.MESSAGES["not_an_upload"])
            raise ValidationError({"errors": {field_name or "file": [message]}})
        attachment, proposals = services.form_attach_photo(
            actor=_actor(request),
            form=form,
            field_name=field_name,
            data=upload.read(),
            device=getattr(request, "device", None),
        )
        return Response(
            {
                "attachment": attachment.public_id,
                "sha256": attachment.sha256,
                "proposals": [{"field": p.field, "value": p.value} for p in proposals],
            },
            status=status.HTTP_201_CREATED,
        )


class FormVerifyFieldApi(APIView):
    """The teller confirms a field, or corrects it (`value`); a correction keeps the old value."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    class InputSerializer(serializers.Serializer):
        field = serializers.CharField()
        value = serializers.JSONField(required=False, allow_null=True)

    class OutputSerializer(serializers.Serializer):
        field = serializers.CharField(source="field_name")
        outcome = serializers.CharField()
        at = serializers.DateTimeField()

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer},
        operation_id="counter_form_verify_field",
    )
    def post(self, request, public_id):
        form = access.form_for_user(request.user, public_id, write=True)
        data = valid_input(self.InputSerializer, request)
        verification = services.form_verify_field(
            actor=request.user,
            form=form,
            field_name=data["field"],
            corrected_value=data.get("value"),
        )
        return Response(self.OutputSerializer(verification).data)


class RecordOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ticket = serializers.CharField(source="ticket.number")
    service_type = serializers.CharField(source="service_type.code")
    status = serializers.CharField()
    current_step = serializers.CharField()
    had_prefilled_form = serializers.BooleanField()
    corrections = serializers.IntegerField()
    fields_overridden = serializers.IntegerField()
    fields_unverified = serializers.IntegerField()
    field_checks = serializers.SerializerMethodField(
        help_text="form field -> confirmed | corrected | overridden | unverified | entered"
    )
    identity = serializers.SerializerMethodField(help_text="match | mismatch | agent | not_checked")
    agent = serializers.SerializerMethodField()
    outcome = serializers.CharField()
    signature_sha256 = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    receipt = serializers.SerializerMethodField()

    def get_field_checks(self, record) -> dict[str, str]:
        return verification.field_states(record)

    def get_identity(self, record) -> str:
        return identity.check(record).state

    def get_agent(self, record) -> dict | None:
        if not record.agent_name:
            return None
        return {
            "name": record.masked_agent_name,
            "id_number": record.masked_agent_id_number,
            "relationship": record.agent_relationship,
        }

    def get_receipt(self, record) -> str | None:
        receipt = getattr(record, "receipt", None)
        return receipt.number if receipt else None


class RecordDetailApi(APIView):
    permission_classes = [HasRole(*COUNTER_ROLES, *access.READER_ROLES)]

    @extend_schema(responses={200: RecordOutputSerializer}, operation_id="counter_record_detail")
    def get(self, request, record_id):
        return Response(RecordOutputSerializer(access.record_for_user(request.user, record_id)).data)


class RecordSignApi(APIView):
    """Store the customer's signature from a counter-side pad (`data:image/png;base64,...`)."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    class InputSerializer(serializers.Serializer):
        signature = serializers.CharField()

    @extend_schema(
        request=InputSerializer,
        responses={200: RecordOutputSerializer},
        operation_id="counter_record_sign",
    )
    def post(self, request, record_id):
        record = access.record_for_user(request.user, record_id, write=True)
        data = valid_input(self.InputSerializer, request)
        record = services.record_sign(actor=request.user, record=record, data_url=data["signature"])
        return Response(RecordOutputSerializer(record).data)


class RecordFinishApi(APIView):
    """Finish the service; refused without a signature (for `done`) or while compliance blocks it."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=Outcome.choices)
        reason = serializers.CharField(required=False, allow_blank=True, default="")
        referred_to = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        request=InputSerializer,
        responses={200: RecordOutputSerializer},
        operation_id="counter_record_finish",
    )
    def post(self, request, record_id):
        record = access.record_for_user(request.user, record_id, write=True)
        data = valid_input(self.InputSerializer, request)
        services.record_finish(actor=request.user, record=record, **data)
        record.refresh_from_db()
        return Response(RecordOutputSerializer(record).data)


class RecordOverrideApi(APIView):
    """A lobby manager or branch admin lets the service finish with fields the teller did not check."""

    permission_classes = [HasRole(*access.SUPERVISOR_ROLES)]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300)

    @extend_schema(
        request=InputSerializer,
        responses={200: RecordOutputSerializer},
        operation_id="counter_record_verification_override",
    )
    def post(self, request, record_id):
        record = access.record_for_supervisor(request.user, record_id)
        data = valid_input(self.InputSerializer, request)
        record = services.record_override_verification(actor=request.user, record=record, **data)
        return Response(RecordOutputSerializer(record).data)


class RecordAgentApi(APIView):
    """The person at the counter acts for the form's holder (代办): their own name, ID and relationship."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        id_number = serializers.CharField(max_length=18)
        relationship = serializers.ChoiceField(choices=AgentRelationship.choices)

    @extend_schema(
        request=InputSerializer,
        responses={200: RecordOutputSerializer},
        operation_id="counter_record_agent",
    )
    def post(self, request, record_id):
        record = access.record_for_user(request.user, record_id, write=True)
        data = valid_input(self.InputSerializer, request)
        record = services.record_agent(actor=request.user, record=record, **data)
        return Response(RecordOutputSerializer(record).data)


class LineInputSerializer(serializers.Serializer):
    service_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceType.objects.filter(is_active=True)
    )


class VisitLineAddApi(APIView):
    """Add a service line to the visit being served; it starts when the current line is finished."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    @extend_schema(
        request=LineInputSerializer,
        responses={201: RecordOutputSerializer},
        operation_id="counter_visit_line_add",
    )
    def post(self, request, record_id):
        record = access.record_for_user(request.user, record_id, write=True)
        data = valid_input(LineInputSerializer, request)
        line = visits.visit_add_line(actor=request.user, record=record, **data)
        return Response(RecordOutputSerializer(line).data, status=status.HTTP_201_CREATED)


class VisitLineChangeApi(APIView):
    """Change a line's service in place: the customer stays at the counter, nothing is re-queued."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    @extend_schema(
        request=LineInputSerializer,
        responses={200: RecordOutputSerializer},
        operation_id="counter_visit_line_change",
    )
    def post(self, request, record_id):
        record = access.record_for_user(request.user, record_id, write=True)
        data = valid_input(LineInputSerializer, request)
        line = visits.visit_change_line(actor=request.user, record=record, **data)
        return Response(RecordOutputSerializer(line).data)


class VisitLineRemoveApi(APIView):
    """Remove a line the customer no longer needs (never the visit's last open line)."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    @extend_schema(
        request=None,
        responses={200: RecordOutputSerializer},
        operation_id="counter_visit_line_remove",
    )
    def post(self, request, record_id):
        record = access.record_for_user(request.user, record_id, write=True)
        line = visits.visit_remove_line(actor=request.user, record=record)
        return Response(RecordOutputSerializer(line).data)
