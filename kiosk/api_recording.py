"""The video teller's network and recording API: each end's ICE configuration (STUN/TURN with a
short-lived credential of its own), the teller console's chunked upload of the dual recording
(双录), and the compliance officer's download and legal hold."""

from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole, IsDevice, staff_branches
from branches.roles import Role
from core.api_errors import valid_input
from customers.face.api import DEVICE_AUTHENTICATION
from kiosk import access, conf, recording
from kiosk.models import VtmRecording


class IceOutput(serializers.Serializer):
    iceServers = serializers.ListField(child=serializers.DictField())  # noqa: N815 (RTCConfiguration)
    iceTransportPolicy = serializers.CharField()  # noqa: N815


class VtmDeviceIceApi(APIView):
    """The VTM's RTCPeerConnection configuration for this call (its own TURN credential)."""

    authentication_classes = DEVICE_AUTHENTICATION
    permission_classes = [IsDevice]

    @extend_schema(responses=IceOutput)
    def get(self, request, public_id):
        vtm = access.vtm_for_device(access.kiosk_device(request), public_id)
        return Response(conf.ice_config(f"vtm-{vtm.public_id}-kiosk"))


class ConsentOutput(serializers.Serializer):
    session = serializers.UUIDField()
    recording_consent = serializers.CharField(
        help_text='"given", "refused", "withdrawn" or "requested" (the teller asked to agree again)')


class VtmConsentApi(APIView):
    """The customer agrees to (or refuses) the recording of the call (双录)."""

    authentication_classes = DEVICE_AUTHENTICATION
    permission_classes = [IsDevice]

    class Input(serializers.Serializer):
        consent = serializers.BooleanField()

    @extend_schema(request=Input, responses=ConsentOutput)
    def post(self, request, public_id):
        device = access.kiosk_device(request)
        vtm = recording.consent_answer(device=device, vtm=access.vtm_for_device(device, public_id),
                                       **valid_input(self.Input, request))
        return Response(ConsentOutput({"session": vtm.public_id,
                                       "recording_consent": vtm.recording_consent}).data)


class VtmConsentWithdrawApi(APIView):
    """The customer withdraws their agreement during the call: the recording stops and what was
    recorded until then is stored; 400 when there is no agreement to withdraw."""

    authentication_classes = DEVICE_AUTHENTICATION
    permission_classes = [IsDevice]

    @extend_schema(request=None, responses=ConsentOutput)
    def post(self, request, public_id):
        device = access.kiosk_device(request)
        vtm = recording.consent_withdraw(device=device, vtm=access.vtm_for_device(device, public_id))
        return Response(ConsentOutput({"session": vtm.public_id,
                                       "recording_consent": vtm.recording_consent}).data)


class _TellerApi(APIView):
    permission_classes = [HasRole(Role.TELLER)]


class VtmTellerIceApi(_TellerApi):
    """The remote teller's RTCPeerConnection configuration for this call."""

    @extend_schema(responses=IceOutput)
    def get(self, request, public_id):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        return Response(conf.ice_config(f"vtm-{vtm.public_id}-teller"))


class RecordingOutput(serializers.Serializer):
    recording = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    chunks = serializers.IntegerField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    retain_until = serializers.DateTimeField(allow_null=True)
    legal_hold = serializers.BooleanField()


class VtmRecordingStartApi(_TellerApi):
    """Start the call's dual recording (refused without the customer's consent)."""

    class Input(serializers.Serializer):
        content_type = serializers.CharField(max_length=100, default="video/webm")

    @extend_schema(request=Input, responses={201: RecordingOutput})
    def post(self, request, public_id):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        started = recording.recording_start(actor=request.user, vtm=vtm, **valid_input(self.Input, request))
        return Response(RecordingOutput(started).data, status=201)


class VtmConsentAskApi(_TellerApi):
    """The teller asks a customer who refused or stopped the recording to agree again: the VTM
    shows the recording statement again; 400 when the customer has agreed or not answered yet."""

    @extend_schema(request=None, responses=ConsentOutput)
    def post(self, request, public_id):
        vtm = recording.consent_ask_again(actor=request.user,
                                          vtm=access.vtm_for_teller(request.user, public_id, write=True))
        return Response(ConsentOutput({"session": vtm.public_id,
                                       "recording_consent": vtm.recording_consent}).data)


