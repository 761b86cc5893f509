"""Spoken calls rendered on the server (espeak-ng) for lobby screens whose browser has no voice."""

import io
import wave

import pytest
import time_machine
from django.urls import reverse

from branches.roles import Role
from queueing import announce, services
from queueing.models import Ticket
from tests.browser import device_page, off_the_browser_thread
from tests.conftest import wait_for_js
from tests.factories import make_counter, make_customer, make_device, make_staff
from tests.queueing.conftest import OPEN_MORNING


def _lobby_client(client, branch):
    _, token = make_device(branch, "lobby_screen")
    client.post(reverse("device-login"), {"token": token})
    return client


def _audio_url(branch, number, language):
    return reverse("queue-lobby-announcement", args=[branch.code, number, language])


@pytest.fixture
def called(issue, open_counter, teller):
    """Ticket A001, held by a customer with a name and a phone, called to counter 01."""
    customer = make_customer(name="欧阳娜娜", phone="13912345678")
    issue(customer=customer)
    return services.ticket_call_next(actor=teller, counter=open_counter)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_lobby_screen_gets_the_call_as_a_spoken_recording(client, require_service, branch, called,
                                                              language):
    require_service("espeak")
    response = _lobby_client(client, branch).get(_audio_url(branch, called.number, language))

    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as recording:
        seconds = recording.getnframes() / recording.getframerate()
        assert recording.getnchannels() == 1 and recording.getsampwidth() == 2
    # "请 A 零 零 一 号到 01号窗口 办理" / "Number A-0-0-1, please go to Counter 01"
    assert 2 < seconds < 10


def test_the_chinese_and_english_recordings_differ_and_are_rendered_once(client, require_service, branch,
                                                                         called, monkeypatch):
    require_service("espeak")
    lobby = _lobby_client(client, branch)
    chinese = lobby.get(_audio_url(branch, called.number, "zh")).content
    english = lobby.get(_audio_url(branch, called.number, "en")).content
    assert chinese != english

    monkeypatch.setattr(announce, "espeak_binary", lambda: pytest.fail("rendered again"))
    assert lobby.get(_audio_url(branch, called.number, "zh")).content == chinese


def test_the_announcement_says_only_the_number_and_the_counter(called):
    chinese = announce.call_announcement(called, "zh")
    english = announce.call_announcement(called, "en")

    assert chinese.text == "请 A001 号到 01号窗口 办理"
    assert english.text == "Number A001, please go to Counter 01"
    # espeak-ng spells the number out character by character ("A 零 零 一", "A zero zero one").
    assert '<say-as interpret-as="characters">A001</say-as>' in chinese.ssml
    for spoken in (chinese, english):
        for personal in ("欧阳", "娜娜", "13912345678", "5678"):
            assert personal not in spoken.text and personal not in spoken.ssml


def test_a_counter_name_cannot_inject_speech_markup():
    spoken = announce.announcement(number="A001", counter_name="<audio src='x'/> & 1",
                                   language="en")
    assert "<audio" not in spoken.ssml and "&lt;audio src='x'/&gt; &amp; 1" in spoken.ssml


def test_a_lobby_screen_cannot_hear_another_branchs_calls(client, branch, other_branch, deposit, clock):
    teller = make_staff(Role.TELLER, other_branch, username="sh-teller")
    counter = make_counter(other_branch, "07", services=[deposit])
    services.counter_open(actor=teller, counter=counter)
    services.ticket_issue(issue=services.IssueRequest(
        branch=other_branch, service_type=deposit, source="kiosk"))
    elsewhere = services.ticket_call_next(actor=teller, counter=counter)

    lobby = _lobby_client(client, branch)
    assert lobby.get(_audio_url(other_branch, elsewhere.number, "zh")).status_code == 404
    # The same number asked at its own branch: nobody was called there.
    assert lobby.get(_audio_url(branch, elsewhere.number, "zh")).status_code == 404


def test_visitors_and_other_devices_get_no_recording(client, branch, called):
    url = _audio_url(branch, called.number, "zh")
    assert client.get(url).status_code == 403
    _, token = make_device(branch, "kiosk")
    client.post(reverse("device-login"), {"token": token})
    assert client.get(url).status_code == 403


def test_a_waiting_ticket_or_an_unknown_language_has_no_recording(client, branch, called, issue):
    waiting = issue()
    lobby = _lobby_client(client, branch)
    assert lobby.get(_audio_url(branch, waiting.number, "zh")).status_code == 404
    assert lobby.get(_audio_url(branch, called.number, "fr")).status_code == 404


