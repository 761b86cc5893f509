"""Face pages in Chromium with a fake camera: a teller enrols from the counter webcam; the
entrance camera page's frame bursts end as a "VIP customer arrived" alert for the branch staff."""

import os

import cv2
import numpy as np
import pytest

from customers.face import engine
from customers.models import Consent, FaceEnrolment
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


def fake_camera_video(path, name: str) -> None:
    """A Y4M loop (Chromium's fake capture format) of the photo stepping sideways, its middle
    shifting against its edges like a head that turns (see camera.head_turn)."""
    frame = camera_frame(name)
    (face,) = engine.detect_faces(frame)
    width, nose = face.box[2] - face.box[0], face.landmarks[4]
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for step in range(6):
            moved = head_turn(held_photo(frame, shift=8 * (step % 3)), nose,
                              0.03 * (step % 3) * width, 0.2 * width)
            yuv = cv2.cvtColor(np.ascontiguousarray(moved), cv2.COLOR_RGB2YUV_I420)
            video.write(b"FRAME\n" + yuv.tobytes())


def launch(playwright, video):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
        "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])


@pytest.fixture
def playwright(require_service):
    require_service("chromium")
    require_service("faces")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        yield playwright
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def chromium_filming(playwright, tmp_path):
    """Chromium whose fake camera plays `video_of(path, photo)`."""
    browsers = []

    def start(video_of, photo: str):
        video = tmp_path / f"{photo}.y4m"
        video_of(video, photo)
        browsers.append(launch(playwright, video))
        return browsers[-1]

    yield start
    for browser in browsers:
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_a_teller_enrols_a_customer_with_the_counter_webcam(chromium_filming, live_server, branch,
                                                            teller, vip):
    browser = chromium_filming(still_camera_video, "obama.jpg")
    page = browser.new_context(locale="en-US").new_page()
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
        chromium_filming, live_server, branch, vip, events):
    browser = chromium_filming(fake_camera_video, "obama2.jpg")
    enrol(vip, branch, "obama.jpg")
    _device, token = make_device(branch, "entrance_camera")
    page = browser.new_context(viewport={"width": 800, "height": 700}).new_page()
    page.goto(f"{live_server.url}/device/login/")
    page.fill("input[name=token]", token)
    page.click("main button[type=submit]")
    page.wait_for_selector("#face-video")
    for _ in range(60):  # up to 30 s on a busy machine; a burst goes every 1.5 s
        if any(event == "alert" for _, event, _ in events):
            break
        page.wait_for_timeout(500)
    alerts = [payload for _, event, payload in events if event == "alert"]
    assert alerts and alerts[0]["customer"]["masked_name"] == "王**"
    assert alerts[0]["title"] == "VIP customer arrived"
