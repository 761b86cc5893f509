"""Fraud cases over the API: customers (their own cards), kiosks (the session's customer, or an
unidentified report that alerts the staff), branch staff (a customer they identified)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from branches.access import staff_branches, user_role
from branches.models import Branch
from continuity import services
from continuity.access import CASE_HANDLERS, customer_of, fraud_case_for_user
from continuity.models import FraudChannel
from core.api_errors import Refusal, service_call
from customers.face.api import DEVICE_AUTHENTICATION
from customers.models import Customer
from kiosk.access import current_session


class ClockOutput(serializers.Serializer):
    due_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


class FraudCaseOutput(serializers.Serializer):
    ref = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.CharField()
    branch = serializers.CharField(source="branch.code")
    customer = serializers.CharField(source="customer.masked_name", allow_null=True, default=None)
    reported_at = serializers.DateTimeField()
    freeze = serializers.SerializerMethodField()
    dispute_hold = serializers.SerializerMethodField()
    escalation_level = serializers.IntegerField()

    def get_freeze(self, case) -> dict:
        return {"due_at": case.freeze_due_at, "confirmed_at": case.frozen_at}

    def get_dispute_hold(self, case) -> dict:
        return {"due_at": case.hold_due_at, "confirmed_at": case.held_at}


class KioskFraudThrottle(SimpleRateThrottle):
    """Reports per kiosk: each one alerts every lobby manager at once, so a kiosk that sends more
    (a prank, a stuck screen) is refused and the kiosk sends the customer to staff instead."""

    rate = "5/hour"

    def get_cache_key(self, request, view):
        device = getattr(request, "device", None)
        # The token hash, not the id: a kiosk re-registered under a recycled id starts afresh.
        return f"throttle_kiosk_fraud_{device.token_hash}" if device is not None else None


class FraudCaseCreateApi(APIView):
    """Report fraud in progress: the card freeze (≤ 1 hour) and dispute hold (≤ 3 days) start.
    A kiosk may report 5 an hour (429 `throttled` beyond)."""

    authentication_classes = [*APIView.authentication_classes, *DEVICE_AUTHENTICATION]
    permission_classes = [AllowAny]  # who may is decided below: customer, kiosk or branch staff
    throttle_classes = [*APIView.throttle_classes, KioskFraudThrottle]

    class InputSerializer(serializers.Serializer):
        description = serializers.CharField(max_length=1000)
        amount = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        customer_no = serializers.CharField(max_length=20, required=False, help_text="staff only")
        branch = serializers.CharField(max_length=20, required=False, help_text="staff only")

    @extend_schema(request=InputSerializer, responses={201: FraudCaseOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        opening = {"description": values["description"], "amount": values.get("amount")}
        device = getattr(request, "device", None)
        customer = customer_of(request.user)
        if customer is not None:
            branch = customer.home_branch or Branch.objects.filter(is_active=True).order_by("code").first()
            case = service_call(
                lambda: services.fraud_case_open(
                    actor=request.user,
                    branch=branch,
                    customer=customer,
                    channel=FraudChannel.PHONE,
                    **opening,
                )
            )
        elif device is not None:
            case = service_call(
                lambda: services.fraud_case_open(
                    actor=None,
                    branch=device.branch,
                    customer=_kiosk_customer(request),
                    device=device,
                    channel=FraudChannel.KIOSK,
                    **opening,
                )
            )
        elif user_role(request.user) in CASE_HANDLERS:
            branches = staff_branches(request.user)
            branch = (
                get_object_or_404(branches, code=values["branch"])
                if values.get("branch")
                else branches.first()
            )
            found = Customer.objects.filter(customer_no=values.get("customer_no", "")).first()
            if branch is None or found is None:
                raise Refusal(
                    "customer_required", str(_("Name the branch and the identified customer.")), 400
                )
            case = service_call(
                lambda: services.fraud_case_open(
                    actor=request.user, branch=branch, customer=found, channel=FraudChannel.COUNTER, **opening
                )
            )
        else:
            raise Refusal("not_allowed", str(_("Sign in to report fraud.")), status.HTTP_403_FORBIDDEN)
        return Response(FraudCaseOutput(case).data, status=status.HTTP_201_CREATED)


def _kiosk_customer(request):
    session = current_session(request)
    return session.customer if session is not None else None


class FraudCaseDetailApi(APIView):
    @extend_schema(responses=FraudCaseOutput)
    def get(self, request, ref: str):
        return Response(FraudCaseOutput(fraud_case_for_user(request.user, ref)).data)


class FraudCaseIdentifyApi(APIView):
    """Staff who checked the ID attach the customer to a case reported anonymously at a kiosk."""

    class InputSerializer(serializers.Serializer):
        customer_no = serializers.CharField(max_length=20)

    @extend_schema(request=InputSerializer, responses=FraudCaseOutput)
    def post(self, request, ref: str):
        case = fraud_case_for_user(request.user, ref, write=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = Customer.objects.filter(customer_no=data.validated_data["customer_no"]).first()
        if customer is None:
            raise serializers.ValidationError({"customer_no": [_("No customer has this number.")]})
        case = service_call(
            lambda: services.fraud_case_identify(actor=request.user, case=case, customer=customer)
        )
        return Response(FraudCaseOutput(case).data)
