"""A kiosk sends camera frames; recognised, live, consenting customers are announced."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from PIL import Image

from compliance.models import AuditEvent
from customers.face import hooks, services
from customers.face.hooks import Offer
from tests.customers.face.camera import jpeg
from tests.customers.face.conftest import enrol, live_burst, still_burst
from tests.factories import make_customer, make_device

pytestmark = pytest.mark.usefixtures("faces")


def send(client, token, burst, django_capture_on_commit_callbacks):
    files = [SimpleUploadedFile(f"f{i}.jpg", data, "image/jpeg") for i, data in enumerate(burst)]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("api-face-frames"), {"frames": files},
                           HTTP_AUTHORIZATION=f"Device {token}")


@pytest.fixture
def post(client, kiosk, django_capture_on_commit_callbacks):
    _, token = kiosk
    return lambda burst: send(client, token, burst, django_capture_on_commit_callbacks)


def alerts(events):
    return [payload for group, event, payload in events if event == "alert"]


def greetings(events):
    return [payload for group, event, payload in events if event == "face.greeting"]


def test_enrolled_vip_at_the_kiosk_alerts_staff_and_is_greeted(post, events, frames_of, branch,
                                                               kiosk, vip):
    enrol(vip, branch, "obama.jpg")
    response = post(live_burst(frames_of, "obama2.jpg"))
    assert response.status_code == 202
    [(group, _, alert)] = [e for e in events if e[1] == "alert"]
    assert group == f"staff.{branch.code}"
    assert alert["title"] == "VIP customer arrived"
    assert alert["customer"]["masked_name"] == "王**" and alert["customer"]["vip_tier"] == 1
    assert alert["suggested_action"]
    # What the lobby manager's dashboard shows, in both languages; never the full name.
    assert alert["text"]["en"].startswith("VIP customer arrived: 王** · Gold · ")
    assert set(alert["text"]) == {"zh-hans", "en"} and "建国" not in str(alert)
    [(group, _, greeting)] = [e for e in events if e[1] == "face.greeting"]
    assert group == f"device.{kiosk[0].pk}"
    assert greeting["greeting"] == "Welcome, Mr 王" and "建国" not in str(greeting)


def test_the_alert_and_the_audit_carry_no_biometric_data(post, events, frames_of, branch, vip):
    enrolment = enrol(vip, branch, "obama.jpg")
    post(live_burst(frames_of, "obama2.jpg"))
    arrival = AuditEvent.objects.get(action="face.arrival")
    assert arrival.customer_id == vip.pk
    for record in [*AuditEvent.objects.filter(action__startswith="face."), *events]:
        assert "encoding" not in str(record) and enrolment.encodings[:16].hex() not in str(record)


def test_someone_who_is_not_enrolled_is_not_announced(post, events, frames_of, branch, vip):
    enrol(vip, branch, "obama.jpg")
    assert post(live_burst(frames_of, "biden2.jpg")).status_code == 202
    assert events == []


def test_a_photo_held_up_to_the_camera_is_not_announced(post, events, frames_of, branch, vip):
    enrol(vip, branch, "obama.jpg")
    assert post(still_burst(frames_of, "obama2.jpg")).status_code == 202
    assert events == []


def test_frames_without_a_face_announce_nobody(post, events, branch, vip):
    enrol(vip, branch, "obama.jpg")
    blank = io.BytesIO()
    Image.effect_noise((640, 480), 40).convert("RGB").save(blank, "JPEG")
    assert post([blank.getvalue()] * 3).status_code == 202
    assert events == []


def test_a_customer_enrolled_at_another_branch_is_not_recognised_here(post, events, frames_of,
                                                                      other_branch, vip):
    enrol(vip, other_branch, "obama.jpg")
    post(live_burst(frames_of, "obama2.jpg"))
    assert events == []


def test_staff_are_alerted_once_while_the_customer_stays(post, events, frames_of, branch, vip):
    enrol(vip, branch, "obama.jpg")
    post(live_burst(frames_of, "obama2.jpg"))
    cache.delete(f"face:seen:device:{1}:{vip.pk}")
    post(live_burst(frames_of, "obama2.jpg"))
    assert len(alerts(events)) == 1


def test_a_customer_who_is_not_vip_and_has_no_appointment_is_greeted_without_alert(
        post, events, frames_of, branch):
    regular = make_customer(branch=branch, name="李娜", preferred_language="en")
    enrol(regular, branch, "biden.jpg")
    post(live_burst(frames_of, "biden2.jpg"))
    assert alerts(events) == [] and len(greetings(events)) == 1


def test_withdrawal_stops_matching_at_once(client, post, events, frames_of, branch, vip, teller):
    enrol(vip, branch, "obama.jpg")
    post(live_burst(frames_of, "obama2.jpg"))  # the worker now has the gallery cached
    assert len(alerts(events)) == 1
    client.force_login(teller)
    response = client.post(reverse("api-face-withdraw", args=[vip.pk]))
    assert response.status_code == 200 and response.json() == {"erased": 1}
    cache.clear()  # no cooldown left: only the withdrawal can keep the customer unannounced
    events.clear()
    post(live_burst(frames_of, "obama2.jpg"))
    assert events == []


@pytest.fixture
def appointment_action():
    performed = []
    hooks.register_arrival_action(
        key="test.check_in",
        offer=lambda arrival: Offer(label=_("Check in"), detail="10:30 Wealth management",
                                    is_appointment=True, staff_hint="Meet in zone W"),
        perform=lambda arrival: performed.append(arrival.customer.pk) or {"message": "Ticket W001"},
    )
    yield performed
    hooks.unregister_arrival_action("test.check_in")


def test_an_appointment_customer_checks_in_with_one_tap(client, post, events, frames_of, branch,
                                                        kiosk, vip, appointment_action):
    enrol(vip, branch, "obama.jpg")
    post(live_burst(frames_of, "obama2.jpg"))
    [alert] = alerts(events)
    assert alert["title"] == "Appointment customer arrived"
    assert alert["appointment"] == "10:30 Wealth management"
    assert alert["suggested_action"] == "Meet in zone W"
    [greeting] = greetings(events)
    assert greeting["offers"] == [{"action": "test.check_in", "label": "Check in",
                                   "detail": "10:30 Wealth management"}]
    url = reverse("api-face-arrival-action", args=[greeting["arrival"], "test.check_in"])
    auth = {"HTTP_AUTHORIZATION": f"Device {kiosk[1]}"}
    response = client.post(url, **auth)
    assert response.status_code == 200 and response.json() == {"message": "Ticket W001"}
    assert appointment_action == [vip.pk]
    assert client.post(url, **auth).status_code == 400  # one tap, once
    assert appointment_action == [vip.pk]


def test_another_device_cannot_use_the_greeting(client, post, events, frames_of, branch, vip,
                                                appointment_action):
    enrol(vip, branch, "obama.jpg")
    post(live_burst(frames_of, "obama2.jpg"))
    [greeting] = greetings(events)
    _, other_token = make_device(branch, "kiosk")
    response = client.post(reverse("api-face-arrival-action",
                                   args=[greeting["arrival"], "test.check_in"]),
                           HTTP_AUTHORIZATION=f"Device {other_token}")
    assert response.status_code == 400 and appointment_action == []


def test_frames_wait_only_under_a_key_the_task_deletes(kiosk, monkeypatch, frames_of,
                                                       django_capture_on_commit_callbacks):
    from customers.face import tasks

    queued = []
    monkeypatch.setattr(tasks.face_identify_burst, "apply_async",
                        lambda args, **options: queued.append((args, options)))
    with django_capture_on_commit_callbacks(execute=True):
        key = services.face_frames_submit(device=kiosk[0],
                                          frames_data=live_burst(frames_of, "obama2.jpg"))
    [(args, options)] = queued
    assert args == (key, kiosk[0].pk)  # the message holds a key and an id, never an image
    assert options["expires"] == services.FRAME_TTL_SECONDS
    assert len(cache.get(key)) == 3
    tasks.face_identify_burst(*args)
    assert cache.get(key) is None


@pytest.mark.parametrize(("burst", "reason"), [
    ([b"not an image at all"] * 3, "Only JPEG and PNG"),
    ([b"\xff\xd8\xff\xe0" + b"\0" * 100] * 3, "damaged"),
    ([b"\xff\xd8\xff" + b"\0" * (3 * 1024 * 1024)] * 2, "too large"),
])
def test_bad_frames_get_a_clear_400(post, events, burst, reason):
    response = post(burst)
    assert response.status_code == 400
    assert reason in str(response.json()["errors"]["frames"])
    assert events == []


def test_a_single_frame_is_not_enough(post):
    frame = io.BytesIO()
    Image.new("RGB", (640, 480)).save(frame, "JPEG")
    response = post([frame.getvalue()])
    assert response.status_code == 400 and "frames" in response.json()["errors"]


def test_frames_need_a_device(client, teller, frames_of):
    files = [SimpleUploadedFile("f.jpg", jpeg(frames_of("obama2.jpg")[0]), "image/jpeg")] * 2
    assert client.post(reverse("api-face-frames"), {"frames": files}).status_code in (401, 403)
    client.force_login(teller)
    assert client.post(reverse("api-face-frames"), {"frames": files}).status_code in (401, 403)


def test_a_device_sending_too_fast_is_slowed_down(post, monkeypatch):
    from customers.face.api import DeviceFramesThrottle

    monkeypatch.setattr(DeviceFramesThrottle, "rate", "2/min")
    assert [post([b"x", b"y"]).status_code for _ in range(3)] == [400, 400, 429]
