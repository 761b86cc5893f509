"""The deployment files: the compose topology, the production image and the locked dependencies.
No container engine runs here, so the compose file is checked by its structure (and by
`docker compose config` where a compose client is installed)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_web_publishes_no_host_port_so_it_can_scale_behind_the_proxy(compose):
    assert "ports" not in compose["web"]
    assert compose["proxy"]["ports"] == ["${HTTP_PORT:-8080}:8080"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "http://web:8000" in nginx
    assert "proxy_set_header Upgrade" in nginx  # websockets pass through
    assert re.search(r"location = /metrics \{ return 404; \}", nginx)


def test_migrations_run_once_before_web_worker_and_beat(compose):
    assert compose["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert compose["migrate"]["restart"] == "no"
    for name in APP_SERVICES:
        assert compose[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert compose[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_long_running_services_restart_and_have_health_checks(compose):
    for name, service in compose.items():
        if name in {"migrate", "buckets"}:
            continue
        assert service["restart"] == "unless-stopped", name
    for name in ("web", "worker", "proxy", "postgres", "redis", "minio"):
        assert compose[name]["healthcheck"]["test"], name
    assert "/readyz" in " ".join(compose["web"]["healthcheck"]["test"])
    assert compose["proxy"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_uploads_go_to_object_storage_in_the_compose_topology(compose):
    environment = compose["web"]["environment"]
    assert environment["S3_BUCKET"] and environment["S3_ENDPOINT_URL"]
    assert compose["web"]["depends_on"]["buckets"] == {"condition": "service_completed_successfully"}
    assert not any("media" in volume for volume in compose["web"].get("volumes", []))


def test_the_compose_client_accepts_the_file_where_one_is_installed():
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"],
                                                 capture_output=True).returncode == 0:
        command = ["docker", "compose"]
    elif shutil.which("docker-compose"):
        command = ["docker-compose"]
    else:
        pytest.skip("no compose client (docker compose / docker-compose): structure checked above")
    result = subprocess.run([*command, "-f", "docker-compose.yml", "config", "-q"], cwd=ROOT,
                            env={"PATH": "/usr/local/bin:/usr/bin:/bin", "SECRET_KEY": "x",
                                 "FIELD_ENCRYPTION_KEY": "y", "AUDIT_CHAIN_KEY": "z",
                                 "POSTGRES_PASSWORD": "p", "OWNER_DB_PASSWORD": "o",
                                 "APP_DB_PASSWORD": "a", "TURN_SECRET": "t"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _names(requirements: Path) -> set[str]:
    names = set()
    for line in requirements.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[\[<>=!~; ]", line)[0].lower().replace("_", "-"))
    return names


def _locked(lock: Path) -> dict[str, bool]:
    """Pinned name -> whether the pin carries hashes."""
    text = lock.read_text()
    pins = re.findall(r"^([A-Za-z0-9._-]+)==\S+((?: \\\n\s+--hash=sha256:[0-9a-f]{64})*)", text, re.M)
    return {name.lower().replace("_", "-"): bool(hashes) for name, hashes in pins}


@pytest.mark.parametrize(("source", "lock"), [("requirements.txt", "requirements.lock"),
                                               ("requirements-dev.txt", "requirements-dev.lock")])
def test_every_requirement_is_locked_with_hashes(source, lock):
    locked = _locked(ROOT / lock)
    missing = _names(ROOT / source) - set(locked)
    assert not missing, f"run `make lock`: {sorted(missing)} not in {lock}"
    assert all(locked.values()), [name for name, hashed in locked.items() if not hashed]


def test_the_runtime_lock_holds_no_test_tools_and_no_unused_packages():
    locked = set(_locked(ROOT / "requirements.lock"))
    assert not locked & {"pytest", "playwright", "hypothesis", "schemathesis", "ruff", "moto"}
    assert not locked & {"face-recognition", "daphne", "twisted", "psycopg2-binary"}
    runtime = _locked(ROOT / "requirements.lock")
    assert set(runtime) <= set(_locked(ROOT / "requirements-dev.lock"))


def test_the_image_installs_only_the_runtime_lock_and_leaves_local_state_out():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "requirements.lock" in dockerfile
    assert "requirements-dev" not in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "var", ".git", "tests"} <= set(ignored)
