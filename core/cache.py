"""The Redis cache with one connection pool per process.

Django keeps a cache object per async context, each with its own connection pool, so under ASGI
every request and every websocket opened a new Redis connection (bench/live_latency showed the
connects on a call's path). Pools are thread-safe and fork-aware; one per server is enough."""

import logging
import secrets
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from redis import RedisError

T = TypeVar("T")
_pools: dict[tuple, object] = {}
_pools_lock = threading.Lock()
logger = logging.getLogger(__name__)


class SharedPoolClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], self._pool_class, repr(sorted(self._pool_options.items())))
        with _pools_lock:
            pool = _pools.get(key)
            if pool is None:
                pool = _pools[key] = self._pool_class.from_url(self._servers[index],
                                                               **self._pool_options)
        return pool


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolClient


# --- configuration behind a version key ------------------------------------------------------
# A process keeps what it built from slowly changing rows (a branch's counters, zones, hours;
# the service catalogue) in memory, under the version token the shared cache holds for them.
# Every write to those rows replaces the token (now, and again when its transaction commits, so a
# process that rebuilt between the write and the commit rebuilds once more); a request pays one
# cache round trip to learn the tokens instead of the queries. Tokens are random, never counters:
# a test database rolled back to an earlier state can never meet a token built from a later one.

_VERSION_KEY = "config-version:{}"
# The tokens already read in this request (set by core.middleware.RequestIdMiddleware): a request
# asks the cache once, however many reads of the configuration it makes. None outside requests.
_request_versions: ContextVar[dict[str, str] | None] = ContextVar("config_versions", default=None)


def begin_request_memo():
    return _request_versions.set({})


def end_request_memo(token) -> None:
    _request_versions.reset(token)


def config_versions(*scopes: str) -> tuple[str, ...] | None:
    """The current token of each scope (one cache round trip); None when the cache is down, so
    the caller builds from the database."""
    memo = _request_versions.get()
    if memo is not None and all(scope in memo for scope in scopes):
        return tuple(memo[scope] for scope in scopes)
    keys = [_VERSION_KEY.format(scope) for scope in scopes]
    try:
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                cache.add(key, secrets.token_hex(8), timeout=None)
                found[key] = cache.get(key)
    except (RedisError, OSError):
        logger.warning("configuration versions unavailable; reading the database", exc_info=True)
        return None
    if any(found.get(key) is None for key in keys):
        return None
    if memo is not None:
        memo.update(zip(scopes, (found[key] for key in keys), strict=True))
    return tuple(found[key] for key in keys)


def config_bump(*scopes: str) -> None:
    """A write changed the configuration of these scopes: new tokens now and after commit."""

    def bump() -> None:
        try:
            cache.set_many({_VERSION_KEY.format(scope): secrets.token_hex(8) for scope in scopes},
                           timeout=None)
        except (RedisError, OSError):
            logger.warning("configuration version not bumped: %s", scopes, exc_info=True)

    memo = _request_versions.get()
    if memo is not None:
        memo.clear()
    bump()
    transaction.on_commit(bump, robust=True)


# --- this process's copies, each under the tokens it was built at ------------------------------

_memo: dict[str, tuple[tuple[str, ...], float, object]] = {}
_memo_lock = threading.Lock()


def remembered(key: str, versions: tuple[str, ...] | None, build: Callable[[], T], *,
               ttl: float) -> T:
    """`build()`'s value as of `versions` (from `config_versions`): built again when a token
    changed, when the copy is older than `ttl` seconds, or every time when the tokens are
    unknown (None: the cache is down). A None value is never kept, so unknown keys (a guessed
    device token) cost the database, as before, and no memory."""
    if versions is not None:
        with _memo_lock:
            found = _memo.get(key)
        if found is not None and found[0] == versions and time.monotonic() - found[1] < ttl:
            return found[2]  # type: ignore[return-value]
    value = build()
    if versions is not None and value is not None:
        with _memo_lock:
            _memo[key] = (versions, time.monotonic(), value)
    return value


def forget_remembered() -> None:
    """Drop this process's copies (tests that change rows behind the versions' back)."""
    with _memo_lock:
        _memo.clear()
