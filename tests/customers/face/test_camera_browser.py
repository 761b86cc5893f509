"""Face pages in Chromium with a fake camera: a teller enrols from the counter webcam; the
entrance camera page's frame bursts end as a "VIP customer arrived" alert for the branch staff."""

import time

import cv2
import numpy as np
import pytest

from customers.face import engine
from customers.models import Consent, FaceEnrolment
from tests.browser import device_page, new_page
from tests.conftest import wait_for_js
from tests.customers.face.camera import camera_frame, head_turn, held_photo
from tests.customers.face.conftest import enrol
from tests.factories import make_device


def still_camera_video(path, name: str) -> None:
    """A one-second Y4M of the photo in front of a counter webcam."""
    yuv = cv2.cvtColor(np.ascontiguousarray(camera_frame(name)), cv2.COLOR_RGB2YUV_I420).tobytes()
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        video.write((b"FRAME\n" + yuv) * 10)


# The fake head's poses: (turn, nod), in steps of POSE_STEP of the face's width.
POSES = [(0, 0), (1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (-1, -1)]
POSE_STEP = 0.04


def fake_camera_video(path, name: str) -> None:
    """A Y4M loop (Chromium's fake capture format, 10 frames a second) of the photo moving a
    little sideways while the middle of the face turns and nods against its edges, as a head does
    (see camera.head_turn). No two frames of the loop are alike, and every two of them differ
    enough for the liveness check: whichever new frames a burst catches (fewer when the machine is
    busy), it sees a live face."""
    frame = camera_frame(name)
    (face,) = engine.detect_faces(frame)
    width, nose = face.box[2] - face.box[0], face.landmarks[4]

    def nod(image, amount):  # a head turn of the picture turned on its side
        sideways = np.ascontiguousarray(image.transpose(1, 0, 2))
        return np.ascontiguousarray(head_turn(sideways, nose[::-1], amount, 0.2 * width).transpose(1, 0, 2))

    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for step, (turn, down) in enumerate(POSES):
            moved = head_turn(held_photo(frame, shift=3 * step), nose, POSE_STEP * turn * width, 0.2 * width)
            posed = nod(moved, POSE_STEP * down * width)
            yuv = cv2.cvtColor(posed, cv2.COLOR_RGB2YUV_I420)
            video.write(b"FRAME\n" + yuv.tobytes())


@pytest.fixture
def filming(require_service, chromium_filming, tmp_path):
    """`filming(video_of, photo)`: Chromium whose fake camera plays `video_of(path, photo)`."""
    require_service("faces")

    def start(video_of, photo: str):
        video = tmp_path / f"{photo}.y4m"
        video_of(video, photo)
        return chromium_filming(video)

    return start


@pytest.mark.django_db(transaction=True)
def test_a_teller_enrols_a_customer_with_the_counter_webcam(filming, live_server, branch,
                                                            teller, vip):
    browser = filming(still_camera_video, "obama.jpg")
    page = new_page(browser, live_server.url, locale="en-US")
    page.set_default_timeout(90_000)  # the CI machine may be busy; nothing here waits on a clock
    page.goto(f"{live_server.url}/accounts/login/?next=/face/customers/{vip.pk}/")
    page.fill("input[name=username]", "teller")
    page.fill("input[name=password]", "pw")
    page.click("main button[type=submit]")
    page.check("input[name=consent_captured]")
    page.select_option("#face-source", "counter_webcam")
    wait_for_js(page, "document.getElementById('face-video').videoWidth > 0")
    page.click("#face-snap")
    wait_for_js(page, "document.getElementById('face-photos').files.length === 1")
    page.click("#face-enrol-form button[type=submit]")
    page.wait_for_selector(".messages")
    enrolment = FaceEnrolment.objects.get(customer=vip)
    assert enrolment.source == FaceEnrolment.Source.COUNTER_WEBCAM and enrolment.photo_count == 1
    assert Consent.objects.get(customer=vip).captured_by == teller


@pytest.mark.django_db(transaction=True)
def test_the_entrance_camera_page_turns_an_arriving_vip_into_a_staff_alert(
        filming, live_server, branch, vip, events):
    browser = filming(fake_camera_video, "obama2.jpg")
    enrol(vip, branch, "obama.jpg")
    _device, token = make_device(branch, "entrance_camera")
    page = device_page(browser, live_server.url, token, viewport={"width": 800, "height": 700})
    page.wait_for_selector("#face-video")
    # The server thread records the live events; the page keeps filming meanwhile (a burst goes
    # every 1.5 s and the first one with the face already shows it live).
    deadline = time.monotonic() + 30
    while not any(event == "alert" for _, event, _ in events):
        assert time.monotonic() < deadline, "no alert 30 s after the camera started"
        page.wait_for_timeout(100)
    alerts = [payload for _, event, payload in events if event == "alert"]
    assert alerts and alerts[0]["customer"]["masked_name"] == "王**"
    assert alerts[0]["title"] == "VIP customer arrived"