def test_without_espeak_ng_the_screen_is_told_to_stay_visual(client, branch, called, settings):
    settings.ESPEAK_BINARY = "/nonexistent/espeak-ng"
    lobby = _lobby_client(client, branch)

    response = lobby.get(_audio_url(branch, called.number, "en"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response.json() == {"detail": "Spoken announcements need espeak-ng on the server.",
                               "code": "speech_unavailable"}
    response = lobby.get(_audio_url(branch, called.number, "en"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503 and "espeak-ng" in response.json()["detail"]
    assert response.json()["detail"] != "Spoken announcements need espeak-ng on the server."


# --- in Chromium ----------------------------------------------------------------------------

NO_VOICES = ("window.speechSynthesis && Object.defineProperty(window.speechSynthesis, 'getVoices', "
             "{value: function () { return []; }});")


def _screen_without_voices(browser, server, branch, deposit, counter, teller, *, tickets=2, hold=None):
    """A lobby screen whose browser has no voice, `tickets` kiosk tickets waiting, the counter open.
    Returns the page and the recordings it asked for: [(number, "zh.wav"|"en.wav", status)].
    `hold(route)`, if given, answers the page's requests for recordings instead of the server."""
    off_the_browser_thread(services.counter_open, actor=teller, counter=counter)
    for _ in range(tickets):
        off_the_browser_thread(services.ticket_issue, issue=services.IssueRequest(
            branch=branch, service_type=deposit, source="kiosk"))
    _, token = off_the_browser_thread(make_device, branch=branch, kind="lobby_screen")
    lobby = device_page(browser, server, token, viewport={"width": 1600, "height": 900})
    lobby.context.add_init_script(NO_VOICES)
    if hold is not None:
        lobby.route("**/*.wav", hold)
    recordings = []
    lobby.on("response", lambda response: response.url.endswith(".wav") and recordings.append(
        (*response.url.rsplit("/", 2)[-2:], response.status)))
    lobby.goto(f"{server}/queue/lobby/")
    lobby.wait_for_selector("#lobby[data-last-event]")
    assert lobby.evaluate("window.speechSynthesis.getVoices().length") == 0
    return lobby, recordings


def _call_in_turn(lobby, counter, teller, count, *, settle=True):
    """The teller calls A001, then finishes each customer and calls the next at once.
    `settle`: first wait until the screen has its first answer about A001's recording (SQLite's
    shared in-memory test database refuses a read while another thread writes)."""
    for serial in range(1, count + 1):
        if serial == 2 and settle:
            wait_for_js(lobby, "performance.getEntriesByType('resource')"
                               ".some(function (entry) { return entry.name.endsWith('.wav'); })")
        if serial > 1:
            served = off_the_browser_thread(Ticket.objects.get, number=f"A{serial - 1:03d}")
            off_the_browser_thread(services.ticket_start_serving, actor=teller, ticket=served)
            off_the_browser_thread(services.ticket_finish, actor=teller, ticket=served)
        off_the_browser_thread(services.ticket_call_next, actor=teller, counter=counter)
    wait_for_js(lobby, f"document.getElementById('now-number').textContent === 'A{count:03d}'")


def test_a_screen_without_voices_plays_the_servers_recordings_one_after_another(
        require_service, chromium, asgi_server, branch, deposit, counter, teller):
    require_service("espeak")
    with time_machine.travel(OPEN_MORNING, tick=True):
        lobby, recordings = _screen_without_voices(chromium, asgi_server, branch, deposit, counter, teller)
        _call_in_turn(lobby, counter, teller, 2)
        wait_for_js(lobby, "(window.lobbyAnnouncements || []).length >= 4", timeout_ms=60_000)
        said = lobby.evaluate("window.lobbyAnnouncements")

    assert [(item["number"], item["lang"], item["via"]) for item in said] == [
        ("A001", "zh", "audio"), ("A001", "en", "audio"), ("A002", "zh", "audio"), ("A002", "en", "audio")]
    for earlier, later in zip(said, said[1:], strict=False):
        assert later["started"] >= earlier["ended"]  # never two at once
    for item in said:
        assert item["ended"] - item["started"] > 1500  # played through, not cut short
    assert sorted(recordings) == [("A001", "en.wav", 200), ("A001", "zh.wav", 200),
                                  ("A002", "en.wav", 200), ("A002", "zh.wav", 200)]


def test_without_espeak_ng_a_screen_without_voices_stays_visual_and_asks_once(
        require_service, chromium, asgi_server, branch, deposit, counter, teller, settings):
    settings.ESPEAK_BINARY = "/nonexistent/espeak-ng"
    with time_machine.travel(OPEN_MORNING, tick=True):
        lobby, recordings = _screen_without_voices(chromium, asgi_server, branch, deposit, counter, teller)
        _call_in_turn(lobby, counter, teller, 2)
        wait_for_js(lobby, "(window.lobbyAnnouncements || []).length >= 4")
        said = lobby.evaluate("window.lobbyAnnouncements")

    assert [(item["number"], item["lang"], item["via"]) for item in said] == [
        ("A001", "zh", "none"), ("A001", "en", "none"), ("A002", "zh", "none"), ("A002", "en", "none")]
    assert recordings == [("A001", "zh.wav", 503)]  # told once; no retry for the next calls
    assert lobby.locator("#now-counter").inner_text().startswith("01号窗口")


def _short_wav(seconds=0.3) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(22050)
        recording.writeframes(b"\0\0" * int(22050 * seconds))
    return buffer.getvalue()


def test_a_burst_of_calls_drops_the_oldest_waiting_announcements_but_never_the_latest(
        chromium, asgi_server, branch, deposit, counter, teller):
    held, short = [], _short_wav()

    def recording(route):
        # The first recording is held back until the burst is over; the others come at once.
        if not held:
            held.append(route)
        else:
            route.fulfill(status=200, content_type="audio/wav", body=short)

    with time_machine.travel(OPEN_MORNING, tick=True):
        lobby, _ = _screen_without_voices(chromium, asgi_server, branch, deposit, counter, teller,
                                          tickets=5, hold=recording)
        # A001 is being said while A002-A005 are called.
        _call_in_turn(lobby, counter, teller, 5, settle=False)
        assert len(held) == 1
        held[0].fulfill(status=200, content_type="audio/wav", body=short)
        wait_for_js(lobby, "(window.lobbyAnnouncements || []).length >= 7")
        said = lobby.evaluate("window.lobbyAnnouncements")

    assert [(item["number"], item["lang"]) for item in said] == [
        ("A001", "zh"), ("A003", "zh"), ("A003", "en"), ("A004", "zh"), ("A004", "en"),
        ("A005", "zh"), ("A005", "en")]
