"""The teller console's offline ledger over the API: one entry synced once per idempotency key."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import HasRole
from branches.models import ServiceType
from branches.people import person_name
from continuity.ledger import Slip, ledger_entry_sync
from continuity.models import LEDGER_AMOUNT_LIMIT
from core.api_errors import valid_input
from counter.access import CONSOLE, COUNTER_ROLES
from counter.models import Outcome
from queueing.access import counter_for_user


class LedgerPlanOutput(serializers.Serializer):
    counter = serializers.IntegerField()
    counter_name = serializers.CharField()
    branch = serializers.CharField()
    teller = serializers.IntegerField()
    teller_name = serializers.CharField()
    limit = serializers.CharField()
    services = serializers.ListField(child=serializers.DictField())
    outcomes = serializers.ListField(child=serializers.DictField())


class LedgerPlanApi(APIView):
    """What the console's offline ledger needs with the server away (kept in the browser): this
    counter and teller, the services and outcomes, the amount above which the lobby manager
    reviews. The console polls it: an unreachable server is how it knows it is offline."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    @extend_schema(responses=LedgerPlanOutput)
    def get(self, request, point_id: int):
        point = counter_for_user(request.user, point_id, **CONSOLE)
        return Response({
            "counter": point.pk, "counter_name": point.name, "branch": point.branch.name,
            "teller": request.user.pk, "teller_name": person_name(request.user),
            "limit": str(LEDGER_AMOUNT_LIMIT),
            "services": [{"code": s.code, "name": s.name}
                         for s in ServiceType.objects.filter(is_active=True).order_by("code")],
            "outcomes": [{"value": value, "label": str(label)} for value, label in Outcome.choices],
        })


class LedgerEntryOutput(serializers.Serializer):
    key = serializers.UUIDField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    conflicts = serializers.ListField(child=serializers.CharField())
    ticket = serializers.CharField(source="ticket.number", allow_null=True, default=None)
    served_at = serializers.DateTimeField()
    synced_at = serializers.DateTimeField()


class LedgerEntrySyncApi(APIView):
    """Sync one service the teller recorded while offline: 201 the first time, 200 with the same
    entry on a replay of its key. Conflicts wait for the lobby manager; the rest become service
    records at once."""

    permission_classes = [HasRole(*COUNTER_ROLES)]

    class Input(serializers.Serializer):
        key = serializers.UUIDField()
        counter = serializers.IntegerField(min_value=1)
        service_type = serializers.CharField(max_length=30)
        outcome = serializers.ChoiceField(choices=Outcome.choices)
        outcome_reason = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                               default="")
        ticket_number = serializers.CharField(max_length=8, required=False, allow_blank=True,
                                              default="")
        customer_name = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                              default="")
        customer_id_number = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                                   default="")
        amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False,
                                          allow_null=True, default=None)
        note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        served_at = serializers.DateTimeField()
        recorded_at = serializers.DateTimeField()

    @extend_schema(request=Input, responses={201: LedgerEntryOutput, 200: LedgerEntryOutput})
    def post(self, request):
        data = valid_input(self.Input, request)
        point = counter_for_user(request.user, data.pop("counter"), write=True, **CONSOLE)
        slip = Slip(counter=point, teller=request.user, service_code=data.pop("service_type"), **data)
        entry, created = ledger_entry_sync(actor=request.user, slip=slip)
        return Response(LedgerEntryOutput(entry).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
