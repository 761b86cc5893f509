"""The worker side: models load without face_recognition, a broken install stops the worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from core.live import groups
from customers.face import engine, tasks
from customers.face.consumers import FaceDeviceConsumer

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable


def run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def test_models_load_without_face_recognition_or_pkg_resources():
    # As with setuptools >= 82, where pkg_resources is gone and face_recognition would quit(0).
    result = run("import sys; sys.modules['pkg_resources'] = None\n"
                 "from customers.face import engine\n"
                 "engine.check_face_models()\n"
                 "print('face_recognition' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_start_up_check_stops_a_worker_without_models(monkeypatch, tmp_path):
    monkeypatch.setenv("FACE_MODELS_DIR", str(tmp_path))
    monkeypatch.setattr(engine, "_models", None)
    with pytest.raises(SystemExit, match="Face models unavailable"):
        tasks.check_models_on_worker_start()


def test_a_real_worker_without_models_exits_with_an_error(tmp_path):
    result = subprocess.run(
        [PYTHON, "-m", "celery", "-A", "branchsvc", "worker", "-I", "customers.face.tasks",
         "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "FACE_MODELS_DIR": str(tmp_path), "DATABASE_URL": "", "REDIS_URL": ""})
    assert result.returncode != 0
    assert "Face models unavailable" in result.stdout + result.stderr


def test_the_device_page_receives_its_greeting(kiosk):
    device, _ = kiosk

    async def scenario():
        communicator = WebsocketCommunicator(FaceDeviceConsumer.as_asgi(), "/ws/face/device/")
        communicator.scope["device"] = device
        connected, _ = await communicator.connect()
        assert connected
        layer = get_channel_layer()
        await layer.group_send(groups.device(device.pk), {
            "type": "live.event", "event": "face.greeting", "payload": {"greeting": "Welcome"}})
        message = await communicator.receive_json_from()
        await communicator.disconnect()
        return message

    assert async_to_sync(scenario)() == {"event": "face.greeting",
                                         "payload": {"greeting": "Welcome"}}


def test_a_browser_that_is_no_device_is_turned_away():
    async def scenario():
        communicator = WebsocketCommunicator(FaceDeviceConsumer.as_asgi(), "/ws/face/device/")
        communicator.scope["device"] = None
        connected, code = await communicator.connect()
        return connected, code

    assert async_to_sync(scenario)() == (False, 4403)
