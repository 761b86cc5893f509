"""The entrance camera page in Chromium, with a fake camera that films a (turning) face, sends
frame bursts that end as a "VIP customer arrived" alert for the branch staff."""

import os

import cv2
import numpy as np
import pytest

from customers.face import engine
from tests.customers.face.camera import camera_frame, head_turn, held_photo
from tests.customers.face.conftest import enrol
from tests.factories import make_device


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


@pytest.fixture
def browser(require_service, tmp_path):
    require_service("chromium")
    require_service("faces")
    from playwright.sync_api import sync_playwright

    video = tmp_path / "camera.y4m"
    fake_camera_video(video, "obama2.jpg")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.django_db(transaction=True)
def test_the_entrance_camera_page_turns_an_arriving_vip_into_a_staff_alert(
        browser, live_server, branch, vip, events):
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
