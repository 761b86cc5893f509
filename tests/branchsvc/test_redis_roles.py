"""Broker, channel layer and cache can live on separate Redis servers, and two deployments that
share one Redis never hear each other's calls."""

import asyncio
import json
import os
import subprocess
import sys

import pytest
import redis.asyncio
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings

from core.env import deployment_id

_SHOW = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
         "'broker': s.CELERY_BROKER_URL, 'cache': s.CACHES['default'].get('LOCATION'),"
         "'channels': s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0],"
         "'prefix': s.CHANNEL_LAYERS['default']['CONFIG']['prefix']}))")


def _settings_with(env: dict) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CACHE_REDIS_URL", "CHANNEL_REDIS_URL",
        "CHANNEL_PREFIX"}}
    result = subprocess.run(
        [sys.executable, "-c", _SHOW],
        env={**clean, "DJANGO_SETTINGS_MODULE": "branchsvc.settings", "DEBUG": "true", **env},
        capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_role_uses_redis_url_unless_given_its_own():
    shown = _settings_with({"REDIS_URL": "redis://shared:6379/0"})
    assert shown["broker"] == shown["cache"] == shown["channels"] == "redis://shared:6379/0"


def test_broker_channel_layer_and_cache_can_each_have_a_server():
    shown = _settings_with({"REDIS_URL": "redis://shared:6379/0",
                            "CELERY_BROKER_URL": "redis://broker:6379/0",
                            "CHANNEL_REDIS_URL": "redis://live:6379/0",
                            "CACHE_REDIS_URL": "redis://cache:6379/1"})
    assert shown == {"broker": "redis://broker:6379/0", "cache": "redis://cache:6379/1",
                     "channels": "redis://live:6379/0", "prefix": "branchsvc"}


def test_the_channel_prefix_names_the_deployment_by_its_database():
    north = _settings_with({"REDIS_URL": "redis://shared:6379/0", "DEBUG": "true",
                            "DATABASE_URL": "postgres://app:one@db:5432/north"})
    north_again = _settings_with({"REDIS_URL": "redis://shared:6379/0",
                                  "DATABASE_URL": "postgres://app:rotated@db:5432/north"})
    south = _settings_with({"REDIS_URL": "redis://shared:6379/0",
                            "DATABASE_URL": "postgres://app:one@db:5432/south"})
    assert north["prefix"] == north_again["prefix"] != south["prefix"]
    assert "one" not in north["prefix"]
    assert _settings_with({"REDIS_URL": "redis://shared:6379/0", "CHANNEL_PREFIX": "bank-a"}
                          )["prefix"] == "bank-a"


def test_a_misspelt_broker_url_stops_start_up():
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _settings_with({"CELERY_BROKER_URL": "amqp://broker"})
    assert "CELERY_BROKER_URL must start with redis://" in failed.value.stderr


async def _until_subscribed(names: list[str]) -> None:
    """Subscribing returns before Redis has processed it: wait until Redis counts the listeners."""
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    try:
        async with asyncio.timeout(5):
            while not all(count for _name, count in await client.pubsub_numsub(*names)):
                await asyncio.sleep(0)
    finally:
        await client.aclose()


async def _hears_only_its_own(north: RedisPubSubChannelLayer, south: RedisPubSubChannelLayer) -> dict:
    group = "branch-1-lobby"
    north_channel, south_channel = await north.new_channel(), await south.new_channel()
    await north.group_add(group, north_channel)
    await south.group_add(group, south_channel)
    north_heard = asyncio.ensure_future(north.receive(north_channel))
    south_heard = asyncio.ensure_future(south.receive(south_channel))
    await _until_subscribed([layer._get_group_channel_name(group) for layer in (north, south)])
    await north.group_send(group, {"type": "ticket.called", "number": "A001"})
    first_north = await asyncio.wait_for(north_heard, 5)
    # Redis delivers in publish order: had the north call leaked, south would hear it first.
    await south.group_send(group, {"type": "ticket.called", "number": "S001"})
    first_south = await asyncio.wait_for(south_heard, 5)
    return {"north": first_north["number"], "south": first_south["number"]}


def test_two_deployments_on_one_redis_do_not_hear_each_others_calls(require_service):
    require_service("redis")
    prefixes = [f"branchsvc-{deployment_id(url)}" for url in
                ("postgres://db:5432/north", "postgres://db:5432/south")]
    # Different database numbers on purpose: pub/sub ignores them, only the prefix separates.
    base = settings.REDIS_URL.rsplit("/", 1)[0]
    north = RedisPubSubChannelLayer(hosts=[f"{base}/8"], prefix=prefixes[0])
    south = RedisPubSubChannelLayer(hosts=[f"{base}/9"], prefix=prefixes[1])

    async def scenario():
        try:
            return await _hears_only_its_own(north, south)
        finally:
            await north.flush()
            await south.flush()

    assert asyncio.run(scenario()) == {"north": "A001", "south": "S001"}
