"""A Redis server of the test's own, on a free port, that the test stops and starts again — never
the machine's shared one (tests/reliability/test_faults.py, tests/queueing/test_browser_redis_outage.py)."""

import socket
import subprocess
import time

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    def __init__(self, tmp_path):
        self.port = _free_port()
        self.dir = tmp_path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--dir", str(self.dir), "--daemonize", "yes"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG":
                return
            time.sleep(0.1)  # start-up of the server, not test timing
        raise AssertionError("own redis-server did not start")

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)


@pytest.fixture
def own_redis(require_service, tmp_path, settings):
    """The production pieces on a Redis of the test's own: cache and channel layer (skips where
    redis-server is absent; fails where CI requires Redis)."""
    require_service("redis-server")
    redis = OwnRedis(tmp_path)
    redis.start()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis.url, "KEY_PREFIX": "fault"}}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                           "CONFIG": {"hosts": [redis.url], "prefix": "fault"}}}
    yield redis
    redis.stop()
