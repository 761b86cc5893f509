"""The offline kiosk ticket over the API, for kiosks only (their device session or token): what
to issue offline, reserving a number block, syncing an offline ticket once."""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import IsDevice
from branches.models import ServiceType
from continuity.offline import number_block_reserve, offline_ticket_sync
from core.api_errors import valid_input
from customers.face.api import DEVICE_AUTHENTICATION
from kiosk import access
from queueing.state import zone_prefixes


class _KioskApi(APIView):
    authentication_classes = DEVICE_AUTHENTICATION
    permission_classes = [IsDevice]


class OfflinePlanOutput(serializers.Serializer):
    branch = serializers.CharField()
    queues = serializers.ListField(child=serializers.CharField())
    services = serializers.ListField(child=serializers.DictField())


class OfflinePlanApi(_KioskApi):
    """What this kiosk may issue offline: the walk-in services and the queue each goes to."""

    @extend_schema(responses=OfflinePlanOutput)
    def get(self, request):
        device = access.kiosk_device(request)
        prefixes = zone_prefixes(device.branch)
        services = [{"code": s.code, "name": s.name, "queue": prefixes.get(s.zone_kind, "A")}
                    for s in ServiceType.objects.filter(is_active=True, needs_appointment=False)
                    .order_by("code")]
        return Response({"branch": device.branch.name,
                         "queues": sorted({s["queue"] for s in services}), "services": services})


class NumberBlockOutput(serializers.Serializer):
    id = serializers.IntegerField()
    queue = serializers.CharField(source="prefix")
    first = serializers.IntegerField()
    last = serializers.IntegerField()
    business_date = serializers.DateField()


class NumberBlockReserveApi(_KioskApi):
    """Reserve `size` numbers of a queue for this kiosk to issue while offline (today only)."""

    class Input(serializers.Serializer):
        queue = serializers.CharField(max_length=2)
        size = serializers.IntegerField(min_value=1, max_value=100, default=20)

    @extend_schema(request=Input, responses={201: NumberBlockOutput})
    def post(self, request):
        device = access.kiosk_device(request)
        data = valid_input(self.Input, request)
        block = number_block_reserve(device=device, prefix=data["queue"], size=data["size"])
        return Response(NumberBlockOutput(block).data, status=status.HTTP_201_CREATED)


class OfflineTicketOutput(serializers.Serializer):
    key = serializers.UUIDField(source="offline.key")
    number = serializers.CharField()
    status = serializers.CharField()
    issued_at = serializers.DateTimeField()


class OfflineTicketSyncApi(_KioskApi):
    """Sync one ticket issued offline: 201 the first time, 200 with the same ticket on a replay."""

    class Input(serializers.Serializer):
        key = serializers.UUIDField()
        block = serializers.IntegerField(min_value=1)
        sequence = serializers.IntegerField(min_value=1)
        service_type = serializers.CharField(max_length=30)
        issued_at = serializers.DateTimeField()

    @extend_schema(request=Input, responses={201: OfflineTicketOutput, 200: OfflineTicketOutput})
    def post(self, request):
        device = access.kiosk_device(request)
        data = valid_input(self.Input, request)
        ticket, created = offline_ticket_sync(
            device=device, key=data["key"], block_id=data["block"], sequence=data["sequence"],
            service_code=data["service_type"], issued_at=data["issued_at"])
        return Response(OfflineTicketOutput(ticket).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def kiosk_service_worker(request):
    """The kiosk's service worker, served under /continuity/ with the right to control /kiosk/
    (a worker's scope is otherwise its own folder under /static/)."""
    path = settings.BASE_DIR / "continuity/static/continuity/kiosk-sw.js"
    response = HttpResponse(path.read_text(encoding="utf-8"), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/kiosk/"
    response["Cache-Control"] = "no-cache"
    return response


def console_service_worker(request):
    """The teller console's service worker (scope /counter/console/): keeps the console's static
    files so the page that is open keeps its offline ledger working (counter/offline-ledger.js)."""
    path = settings.BASE_DIR / "continuity/static/continuity/console-sw.js"
    response = HttpResponse(path.read_text(encoding="utf-8"), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/counter/console/"
    response["Cache-Control"] = "no-cache"
    return response
