"""In Chromium: a deaf customer at a plain kiosk asks for a sign-language video call; with nobody
to answer the kiosk says so and offers a counter ticket; once an agent who signs opens the
remote-teller console, the call appears there marked 手语 (and not on an unskilled teller's)."""

import time

import pytest

from branches.roles import Role
from kiosk import services
from kiosk.models import VtmSession
from tests.browser import screenshot
from tests.factories import make_staff
from tests.kiosk.test_kiosk_browser import begin, kiosk_page, open_branch_clock, staff_page  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until_signed_in(branch):
    """The console's websocket connects in the server thread; wait for its presence (a condition,
    not a time)."""
    deadline = time.monotonic() + 15
    while not services.sign_agents_available(branch):
        assert time.monotonic() < deadline, "the agent's console never connected"
        time.sleep(0.05)


def test_a_kiosk_sign_language_request_reaches_only_an_agent_who_signs(
        chromium, asgi_server, branch, kiosk_device, vtm_point, account_open, remote_teller,
        open_branch_clock):  # noqa: F811
    agent = make_staff(Role.TELLER, branch, username="signer", is_remote_teller=True, sign_language=True)
    kiosk = kiosk_page(chromium, asgi_server, kiosk_device[1])
    begin(kiosk)
    kiosk.click("[data-testid=menu-sign]")
    kiosk.click(f"[data-service={account_open.code}]")
    kiosk.wait_for_selector("[data-testid=sign-refusal]:not([hidden])")
    assert "柜台" in kiosk.inner_text("[data-testid=sign-refusal]")
    assert kiosk.is_visible("[data-testid=sign-counter]")
    screenshot(kiosk, "kiosk-sign-language-nobody")

    console = staff_page(chromium, asgi_server, agent)
    console.goto(f"{asgi_server}/kiosk/remote-teller/")
    plain = staff_page(chromium, asgi_server, remote_teller)
    plain.goto(f"{asgi_server}/kiosk/remote-teller/")
    wait_until_signed_in(branch)

    kiosk.click(f"[data-service={account_open.code}]")
    kiosk.wait_for_selector("[data-screen=call]:not([hidden])")
    call = VtmSession.objects.get()
    row = f"[data-testid=vtm-queue] tr[data-session='{call.public_id}']"
    console.wait_for_selector(f"{row} [data-testid=sign-language]")
    assert "手语" in console.inner_text(row)
    screenshot(console, "remote-teller-sign-language-queue")
    plain.reload()
    assert plain.query_selector(row) is None
    console.click(f"[data-accept='{call.public_id}']")
    console.wait_for_url(f"**/kiosk/remote-teller/{call.public_id}/")
