"""A deaf customer asks for a sign-language video call at a VTM or a kiosk: it waits only for
agents with the sign-language skill who are signed in, and an honest refusal otherwise."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from branches.roles import Role
from compliance.models import AuditEvent
from kiosk import services
from kiosk.models import KioskSession, VtmSession, VtmStatus
from queueing.models import Ticket
from tests.factories import make_staff
from tests.kiosk.conftest import start


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


@pytest.fixture
def sign_agent(branch):
    agent = make_staff(Role.TELLER, branch, username="signer", is_remote_teller=True, sign_language=True)
    services.sign_agent_present(agent, True)  # what opening the remote-teller console does
    return agent


def ask(client, service, lang="zh-hans"):
    start(client, language=lang)
    return post(client, "/api/kiosk/vtm/", {"service_type": service.code, "sign_language": True})


def test_a_sign_language_call_is_offered_only_to_skilled_agents_and_one_accepts(
        client, vtm, account_open, sign_agent, remote_teller, clock):
    response = ask(vtm, account_open)
    assert response.status_code == 201, response.content
    call = VtmSession.objects.get(public_id=response.json()["session"])
    assert call.sign_language and response.json()["sign_language"] is True
    assert AuditEvent.objects.get(action="vtm.request").after["sign_language"] is True

    client.force_login(remote_teller)
    assert client.get("/api/kiosk/vtm/queue/").json() == []
    client.force_login(sign_agent)
    assert [c["ticket"] for c in client.get("/api/kiosk/vtm/queue/").json()] == [call.ticket.number]
    page = client.get("/kiosk/remote-teller/").content.decode()
    assert call.ticket.number in page and "手语" in page

    assert post(client, f"/api/kiosk/vtm/{call.public_id}/accept/").status_code == 200
    call.refresh_from_db()
    assert call.status == VtmStatus.CONNECTED and call.teller == sign_agent


def test_an_agent_without_the_skill_cannot_accept_one(client, vtm, account_open, sign_agent, remote_teller,
                                                      clock):
    call = VtmSession.objects.get(public_id=ask(vtm, account_open).json()["session"])
    client.force_login(remote_teller)
    response = post(client, f"/api/kiosk/vtm/{call.public_id}/accept/")
    assert response.status_code == 400
    assert "手语" in " ".join(response.json()["errors"]["session"])
    call.refresh_from_db()
    assert call.status == VtmStatus.WAITING and call.teller is None
    with pytest.raises(ValidationError):
        services.vtm_accept(actor=remote_teller, vtm=call)


def test_without_a_signed_in_agent_the_customer_is_told_and_offered_a_counter(
        vtm, account_open, branch, remote_teller, clock):
    agent = make_staff(Role.TELLER, branch, username="away", is_remote_teller=True, sign_language=True)
    services.sign_agent_present(agent, True)
    services.sign_agent_present(agent, False)  # closed the console
    response = ask(vtm, account_open)
    assert response.status_code == 400
    message = " ".join(response.json()["errors"]["sign_language"])
    assert "手语" in message and "柜台" in message
    assert not VtmSession.objects.exists()
    # The counter ticket offered instead carries a note telling staff to write.
    response = post(vtm, "/api/kiosk/tickets/", {"service_type": account_open.code, "channel": "counter",
                                                 "sign_language": True})
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert ticket.channel == "counter" and "书面" in ticket.note and "writing" in ticket.note
    assert AuditEvent.objects.filter(action="ticket.note").exists()


def test_the_refusal_is_in_the_customers_language(vtm, account_open, clock):
    response = ask(vtm, account_open, lang="en")
    assert "No sign-language agent" in " ".join(response.json()["errors"]["sign_language"])
    with translation.override("ja"):
        session = KioskSession.objects.get()
        with pytest.raises(ValidationError) as refused:
            services.vtm_request(session=session, service_type=account_open, sign_language=True)
        assert "手話" in " ".join(refused.value.message_dict["sign_language"])


def test_a_kiosk_without_a_video_teller_reaches_the_branchs_vtm_point(
        kiosk, vtm_point, account_open, sign_agent, clock):
    response = ask(kiosk, account_open)
    assert response.status_code == 201, response.content
    assert VtmSession.objects.get().point == vtm_point


def test_a_kiosk_in_a_branch_without_any_video_teller_is_refused_clearly(kiosk, account_open, sign_agent,
                                                                        clock):
    response = ask(kiosk, account_open)
    assert response.status_code == 400
    assert "视频柜员" in " ".join(response.json()["errors"]["sign_language"])
