"""Face greeting API: enrolment by staff, frames and one-tap actions from branch devices."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from branches.access import HasRole, IsDevice
from branches.auth import DeviceSessionAuthentication, DeviceTokenAuthentication
from customers.face import frames, services
from customers.face.access import ENROL_ROLES, face_customer_for_user
from customers.face.uploads import keep_uploads_in_memory, read_uploads
from customers.models import Consent, FaceEnrolment

DEVICE_AUTHENTICATION = [DeviceTokenAuthentication, DeviceSessionAuthentication]


def _raise_as_drf(error: DjangoValidationError):
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class _InMemoryUploads:
    """APIView mixin: multipart uploads kept in memory with a per-file cap (see uploads.py)."""

    parser_classes = [MultiPartParser]
    upload_limits: frames.ImageLimits = frames.FRAME_LIMITS
    max_files = services.MAX_PHOTOS

    def initialize_request(self, request, *args, **kwargs):
        keep_uploads_in_memory(request, max_bytes=self.upload_limits.max_bytes,
                               max_files=self.max_files + 1)
        return super().initialize_request(request, *args, **kwargs)


class DeviceFramesThrottle(SimpleRateThrottle):
    """Bursts per device: the camera page sends one every 1.5 s at most; a device sending
    faster (broken or hijacked) must not fill the workers' queue."""

    rate = "60/min"

    def get_cache_key(self, request, view):
        device = getattr(request, "device", None)
        return f"throttle_face_frames_{device.pk}" if device is not None else None


class FaceFramesApi(_InMemoryUploads, APIView):
    authentication_classes = DEVICE_AUTHENTICATION
    permission_classes = [IsDevice]
    throttle_classes = [DeviceFramesThrottle]

    class Input(serializers.Serializer):
        frames = serializers.ListField(child=serializers.FileField(), min_length=2, max_length=3,
                                       help_text="2–3 consecutive JPEG/PNG camera frames, in order")

    class Output(serializers.Serializer):
        status = serializers.CharField()
        frames = serializers.IntegerField()

    @extend_schema(request={"multipart/form-data": Input}, responses={202: Output},
                   summary="Send a burst of camera frames for the face greeting")
    def post(self, request):
        frames_data = read_uploads(request.FILES.getlist("frames"))
        try:
            services.face_frames_submit(device=request.device, frames_data=frames_data)
        except DjangoValidationError as error:
            _raise_as_drf(error)
        return Response({"status": "queued", "frames": len(frames_data)},
                        status=status.HTTP_202_ACCEPTED)


class EnrolmentOutput(serializers.Serializer):
    branch = serializers.CharField(source="branch.code")
    photos = serializers.IntegerField(source="photo_count")
    source = serializers.CharField()
    enrolled_at = serializers.DateTimeField()


class FaceStatusOutput(serializers.Serializer):
    consent_active = serializers.BooleanField()
    consent_version = serializers.CharField(allow_null=True)
    current_consent_version = serializers.CharField()
    enrolments = EnrolmentOutput(many=True)


def face_status(customer) -> dict:
    consent = (Consent.objects.filter(customer=customer, kind=Consent.Kind.FACE,
                                      withdrawn_at__isnull=True).first())
    return {
        "consent_active": consent is not None,
        "consent_version": consent.text_version if consent else None,
        "current_consent_version": services.FACE_CONSENT_VERSION,
        "enrolments": FaceEnrolment.objects.filter(customer=customer).select_related("branch"),
    }


class FaceStatusApi(APIView):
    permission_classes = [HasRole(*ENROL_ROLES)]

    @extend_schema(responses=FaceStatusOutput, summary="A customer's face consent and enrolments")
    def get(self, request, customer_id: int):
        customer, _ = face_customer_for_user(request.user, customer_id)
        return Response(FaceStatusOutput(face_status(customer)).data)


class FaceEnrolApi(_InMemoryUploads, APIView):
    permission_classes = [HasRole(*ENROL_ROLES)]
    upload_limits = frames.PHOTO_LIMITS

    class Input(serializers.Serializer):
        photos = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=3)
        source = serializers.ChoiceField(choices=FaceEnrolment.Source.choices)
        consent_captured = serializers.BooleanField(
            default=False, help_text="The customer has just agreed to the current consent text")

    @extend_schema(request={"multipart/form-data": Input},
                   responses={201: EnrolmentOutput, 400: OpenApiResponse(description="Bad photos")},
                   summary="Enrol a consenting customer's face at the staff member's branch")
    def post(self, request, customer_id: int):
        customer, branch = face_customer_for_user(request.user, customer_id)
        source = request.data.get("source", "")
        captured = str(request.data.get("consent_captured", "")).lower() in ("1", "true", "on")
        try:
            enrolment = services.face_enrol(
                actor=request.user, customer=customer, branch=branch,
                photos=read_uploads(request.FILES.getlist("photos")), source=source,
                consent_captured=captured)
        except DjangoValidationError as error:
            _raise_as_drf(error)
        return Response(EnrolmentOutput(enrolment).data, status=status.HTTP_201_CREATED)


class FaceWithdrawApi(APIView):
    permission_classes = [HasRole(*ENROL_ROLES)]

    class Output(serializers.Serializer):
        erased = serializers.IntegerField()

    @extend_schema(request=None, responses=Output,
                   summary="Withdraw the face consent; the encodings are deleted at once")
    def post(self, request, customer_id: int):
        customer, _ = face_customer_for_user(request.user, customer_id)
        erased = services.face_consent_withdraw(actor=request.user, customer=customer)
        return Response({"erased": erased})


class FaceConsentTextApi(APIView):
    permission_classes = [HasRole(*ENROL_ROLES) | IsDevice]
    authentication_classes = [SessionAuthentication, *DEVICE_AUTHENTICATION]

    class Output(serializers.Serializer):
        version = serializers.CharField()
        text = serializers.CharField()

    @extend_schema(responses=Output, summary="The current face consent text")
    def get(self, request):
        return Response({"version": services.FACE_CONSENT_VERSION,
                         "text": str(services.FACE_CONSENT_TEXT)})


class FaceArrivalActionApi(APIView):
    authentication_classes = DEVICE_AUTHENTICATION
    permission_classes = [IsDevice]

    class Output(serializers.Serializer):
        message = serializers.CharField()

    @extend_schema(request=None, responses=Output,
                   summary="Run a one-tap option the face greeting offered at this device")
    def post(self, request, token: str, action: str):
        try:
            result = services.face_arrival_act(device=request.device, token=token, action=action)
        except DjangoValidationError as error:
            _raise_as_drf(error)
        return Response({"message": str(result.get("message", "")), **{
            key: value for key, value in result.items() if key != "message"}})
