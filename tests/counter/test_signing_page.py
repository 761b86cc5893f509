"""The customer is asked to sign on their own page, live, and sees what they sign."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from counter.models import ServiceRecord
from counter.routing import websocket_urlpatterns
from counter.services import record_request_signature
from tests.counter.conftest import make_ticket
from tests.counter.schemas import VALID_ID
from tests.counter.test_console import serve

application = URLRouter(websocket_urlpatterns)


def test_the_signing_view_summarises_the_service_with_personal_data_masked(
    clock, prefilled, teller_client, point, ticket
):
    serve(teller_client, point)
    record = ServiceRecord.objects.get(ticket=ticket)
    teller_client.post(reverse("counter:record-signature", args=[record.pk]), HTTP_HX_REQUEST="true")

    page = Client().get(reverse("counter:ticket-home", args=[ticket.public_token])).content.decode()

    summary = page.split('data-testid="signing-summary"')[1].split("</dl>")[0]
    assert "开立借记卡账户" in summary and "¥1,000.50" in summary and "张**" in summary
    assert VALID_ID not in page and "13812345678" not in page
    assert "signature-pad" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_customers_page_hears_the_signature_request_live(branch, service_type, customer, teller):
    from tests.factories import make_counter

    ticket = await sync_to_async(make_ticket)(branch, service_type, customer)
    point = await sync_to_async(make_counter)(branch, "05", zone_kind="non_cash", services=[service_type])
    communicator = WebsocketCommunicator(application, f"/ws/counter/t/{ticket.public_token}/")
    connected, _ = await communicator.connect()
    assert connected

    def ask():
        from counter.services import service_start
        from queueing.services import counter_open, ticket_call_next

        counter_open(actor=teller, counter=point)
        ticket_call_next(actor=teller, counter=point)
        record = service_start(actor=teller, ticket=ticket, counter=point)
        record_request_signature(actor=teller, record=record)

    await sync_to_async(ask)()
    events = []
    while not events or events[-1]["event"] != "counter.signature_requested":
        events.append(await communicator.receive_json_from(timeout=5))
    assert events[-1]["payload"]["url"] == reverse("counter:ticket-home", args=[ticket.public_token])
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_unknown_ticket_token_cannot_listen():
    communicator = WebsocketCommunicator(application, "/ws/counter/t/not-a-ticket/")
    connected, _ = await communicator.connect()
    assert not connected
