"""REST API of post-sale monitoring (``/api/v1/outreach/wealth/…``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole
from core.api_errors import valid_input
from core.pagination import ApiPagination, paginated
from outreach import holdings, wealth
from outreach.views_wealth import WEALTH_ROLES, alerts_for


class AlertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.CharField(source="holding.product.code")
    customer = serializers.CharField(source="holding.customer.masked_name")
    day = serializers.DateField()
    nav = serializers.DecimalField(max_digits=12, decimal_places=4)
    fall_percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    still_suitable = serializers.BooleanField()
    suitability_note = serializers.CharField()
    work_order = serializers.CharField(source="work_order.number", allow_null=True, default=None)
    notified_at = serializers.DateTimeField(allow_null=True)


class NavImportApi(APIView):
    permission_classes = [HasRole(*WEALTH_ROLES)]

    class Input(serializers.Serializer):
        text = serializers.CharField(help_text="the file: product,date,nav lines (a header is allowed)")

    @extend_schema(
        request=Input,
        responses={201: AlertOutput(many=True)},
        summary="Import a daily NAV file (all or nothing; 400 lists each bad line)",
    )
    def post(self, request):
        data = valid_input(self.Input, request)
        result = wealth.nav_import(actor=request.user, text=data["text"])
        return Response(
            {"imported": result.imported, "alerts": AlertOutput(result.alerts, many=True).data},
            status=status.HTTP_201_CREATED,
        )


class HoldingsImportApi(APIView):
    permission_classes = [HasRole(*WEALTH_ROLES)]

    class Input(serializers.Serializer):
        text = serializers.CharField(
            help_text="the file: customer,product,units,purchase_nav,purchased_on,wealth_manager[,sold_on]"
        )

    class Output(serializers.Serializer):
        created = serializers.IntegerField()
        updated = serializers.IntegerField()

    @extend_schema(
        request=Input,
        responses={201: Output},
        summary="Import a holdings file (all or nothing; 400 lists each bad line)",
    )
    def post(self, request):
        data = valid_input(self.Input, request)
        result = holdings.holdings_import(actor=request.user, text=data["text"])
        return Response(self.Output(result).data, status=status.HTTP_201_CREATED)


class AlertListApi(APIView):
    permission_classes = [HasRole(*WEALTH_ROLES)]
    pagination_class = ApiPagination

    @extend_schema(responses=AlertOutput(many=True), summary="Fall alerts of the user's branches")
    def get(self, request):
        return paginated(self, request, alerts_for(request.user), AlertOutput)
