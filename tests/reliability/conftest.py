import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from asgiref.sync import SyncToAsync
from django.core.cache import cache
from django.db import connection, connections

from queueing.state import forget_service_times
from tests.conftest import CLOCK_START

REQUIRED = {name.strip() for name in os.environ.get("REQUIRE_SERVICES", "").split(",")}
SIMULATED_OUTAGE = 2.0  # s: how long PG_FAULT=simulate refuses connections

# The shared `clock` (tests/conftest.py) starts here: a Monday morning, the branches open.
OPEN_MORNING = CLOCK_START


@pytest.fixture(autouse=True)
def _fresh_queue_memory():
    # Learned service times, alerts and refresh flags live in process memory and the cache.
    cache.clear()
    forget_service_times()
    yield
    forget_service_times()


# --- PostgreSQL restarts (test_postgres_restart.py, test_worker_kill.py) --------------------------

def _cluster() -> tuple[str, str] | str:
    """(version, name) of the local cluster serving the test database, or why it cannot restart."""
    if os.geteuid() != 0:
        return "restarting PostgreSQL needs root (pg_ctlcluster)"
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return "restarting PostgreSQL needs Debian's pg_ctlcluster and a cluster in /etc/postgresql"
    port = str(connection.settings_dict["PORT"] or 5432)
    if connection.settings_dict["HOST"] not in ("127.0.0.1", "localhost", "", "::1"):
        return "the test database is not on this machine"
    for version in sorted(os.listdir("/etc/postgresql")):
        for name in sorted(os.listdir(f"/etc/postgresql/{version}")):
            conf = Path(f"/etc/postgresql/{version}/{name}/postgresql.conf")
            text = conf.read_text() if conf.exists() else ""
            ports = [line.split("=", 1)[1].split("#")[0].strip() for line in text.splitlines()
                     if line.strip().startswith("port")]
            if (ports[-1] if ports else "5432") == port:
                return version, name
    return f"no local cluster listens on port {port}"


def _admin():
    db = connection.settings_dict
    return psycopg.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"] or None,
                            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                            connect_timeout=5)


def _wait_ready(deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            _admin().close()
            return
        except psycopg.OperationalError:
            time.sleep(0.2)  # start-up of the server, not test timing
    raise AssertionError("PostgreSQL did not come back")


class Outage:
    def __init__(self, mode: str, cluster: tuple[str, str] | None):
        self.mode, self.cluster = mode, cluster

    def __call__(self) -> None:
        if self.mode == "simulate":
            self._simulate()
        else:
            version, name = self.cluster
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart",
                            "-m", "fast"], check=True, capture_output=True, timeout=120)
        _wait_ready(time.monotonic() + 60)

    def _simulate(self) -> None:
        name = connection.settings_dict["NAME"]
        admin = _admin()
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
                time.sleep(SIMULATED_OUTAGE)  # the outage itself
                cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        finally:
            admin.close()

    def restore(self) -> None:
        """Whatever happened in the test, leave the server running and accepting connections."""
        if self.mode == "simulate":
            admin = _admin()
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{connection.settings_dict["NAME"]}" ALLOW_CONNECTIONS true')
            admin.close()
        else:
            version, name = self.cluster
            if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p",
                               str(connection.settings_dict["PORT"] or 5432)]).returncode != 0:
                subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
                               capture_output=True, timeout=120)
            _wait_ready(time.monotonic() + 60)
        self.forget_dead_connections()

    @staticmethod
    def forget_dead_connections(*, pools: bool = False) -> None:
        """The restart killed this process's own connections: the test's and the one asgiref's
        single sync thread keeps for async tests. Close both so they reconnect (pytest-django's
        teardown flushes through the first). With `pools`, also drop the process's connection
        pools: connections still checked out by threads of earlier tests count against the pool's
        size and would never come back, so a pool of only dead ones could leave no room to grow."""
        connections.close_all()
        SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=30)
        if pools:
            for wrapper in connections.all(initialized_only=True):
                if getattr(wrapper, "pool", None) is not None:
                    wrapper.close_pool()


@pytest.fixture
def postgres_outage(require_service):
    require_service("postgres")
    mode = os.environ.get("PG_FAULT", "restart")
    cluster = None
    if mode != "simulate":
        cluster = _cluster()
        if isinstance(cluster, str):
            if "postgres" in REQUIRED:
                pytest.fail(f"postgres is required here (REQUIRE_SERVICES) but {cluster}")
            pytest.skip(cluster)
    outage = Outage(mode, cluster)
    yield outage
    outage.restore()
