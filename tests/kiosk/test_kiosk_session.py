"""A customer's kiosk session: start, modes, and the idle timeout that forgets them."""

from compliance.models import AuditEvent
from kiosk.access import SESSION_KEY
from kiosk.models import EndReason, KioskSession
from tests.kiosk.conftest import start


def test_kiosk_page_needs_a_signed_in_kiosk(client, kiosk):
    assert client.get("/kiosk/").status_code == 302
    page = kiosk.get("/kiosk/")
    assert page.status_code == 200
    assert b'data-screen="attract"' in page.content


def test_the_attract_screen_greets_in_chinese_then_english_whatever_the_language(kiosk):
    for language in ("zh-hans", "en"):
        kiosk.cookies["django_language"] = language
        page = kiosk.get("/kiosk/").content.decode()
        assert ">欢迎光临</span> · <span lang=\"en\">Welcome<" in page
        assert ">请触摸屏幕开始</span> · <span lang=\"en\">Touch the screen to start<" in page


def test_device_home_sends_a_kiosk_to_its_start_page(kiosk):
    assert kiosk.get("/device/")["Location"] == "/kiosk/"


def test_device_home_sends_a_vtm_to_the_vtm_page(vtm):
    assert vtm.get("/device/")["Location"] == "/kiosk/vtm/"


def test_the_kiosk_page_has_no_inline_script(kiosk):
    html = kiosk.get("/kiosk/").content.decode()
    for chunk in html.split("<script")[1:]:
        assert ' src="' in chunk.split(">")[0] or 'type="application/json"' in chunk.split(">")[0]


def test_choosing_a_language_starts_a_session_and_sets_the_language(kiosk, kiosk_device):
    response = kiosk.post("/api/kiosk/session/", {"language": "en"}, content_type="application/json")
    assert response.status_code == 201
    assert response.cookies["django_language"].value == "en"
    session = KioskSession.objects.get(device=kiosk_device[0])
    assert session.language == "en" and session.ended_at is None
    assert "Take a ticket" in kiosk.get("/kiosk/").content.decode()


def test_an_unknown_language_is_refused(kiosk):
    response = kiosk.post("/api/kiosk/session/", {"language": "fr"}, content_type="application/json")
    assert response.status_code == 400
    assert "language" in response.json()["errors"]
    assert not KioskSession.objects.exists()


def test_elderly_mode_is_remembered_for_the_session(kiosk):
    start(kiosk)
    response = kiosk.post("/api/kiosk/session/settings/", {"elderly_mode": True},
                          content_type="application/json")
    assert response.json()["elderly_mode"] is True
    assert 'class="kiosk elderly' in kiosk.get("/kiosk/").content.decode()


def test_idle_timeout_ends_the_session_and_clears_the_browser_session(kiosk):
    start(kiosk)
    kiosk.post("/api/kiosk/forms/", {}, content_type="application/json")
    assert SESSION_KEY in kiosk.session
    response = kiosk.post("/api/kiosk/session/end/", {"reason": "idle"}, content_type="application/json")
    assert response.status_code == 204
    session = KioskSession.objects.get()
    assert session.end_reason == EndReason.IDLE and session.ended_at is not None
    assert SESSION_KEY not in kiosk.session and "kiosk.form" not in kiosk.session
    assert kiosk.session.get("device_id")  # the device itself stays signed in
    assert AuditEvent.objects.filter(action="kiosk.session_end").exists()


def test_after_the_idle_timeout_the_customers_operations_are_refused(kiosk, deposit, clock):
    start(kiosk)
    kiosk.post("/api/kiosk/session/end/", {"reason": "idle"}, content_type="application/json")
    response = kiosk.post("/api/kiosk/tickets/", {"service_type": deposit.code},
                          content_type="application/json")
    assert response.status_code == 404


def test_a_new_customer_ends_the_previous_session(kiosk):
    start(kiosk)
    start(kiosk)
    assert KioskSession.objects.filter(ended_at__isnull=True).count() == 1
    assert KioskSession.objects.filter(end_reason=EndReason.FINISHED).count() == 1
