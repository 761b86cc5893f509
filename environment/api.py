"""The environment's API: sensors with their latest values, a sensor's history, acknowledging an
alert, a branch's thresholds and registering a sensor (docs/environment.md)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole
from core.api_errors import Refusal, valid_input
from core.pagination import ApiPagination, paginated
from environment import access, services, tiles
from environment.kinds import SPECS, Kind


class SensorOutput(serializers.Serializer):
    id = serializers.IntegerField(source="sensor.pk")
    key = serializers.CharField(source="sensor.key")
    kind = serializers.CharField(source="sensor.kind")
    location = serializers.CharField(source="sensor.location")
    unit = serializers.SerializerMethodField()
    value = serializers.FloatField(allow_null=True)
    state = serializers.ChoiceField(choices=["ok", "high", "low", "silent", "waiting"])
    last_seen_at = serializers.DateTimeField(source="sensor.last_seen_at", allow_null=True)
    low = serializers.DecimalField(source="limits.low", max_digits=9, decimal_places=2, allow_null=True)
    high = serializers.DecimalField(source="limits.high", max_digits=9, decimal_places=2, allow_null=True)

    def get_unit(self, tile) -> str:
        return SPECS[tile.sensor.kind].label


class SensorListApi(APIView):
    """The branch's active sensors: latest value, state against the thresholds, last reading."""

    permission_classes = [HasRole(*access.WATCH_ROLES)]
    pagination_class = ApiPagination

    @extend_schema(responses={200: SensorOutput(many=True)})
    def get(self, request, code):
        branch = access.branch_for_watcher(request.user, code)
        return paginated(self, request, tiles.tiles(branch), SensorOutput, default_limit=200)


class SensorRegisterApi(APIView):
    permission_classes = [HasRole(*access.CONFIGURE_ROLES)]

    class Input(serializers.Serializer):
        key = serializers.SlugField(max_length=40)
        kind = serializers.ChoiceField(choices=Kind.choices)
        location = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)

    class Output(serializers.Serializer):
        id = serializers.IntegerField(source="pk")
        key = serializers.CharField()
        kind = serializers.CharField()
        topic = serializers.SerializerMethodField()

        def get_topic(self, sensor) -> str:
            from environment import conf

            return f"{conf.topic_prefix()}/{sensor.branch.code}/{sensor.key}"

    @extend_schema(request=Input, responses={201: Output})
    def post(self, request, code):
        branch = access.branch_for_watcher(request.user, code, configure=True)
        sensor = services.sensor_register(actor=request.user, branch=branch,
            **valid_input(self.Input, request))
        return Response(self.Output(sensor).data, status=status.HTTP_201_CREATED)


class SensorHistoryApi(APIView):
    """The sensor's last `hours` (6, 24 or 168) in up to 96 slices: mean, lowest, highest."""

    permission_classes = [HasRole(*access.WATCH_ROLES)]

    class Output(serializers.Serializer):
        start = serializers.DateTimeField()
        mean = serializers.FloatField()
        low = serializers.FloatField()
        high = serializers.FloatField()

    # A fixed series of at most 96 slices, not a list of records: never paged (its operation id
    # says so, so the API's "every list is paged" rule does not take it for one).
    @extend_schema(operation_id="environment_sensor_history", parameters=[
        OpenApiParameter("hours", int, enum=[6, 24, 168])], responses={200: Output(many=True)})
    def get(self, request, pk):
        sensor = access.sensor_for_user(request.user, pk)
        hours = request.query_params.get("hours", "24")
        if hours not in {"6", "24", "168"}:
            raise serializers.ValidationError({"hours": [_("Choose 6, 24 or 168 hours.")]})
        return Response(self.Output(tiles.history(sensor, hours=int(hours)), many=True).data)


class AlertAcknowledgeApi(APIView):
    permission_classes = [HasRole(*access.WATCH_ROLES)]

    class Output(serializers.Serializer):
        id = serializers.IntegerField(source="pk")
        kind = serializers.CharField()
        raised_at = serializers.DateTimeField()
        resolved_at = serializers.DateTimeField(allow_null=True)
        acknowledged_at = serializers.DateTimeField()

    @extend_schema(request=None, responses={200: Output})
    def post(self, request, pk):
        alert = access.alert_for_user(request.user, pk)
        if alert.acknowledged_at is not None:
            raise Refusal("already_acknowledged", _("This alert has already been acknowledged."), 409)
        alert = services.sensor_alert_acknowledge(actor=request.user, alert=alert)
        return Response(self.Output(alert).data)


class ThresholdSetApi(APIView):
    """Set the branch's comfortable range for one kind (either end may be left open)."""

    permission_classes = [HasRole(*access.CONFIGURE_ROLES)]

    class Input(serializers.Serializer):
        low = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True, required=False)
        high = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True, required=False)

    class Output(serializers.Serializer):
        kind = serializers.CharField()
        low = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
        high = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)

    @extend_schema(request=Input, responses={200: Output})
    def put(self, request, code, kind):
        branch = access.branch_for_watcher(request.user, code, configure=True)
        if kind not in Kind.values:
            raise Refusal("not_found", _("No such kind of sensor."), 404)
        data = valid_input(self.Input, request)
        threshold = services.threshold_set(actor=request.user, branch=branch, kind=kind,
            low=data.get("low"), high=data.get("high"))
        return Response(self.Output(threshold).data)
