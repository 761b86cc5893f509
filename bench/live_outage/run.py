"""How fast a live screen's server notices a Redis outage, and its end: the channel layer watch
(`core.heartbeat.LayerWatch`) on a Redis of the bench's own, stopped and started N times.

The goal (issue 18): every live screen shows "reconnecting" within 5 s of the outage. The browser
hears the verdict at once (it is pushed), so `lost_seconds` here is that time less a network hop.
Prints JSON.

Usage:
    .venv/bin/python bench/live_outage/run.py [--rounds 5] [--outage 3]
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


async def measure(rounds: int, outage: float) -> dict:
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from core import heartbeat
    from tests.own_redis import OwnRedis

    redis = OwnRedis(Path(tempfile.mkdtemp(prefix="live-outage-")))
    redis.start()
    layer = RedisPubSubChannelLayer(hosts=[redis.url], prefix="bench")
    watch = heartbeat.layer_watch(layer)
    watch.join("bench")
    lost, back = [], []
    try:
        await _until(lambda: time.monotonic() - watch.last_echo < heartbeat.PING_SECONDS, watch)
        for _ in range(rounds):
            stopped = time.monotonic()
            redis.stop()
            await _until(lambda: not watch.alive, watch)
            lost.append(time.monotonic() - stopped)
            await asyncio.sleep(outage)  # the outage itself
            started = time.monotonic()
            redis.start()
            await _until(lambda: watch.alive, watch)
            back.append(time.monotonic() - started)
    finally:
        watch.leave("bench")
        redis.stop()
    return {
        "rounds": rounds, "outage_seconds": outage,
        "ping_seconds": heartbeat.PING_SECONDS, "lost_after_seconds": heartbeat.LOST_AFTER_SECONDS,
        "lost_seconds": _summary(lost), "back_seconds": _summary(back),
        "goal": "lost_seconds max < 5",
    }


async def _until(condition, watch, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the watch never reached the expected state")
        await watch.changed(0.05)


def _summary(values: list[float]) -> dict:
    return {"p50": round(statistics.median(values), 2), "max": round(max(values), 2),
            "all": [round(v, 2) for v in values]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--outage", type=float, default=3.0)
    args = parser.parse_args()
    from django.conf import settings

    settings.configure(USE_TZ=True)  # the watch stamps when an outage began
    print(json.dumps(asyncio.run(measure(args.rounds, args.outage)), indent=2))


if __name__ == "__main__":
    main()
