import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import database_from_url, env_bool, env_int, env_list, redis_url


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean"):
        env_bool("FLAG")


def test_env_int_rejects_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="N must be an integer"):
        env_int("N", 1)
    monkeypatch.setenv("N", "-5")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("N", 1, minimum=0)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "bank.example, lobby.bank.example,")
    assert env_list("HOSTS", []) == ["bank.example", "lobby.bank.example"]


def test_database_url_is_parsed_into_django_settings():
    db = database_from_url("postgres://app:s%40cret@db.internal:6432/branchsvc?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app", "s@cret", "db.internal", "6432", "branchsvc")
    assert db["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://db/branchsvc", "postgres://db", "postgres://db:port/x"])
def test_bad_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)


def test_redis_url_must_be_redis():
    with pytest.raises(ImproperlyConfigured):
        redis_url("http://cache:6379")


def _import_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "branchsvc.settings", **env},
        capture_output=True, text=True, timeout=60)


def test_production_profile_refuses_to_start_without_a_secret_key():
    result = _import_settings({"DATABASE_URL": "postgres://127.0.0.1/branchsvc"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_profile_refuses_to_start_without_a_field_encryption_key():
    result = _import_settings({"DATABASE_URL": "postgres://127.0.0.1/branchsvc",
                               "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be set" in result.stderr


def test_a_misspelt_debug_flag_stops_start_up():
    result = _import_settings({"DEBUG": "ture"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def _setting(env: dict, name: str) -> str:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DEBUG",
                          "SECURE_HSTS_SECONDS"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; "
                               f"print(settings.{name})"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "branchsvc.settings", **env},
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_is_on_by_default_in_the_production_profile():
    production = {"DATABASE_URL": "postgres://127.0.0.1/branchsvc", "SECRET_KEY": "x" * 50,
                  "FIELD_ENCRYPTION_KEY": "ZW1iZWRkZWQtcHJvZmlsZS1vbmx5LWtleS0wMDAwMDA="}
    assert int(_setting(production, "SECURE_HSTS_SECONDS")) >= 180 * 24 * 3600
    assert _setting({}, "SECURE_HSTS_SECONDS") == "0"


def test_embedded_profile_starts_with_no_settings_at_all():
    assert _import_settings({}).returncode == 0


def test_json_settings_must_be_json(monkeypatch):
    from core.env import env_json

    monkeypatch.setenv("ICE", '[{"urls": "stun:stun.bank.lan:3478"}]')
    assert env_json("ICE", []) == [{"urls": "stun:stun.bank.lan:3478"}]
    monkeypatch.setenv("ICE", "stun:oops")
    with pytest.raises(ImproperlyConfigured, match="ICE must be JSON"):
        env_json("ICE", [])


def test_migrate_connects_as_the_owner_role_and_everything_else_as_the_application():
    env = {**{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}},
           "DJANGO_SETTINGS_MODULE": "branchsvc.settings", "SECRET_KEY": "x" * 50,
           "FIELD_ENCRYPTION_KEY": "ZW1iZWRkZWQtcHJvZmlsZS1vbmx5LWtleS0wMDAwMDA=",
           "DATABASE_URL": "postgres://branchsvc_app@db/branchsvc",
           "MIGRATE_DATABASE_URL": "postgres://branchsvc_owner@db/branchsvc"}
    users = []
    for command in ("migrate", "serve"):
        code = (f"import sys; sys.argv = ['manage.py', '{command}']; import django; django.setup(); "
                "from django.conf import settings; print(settings.DATABASES['default']['USER'])")
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        users.append(result.stdout.strip())
    assert users == ["branchsvc_owner", "branchsvc_app"]
