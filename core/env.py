"""Typed readers for environment variables that fail loudly on bad values."""

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0, yes/no), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def database_from_url(url: str, *, pool: dict | None = None) -> dict:
    """Django DATABASES entry for postgres://user:password@host:port/name?option=value, with
    psycopg's connection pool when `pool` gives its options."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or postgresql://, got {parsed.scheme!r}"
        )
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. postgres://host/branchsvc")
    try:
        port = parsed.port
    except ValueError:
        raise ImproperlyConfigured("DATABASE_URL has an invalid port") from None
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    if pool is not None:
        options["pool"] = pool
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 0,
        # With the pool: a connection the server dropped (restart, failover) is replaced, not
        # handed out to a request.
        "CONN_HEALTH_CHECKS": pool is not None,
    }


def redis_url(url: str, name: str = "REDIS_URL") -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must start with redis://, got {url!r}")
    return url


def env_redis_url(name: str, default: str) -> str:
    """A Redis URL from `name`, else `default` (REDIS_URL): broker, channel layer and cache may
    each get a server of their own."""
    raw = env_str(name)
    return redis_url(raw, name) if raw else default


def deployment_id(database_url: str) -> str:
    """A short stable name of this deployment: its database's host, port and name (never the
    password). Replicas of one deployment agree on it; two deployments never share a database."""
    import hashlib

    parsed = urlparse(database_url)
    identity = f"{parsed.hostname}:{parsed.port or 5432}/{parsed.path.lstrip('/')}"
    return hashlib.sha256(identity.encode()).hexdigest()[:10]


def env_json(name: str, default):
    import json

    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} must be JSON: {error}") from None
