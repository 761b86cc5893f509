"""The customer's turn-near notice choice (docs/queueing.md, "Turn-near notices"): public, by the
ticket page's token."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import valid_input
from queueing import services
from queueing.access import ticket_for_token
from queueing.models import NoticeChannel, NoticeKind


class PublicTicketNoticeApi(APIView):
    """The customer chooses a turn-near notice: one SMS or e-mail when about `threshold`
    customers (kind "position") or minutes (kind "minutes") are left before their turn."""

    permission_classes = [AllowAny]
    authentication_classes = []

    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=NoticeKind.choices)
        threshold = serializers.IntegerField()
        channel = serializers.ChoiceField(choices=NoticeChannel.choices)
        address = serializers.CharField(required=False, allow_blank=True, max_length=120)

    class Output(serializers.Serializer):
        kind = serializers.CharField()
        threshold = serializers.IntegerField()
        channel = serializers.CharField()
        sent = serializers.ListField(child=serializers.DictField())

    @extend_schema(request=Input, responses={201: Output})
    def post(self, request, token):
        ticket = ticket_for_token(token)
        choice = services.turn_notice_choose(ticket=ticket, **valid_input(self.Input, request))
        sent = [{"kind": n.kind, "threshold": n.threshold, "channel": n.channel,
                 "outcome": n.outcome, "at": n.at.isoformat()} for n in ticket.notices.all()]
        return Response({"kind": choice.kind, "threshold": choice.threshold,
                         "channel": choice.channel, "sent": sent},
                        status=status.HTTP_201_CREATED)
