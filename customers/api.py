from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole
from branches.roles import STAFF_ROLES, Role
from core.pagination import ApiPagination, paginated
from customers.access import customer_for_user, customers_for_user
from customers.models import Customer
from customers.services import customer_reveal


class CustomerOutput(serializers.Serializer):
    """A customer as staff see them by default: C2 data masked."""

    id = serializers.IntegerField()
    customer_no = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(source="masked_phone")
    id_type = serializers.CharField()
    id_number = serializers.CharField(source="masked_id_number")
    age = serializers.IntegerField(allow_null=True)
    segment = serializers.CharField()
    vip_tier = serializers.IntegerField()
    needs = serializers.ListField(child=serializers.CharField())
    preferred_language = serializers.CharField()
    home_branch = serializers.CharField(source="home_branch.code", allow_null=True, default=None)
    risk_level = serializers.SerializerMethodField()
    risk_valid_until = serializers.SerializerMethodField()

    def get_risk_level(self, customer) -> str | None:
        assessment = customer.current_risk_assessment()
        return assessment.level if assessment else None

    def get_risk_valid_until(self, customer) -> str | None:
        assessment = customer.current_risk_assessment()
        return assessment.expires_on.isoformat() if assessment else None


class CustomerListApi(APIView):
    pagination_class = ApiPagination
    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(responses=CustomerOutput(many=True))
    def get(self, request):
        query = (request.query_params.get("q") or "").strip()
        customers = customers_for_user(request.user).select_related("home_branch")
        if query:
            by_number = customers.by_phone(query) | customers.by_id_number(query)
            customers = by_number | customers.filter(customer_no=query) | customers.filter(
                name__startswith=query)
        customers = customers.prefetch_related("risk_assessments").order_by("customer_no")
        return paginated(self, request, customers, CustomerOutput, default_limit=50)


class CustomerDetailApi(APIView):
    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(responses=CustomerOutput)
    def get(self, request, customer_id):
        return Response(CustomerOutput(customer_for_user(request.user, customer_id)).data)


class CustomerRevealApi(APIView):
    """Reveal a personal-data field in full, with a reason; audited."""

    permission_classes = [HasRole(*STAFF_ROLES)]

    class Input(serializers.Serializer):
        field = serializers.ChoiceField(choices=["id_number", "phone"])
        reason = serializers.CharField(max_length=200)

    class Output(serializers.Serializer):
        field = serializers.CharField()
        value = serializers.CharField()

    @extend_schema(request=Input, responses=Output)
    def post(self, request, customer_id):
        customer = customer_for_user(request.user, customer_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            value = customer_reveal(actor=request.user, customer=customer, **data.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response({"field": data.validated_data["field"], "value": value})


class MeApi(APIView):
    """The signed-in customer's own profile (masked as everywhere else)."""

    permission_classes = [HasRole(Role.CUSTOMER)]

    @extend_schema(responses=CustomerOutput)
    def get(self, request):
        customer = Customer.objects.filter(user=request.user).first()
        if customer is None:
            raise Http404("no customer profile")
        return Response(CustomerOutput(customer).data)