class VtmRecordingChunkApi(_TellerApi):
    """One slice of the recording (the raw MediaRecorder bytes), numbered from 1; 400 once that
    recording was stopped or stored."""

    @extend_schema(request={"application/octet-stream": OpenApiTypes.BINARY}, responses=RecordingOutput)
    def put(self, request, public_id, recording_id, seq):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        stored = recording.recording_chunk(actor=request.user, vtm=vtm, recording_id=recording_id,
                                           seq=seq, data=request.body)
        return Response(RecordingOutput(stored).data)


class VtmRecordingFinishApi(_TellerApi):
    """The call ended: store the recording whole, with its SHA-256."""

    @extend_schema(request=None, responses=RecordingOutput)
    def post(self, request, public_id, recording_id):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        return Response(RecordingOutput(recording.recording_finish(
            actor=request.user, vtm=vtm, recording_id=recording_id)).data)


class VtmRecordingChunkUnnamedApi(_TellerApi):
    """Deprecated (the previous release's path, without the recording): a slice of the call's only
    recording; refused once the call has a second one. Use …/recording/<recording>/chunks/<n>/."""

    @extend_schema(exclude=True)
    def put(self, request, public_id, seq):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        stored = recording.recording_chunk(actor=request.user, vtm=vtm, seq=seq, data=request.body,
                                           recording_id=recording.only_recording_id(vtm))
        return Response(RecordingOutput(stored).data)


class VtmRecordingFinishUnnamedApi(_TellerApi):
    """Deprecated: finish the call's only recording. Use …/recording/<recording>/finish/."""

    @extend_schema(exclude=True)
    def post(self, request, public_id):
        vtm = access.vtm_for_teller(request.user, public_id, write=True)
        stored = recording.recording_finish(actor=request.user, vtm=vtm,
                                            recording_id=recording.only_recording_id(vtm))
        return Response(RecordingOutput(stored).data)


def _recording(public_id) -> VtmRecording:
    found = VtmRecording.objects.select_related("vtm__branch").filter(public_id=public_id).first()
    if found is None:
        raise Http404("no such recording")
    return found


class RecordingFileApi(APIView):
    """Download a stored recording: compliance officers only, every download audited."""

    permission_classes = [HasRole(Role.COMPLIANCE_OFFICER)]

    @extend_schema(responses={(200, "video/webm"): OpenApiTypes.BINARY})
    def get(self, request, public_id):
        found = _recording(public_id)
        handle = recording.recording_open(actor=request.user, recording=found)
        extension = found.file.name.rpartition(".")[2]
        return FileResponse(handle, content_type=found.content_type, as_attachment=True,
                            filename=f"vtm-{found.vtm.public_id}.{extension}")


class FoundRecordingOutput(RecordingOutput):
    started_at = serializers.DateTimeField()
    branch = serializers.CharField(source="vtm.branch.code")
    ticket = serializers.CharField(source="vtm.ticket.number")
    customer = serializers.CharField(source="vtm.customer.masked_name", default="")
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class RecordingSearchApi(APIView):
    """The recordings of one customer in the officer's branches, found by their whole ID number or
    mobile phone (posted, so the number stays out of addresses and logs; the search is audited),
    newest first, at most 200; the customer is shown by masked name only."""

    permission_classes = [HasRole(Role.COMPLIANCE_OFFICER)]

    class Input(serializers.Serializer):
        customer = serializers.CharField(max_length=30, help_text="whole ID number or mobile phone")

    @extend_schema(request=Input, responses=FoundRecordingOutput(many=True))
    def post(self, request):
        number = valid_input(self.Input, request)["customer"]
        ids, _masked = recording.recordings_find_customer(actor=request.user, number=number)
        found = (VtmRecording.objects.filter(vtm__branch__in=staff_branches(request.user),
                                             vtm__customer_id__in=ids)
                 .select_related("vtm__branch", "vtm__ticket", "vtm__customer")
                 .order_by("-started_at", "-id")[:200])
        return Response(FoundRecordingOutput(found, many=True).data)


class RecordingHoldApi(APIView):
    """Put a recording under legal hold (kept past its retention date) or release it."""

    permission_classes = [HasRole(Role.COMPLIANCE_OFFICER)]

    class Input(serializers.Serializer):
        hold = serializers.BooleanField()
        reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(request=Input, responses=RecordingOutput)
    def post(self, request, public_id):
        held = recording.recording_legal_hold(actor=request.user, recording=_recording(public_id),
                                              **valid_input(self.Input, request))
        return Response(RecordingOutput(held).data)
