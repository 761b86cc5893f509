"""The public fee API: the catalogue in effect today and the calculator (no sign-in)."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core.api_errors import Refusal, valid_input
from core.pagination import ApiPagination, paginated
from fees import calculator, services
from fees.display import price_text
from fees.models import FeeItem, Group


class _PublicApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]


class FeeOutput(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    category = serializers.CharField(source="item.category")
    method = serializers.CharField(source="version.method")
    price = serializers.DecimalField(source="version.price", max_digits=12, decimal_places=2, allow_null=True)
    rate = serializers.DecimalField(source="version.rate", max_digits=7, decimal_places=4, allow_null=True)
    minimum = serializers.DecimalField(source="version.minimum", max_digits=12, decimal_places=2,
                                       allow_null=True)
    maximum = serializers.DecimalField(source="version.maximum", max_digits=12, decimal_places=2,
                                       allow_null=True)
    text = serializers.CharField()
    legal_basis = serializers.CharField(source="version.legal_basis")
    waivers = serializers.ListField(child=serializers.CharField(), source="version.waivers")
    effective_from = serializers.DateField(source="version.effective_from")


class CatalogueApi(_PublicApi):
    pagination_class = ApiPagination
    """Every fee in effect today, with its legal basis and the groups it is waived for."""

    @extend_schema(responses={200: FeeOutput(many=True)})
    def get(self, request):
        rows = [{"item": item, "version": version, "text": price_text(version, item.basis)}
                for item, version, _next in services.catalogue()]
        return paginated(self, request, rows, FeeOutput, default_limit=200)


class QuoteApi(_PublicApi):
    """What a service will cost: the fee, rounded to the fen, held between minimum and maximum,
    or nothing for a waived group."""

    class Input(serializers.Serializer):
        item = serializers.SlugField()
        amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                          min_value=Decimal("0"))
        quantity = serializers.IntegerField(min_value=1, max_value=1000, default=1)
        groups = serializers.ListField(child=serializers.ChoiceField(choices=Group.choices), default=list)

    class Output(serializers.Serializer):
        item = serializers.CharField()
        fee = serializers.DecimalField(max_digits=14, decimal_places=2)
        waived_for = serializers.CharField()
        capped = serializers.CharField()
        text = serializers.CharField()

    @extend_schema(request=Input, responses={200: Output})
    def post(self, request):
        data = valid_input(self.Input, request)
        item = get_object_or_404(FeeItem, code=data["item"])
        version = services.version_in_effect(item)
        if version is None:
            raise Refusal("no_fee", _("This service has no published fee yet."), 404)
        result = calculator.quote(version=version, amount=data.get("amount"), quantity=data["quantity"],
            groups=set(data["groups"]))
        return Response(self.Output({"item": item.code, "fee": result.fee, "waived_for": result.waived_for,
                                     "capped": result.capped, "text": price_text(version, item.basis)}).data)
