"""REST API of home visits (``/api/v1/outreach/home-visits/…``): one APIView per operation, the
same services as the pages, errors in the one shape, lists paginated."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import branch_for_user
from branches.models import Branch, ServiceType
from core.api_errors import valid_input
from core.pagination import ApiPagination, paginated
from customers.models import Customer
from outreach import services
from outreach.access import customer_of, is_staff, visit_for_user, visits_for_user
from outreach.models import Eligibility, IdentityMethod, PhotoKind, RequestChannel


class VisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    branch = serializers.CharField(source="branch.code")
    service_type = serializers.CharField(source="service_type.code")
    customer = serializers.CharField(source="customer.masked_name")
    eligibility = serializers.CharField()
    channel = serializers.CharField()
    status = serializers.CharField()
    requested_at = serializers.DateTimeField()
    due_by = serializers.DateTimeField()
    scheduled_at = serializers.DateTimeField(allow_null=True)
    lead_staff = serializers.IntegerField(source="lead_staff_id", allow_null=True)
    second_staff = serializers.IntegerField(source="second_staff_id", allow_null=True)
    identity_method = serializers.CharField()
    photos = serializers.SerializerMethodField()
    signature_sha256 = serializers.CharField()
    service_record = serializers.IntegerField(source="service_record_id", allow_null=True)
    work_order = serializers.CharField(source="work_order.number", allow_null=True, default=None)

    def get_photos(self, obj) -> int:
        return obj.photos.count()


class VisitListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    class Input(serializers.Serializer):
        branch = serializers.SlugRelatedField(
            slug_field="code", queryset=Branch.objects.filter(is_active=True)
        )
        service_type = serializers.SlugRelatedField(
            slug_field="code", queryset=ServiceType.objects.filter(is_active=True)
        )
        eligibility = serializers.ChoiceField(choices=Eligibility.choices)
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
        address = serializers.CharField(max_length=200)
        customer_phone = serializers.CharField(
            max_length=20, required=False, help_text="staff only: the customer asking"
        )

    @extend_schema(responses=VisitOutput(many=True), summary="Home visits (own, or the branch's)")
    def get(self, request):
        return paginated(self, request, visits_for_user(request.user).order_by("due_by"), VisitOutput)

    @extend_schema(
        request=Input,
        responses={201: VisitOutput},
        summary="Request a home visit (customer for themself, staff for a customer)",
    )
    def post(self, request):
        data = valid_input(self.Input, request)
        phone = data.pop("customer_phone", "")
        if is_staff(request.user):
            branch_for_user(request.user, data["branch"].code, write=True)
            customer = Customer.objects.by_phone(phone).first()
            if customer is None:
                raise ValidationError({"customer_phone": ["No customer with this phone number."]})
            channel = RequestChannel.STAFF
        else:
            customer, channel = customer_of(request.user), RequestChannel.PHONE
            if customer is None:
                raise PermissionDenied
        visit = services.home_visit_request(actor=request.user, customer=customer, channel=channel, **data)
        return Response(VisitOutput(visit).data, status=status.HTTP_201_CREATED)


class VisitDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=VisitOutput, summary="One home visit")
    def get(self, request, pk: int):
        return Response(VisitOutput(visit_for_user(request.user, pk)).data)


class VisitScheduleApi(APIView):
    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        scheduled_at = serializers.DateTimeField()
        lead_staff = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
        second_staff = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())

    @extend_schema(
        request=Input,
        responses=VisitOutput,
        summary="Schedule with two distinct staff, neither the requester (supervisors)",
    )
    def post(self, request, pk: int):
        visit = visit_for_user(request.user, pk, schedule=True)
        data = valid_input(self.Input, request)
        return Response(
            VisitOutput(services.home_visit_schedule(actor=request.user, visit=visit, **data)).data
        )


class VisitStartApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=VisitOutput, summary="The two staff arrived (one of them)")
    def post(self, request, pk: int):
        visit = services.home_visit_start(actor=request.user, visit=visit_for_user(request.user, pk))
        return Response(VisitOutput(visit).data)


class VisitIdentityApi(APIView):
    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        method = serializers.ChoiceField(choices=IdentityMethod.choices)
        both_present = serializers.BooleanField()

    @extend_schema(request=Input, responses=VisitOutput, summary="The customer's identity was checked")
    def post(self, request, pk: int):
        data = valid_input(self.Input, request)
        visit = services.home_visit_verify_identity(
            actor=request.user, visit=visit_for_user(request.user, pk), **data
        )
        return Response(VisitOutput(visit).data)


class VisitPhotoApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=PhotoKind.choices)
        photo = serializers.FileField()

    @extend_schema(request={"multipart/form-data": Input}, responses={201: None}, summary="Add a photo")
    def post(self, request, pk: int):
        data = valid_input(self.Input, request)
        services.home_visit_add_photo(
            actor=request.user,
            visit=visit_for_user(request.user, pk),
            kind=data["kind"],
            data=data["photo"].read(),
        )
        return Response(status=status.HTTP_201_CREATED)


class VisitCompleteApi(APIView):
    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        signature = serializers.CharField(help_text="the canvas PNG as a data: URL")

    @extend_schema(
        request=Input,
        responses=VisitOutput,
        summary="Signed: record the business as at a counter and close the visit",
    )
    def post(self, request, pk: int):
        data = valid_input(self.Input, request)
        visit = services.home_visit_complete(
            actor=request.user, visit=visit_for_user(request.user, pk), signature_data_url=data["signature"]
        )
        return Response(VisitOutput(visit).data)


class VisitCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        reason = serializers.CharField(max_length=200)

    @extend_schema(request=Input, responses=VisitOutput, summary="Cancel a home visit")
    def post(self, request, pk: int):
        data = valid_input(self.Input, request)
        visit = services.home_visit_cancel(
            actor=request.user, visit=visit_for_user(request.user, pk), reason=data["reason"]
        )
        return Response(VisitOutput(visit).data)
