"""Sensors publishing to a real MQTT broker: the machine's (MQTT_URL) under a topic prefix of the
test's own, or a Mosquitto the test starts on a spare port and may stop and start again."""

import json
import shutil
import socket
import subprocess
import time
import uuid

import paho.mqtt.client as mqtt
import pytest

from environment.ingest import SensorIngest
from environment.kinds import SPECS
from environment.services import sensor_register


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Publisher:
    """A sensor's side of the broker: publishes readings and waits until the broker has them."""

    def __init__(self, url: str, prefix: str):
        from environment.conf import broker_address

        self.prefix = prefix
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                                  client_id=f"test-pub-{uuid.uuid4().hex[:8]}")
        host, port = broker_address(url)
        self.client.connect(host, port)
        self.client.loop_start()

    def raw(self, topic: str, payload: bytes | str) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(timeout=10)

    def reading(self, sensor, value, *, unit: str | None = None) -> None:
        body = {"value": value, "unit": unit if unit is not None else SPECS[sensor.kind].unit}
        self.raw(f"{self.prefix}/{sensor.branch.code}/{sensor.key}", json.dumps(body))

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


class OwnBroker:
    """Mosquitto in the foreground on a spare port of 127.0.0.1: stop() and start() again."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen([shutil.which("mosquitto"), "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                try:
                    self.process.wait(timeout=0.05)  # doubles as the pause between tries
                except subprocess.TimeoutExpired:
                    continue
                raise RuntimeError("mosquitto exited at start") from None
        raise RuntimeError("mosquitto did not start listening")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The dashboard's recent alerts live in the cache (Redis on the production profile).
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def prefix():
    return f"test-{uuid.uuid4().hex[:10]}/env"


@pytest.fixture
def mqtt_url(require_service, settings):
    require_service("mqtt")
    return settings.MQTT_URL


@pytest.fixture
def own_broker(require_service):
    require_service("mosquitto")
    broker = OwnBroker()
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def start_ingest():
    """Start a SensorIngest on a broker; flushed by the test (in its own thread and transaction)."""
    started = []

    def start(url: str, prefix: str, **options) -> SensorIngest:
        options.setdefault("min_interval", 0)
        ingest = SensorIngest(url=url, prefix=prefix, flush_seconds=None, **options)
        ingest.start()
        started.append(ingest)
        assert ingest.wait(lambda i: i.stats.connects >= 1), "the ingest never connected"
        return ingest

    yield start
    for ingest in started:
        ingest.stop()


@pytest.fixture
def publisher():
    made = []

    def make(url: str, prefix: str) -> Publisher:
        made.append(Publisher(url, prefix))
        return made[-1]

    yield make
    for item in made:
        item.close()


@pytest.fixture
def lobby_sensors(branch):
    return {kind: sensor_register(actor=None, branch=branch, key=f"lobby-{kind}", kind=kind, location="大堂")
            for kind in ("temperature", "humidity", "co2")}
