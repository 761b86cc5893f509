"""Prometheus metrics: HTTP requests and latencies, live queue lengths per branch, how late each
periodic scan is (and how long the fanned-out queue scan took), Celery tasks, and the answering
process's PostgreSQL connection pool.

Counters and histograms live in the process that observes them (web or worker). With several
processes per container (uvicorn --workers, Celery prefork) set PROMETHEUS_MULTIPROC_DIR to an
empty directory so prometheus_client sums them. Queue lengths and scan lag are read from the
database and the cache when Prometheus scrapes, so every replica reports the same values."""

import functools
import hmac
import logging
import os
import time

from celery import signals as celery_signals
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from queueing.models import Ticket, TicketStatus
from queueing.tasks import scan_lag

access_log = logging.getLogger("branchsvc.access")

HTTP_REQUESTS = Counter("branchsvc_http_requests", "HTTP requests answered",
                        ["method", "route", "status"])
HTTP_LATENCY = Histogram("branchsvc_http_request_duration_seconds", "Time to answer an HTTP request",
                         ["method", "route"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10))
CELERY_TASKS = Counter("branchsvc_celery_tasks", "Celery tasks finished, by outcome", ["task", "outcome"])
CELERY_RUNTIME = Histogram("branchsvc_celery_task_duration_seconds", "Time a Celery task ran", ["task"],
                           buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
_LAST_SUCCESS = "metrics:periodic-success:{}"


def _route(request) -> str:
    # The URL pattern, never the path: paths carry ticket tokens and ids (unbounded label values).
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None else "unmatched"


class RequestMetricsMiddleware:
    """Counts and times every request and writes one access line carrying its request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = _route(request)
        HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        HTTP_LATENCY.labels(request.method, route).observe(elapsed)
        # The path only: query strings may carry phone numbers or booking codes.
        access_log.info("%s %s %s", request.method, request.path, response.status_code,
                        extra={"method": request.method, "path": request.path, "route": route,
                               "status_code": response.status_code,
                               "duration_ms": round(elapsed * 1000, 2)})
        return response


@functools.cache
def _periodic_tasks() -> dict[str, float]:
    """Task name -> interval in seconds of every task on the beat schedule (web processes: the
    app is finalised here, once)."""
    from branchsvc.celery import app

    app.loader.import_default_modules()
    app.finalize()
    return _intervals(app.conf.beat_schedule)


def _intervals(beat_schedule) -> dict[str, float]:
    intervals = {}
    for entry in (beat_schedule or {}).values():
        schedule = entry["schedule"]
        seconds = schedule if isinstance(schedule, int | float) else schedule.run_every.total_seconds()
        intervals[entry["task"]] = float(seconds)
    return intervals


class LiveCollector:
    """Read at scrape time: waiting tickets per branch and queue, the oldest wait per branch, and
    how long ago each periodic task last succeeded (scan lag)."""

    def collect(self):
        yield from self._queues()
        yield from self._scan_lag()

    def _queues(self):
        waiting = GaugeMetricFamily("branchsvc_queue_waiting_tickets", "Tickets waiting now",
                                    labels=["branch", "queue"])
        oldest = GaugeMetricFamily("branchsvc_queue_oldest_wait_seconds",
                                   "How long the longest-waiting ticket has waited", labels=["branch"])
        rows = (Ticket.objects.filter(status=TicketStatus.WAITING)
                .values_list("branch__code", "queue").annotate(count=Count("id"), since=Min("queued_at"))
                .order_by())
        now = timezone.now()
        longest: dict[str, float] = {}
        for branch, queue, count, since in rows:
            waiting.add_metric([branch, queue], count)
            longest[branch] = max(longest.get(branch, 0.0), (now - since).total_seconds())
        for branch, seconds in longest.items():
            oldest.add_metric([branch], seconds)
        yield waiting
        yield oldest

    def _scan_lag(self):
        lag = GaugeMetricFamily("branchsvc_periodic_task_seconds_since_success",
                                "Seconds since the periodic task last succeeded (absent: never yet)",
                                labels=["task"])
        interval = GaugeMetricFamily("branchsvc_periodic_task_interval_seconds",
                                     "How often beat sends the periodic task", labels=["task"])
        tasks = _periodic_tasks()
        succeeded = cache.get_many([_LAST_SUCCESS.format(name) for name in tasks])
        now = time.time()
        for name, seconds in sorted(tasks.items()):
            interval.add_metric([name], seconds)
            at = succeeded.get(_LAST_SUCCESS.format(name))
            if at is not None:
                lag.add_metric([name], max(0.0, now - at))
        yield lag
        yield interval
        scan = GaugeMetricFamily("branchsvc_queue_scan_lag_seconds",
                                 "The last queue scan, from beat sending it to its last shard "
                                 "finishing (while unfinished: seconds since sent)")
        seconds = scan_lag(now)
        if seconds is not None:
            scan.add_metric([], seconds)
        yield scan


class PoolCollector:
    """This process's PostgreSQL connection pool (psycopg's statistics), labelled with the process
    id because each web and worker process has its own: connections in use and idle, requests
    waiting for one now, and since the process started, requests that got none in time
    (DB_POOL_TIMEOUT) and connections found broken. A pool that stays full while requests wait is
    a leak or an undersized DB_POOL_MAX_SIZE. Nothing without a pool (SQLite, DB_POOL=false)."""

    def describe(self):
        # Registering must not touch the database: without describe(), prometheus_client calls
        # collect() at registration (module import) and Django would create the pool there, with
        # the settings of that moment — before a test run switches to its test database.
        return []

    def collect(self):
        pid = str(os.getpid())
        used = GaugeMetricFamily("branchsvc_db_pool_connections", "Pooled connections of this process",
                                 labels=["alias", "pid", "state"])
        limit = GaugeMetricFamily("branchsvc_db_pool_max_connections", "The pool's maximum size",
                                  labels=["alias", "pid"])
        waiting = GaugeMetricFamily("branchsvc_db_pool_requests_waiting",
                                    "Requests waiting for a pooled connection now", labels=["alias", "pid"])
        failed = CounterMetricFamily("branchsvc_db_pool_request_errors",
                                     "Requests that got no pooled connection (timeout, pool closed)",
                                     labels=["alias", "pid"])
        lost = CounterMetricFamily("branchsvc_db_pool_connections_lost",
                                   "Pooled connections found broken (e.g. after a server restart)",
                                   labels=["alias", "pid"])
        for alias in connections:
            # Only a pool this process already opened: asking a wrapper for its `pool` creates one.
            wrapper = connections[alias]
            pool = getattr(type(wrapper), "_connection_pools", {}).get(alias)
            if pool is None:
                continue
            stats = pool.get_stats()
            size, available = stats.get("pool_size", 0), stats.get("pool_available", 0)
            used.add_metric([alias, pid, "in_use"], size - available)
            used.add_metric([alias, pid, "idle"], available)
            limit.add_metric([alias, pid], stats.get("pool_max", 0))
            waiting.add_metric([alias, pid], stats.get("requests_waiting", 0))
            failed.add_metric([alias, pid], stats.get("requests_errors", 0))
            lost.add_metric([alias, pid], stats.get("connections_lost", 0) + stats.get("returns_bad", 0))
        yield from (used, limit, waiting, failed, lost)


_live_registry = CollectorRegistry(auto_describe=False)
_live_registry.register(LiveCollector())
_pool_collector = PoolCollector()
_MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
if not _MULTIPROCESS:
    REGISTRY.register(_pool_collector)  # the web's /metrics and the worker's port both read it


def _process_registry() -> CollectorRegistry:
    if _MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_pool_collector)
        return registry
    return REGISTRY


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return hmac.compare_digest(offered.encode(), token.encode())
    # No token: only the embedded profile answers, and only on the machine itself.
    return settings.DEBUG and request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


def metrics(request):
    if not _allowed(request):
        # 404, not 401: the endpoint's existence is nobody else's business.
        raise Http404
    body = generate_latest(_process_registry()) + generate_latest(_live_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


# --- Celery: counted in the worker; the worker serves its own /metrics on CELERY_METRICS_PORT. ---
_started: dict[str, float] = {}


@celery_signals.task_prerun.connect
def _task_started(task_id=None, **kwargs):
    _started[task_id] = time.perf_counter()


@celery_signals.task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    if task is None or state is None:
        return
    CELERY_TASKS.labels(task.name, state.lower()).inc()
    if started is not None:
        CELERY_RUNTIME.labels(task.name).observe(time.perf_counter() - started)


@celery_signals.task_success.connect
def _task_succeeded(sender=None, **kwargs):
    # The worker's app is finalised already; importing and finalising it again from inside a
    # running task stalled the e2e worker after its first task (nothing received after it).
    if sender is not None and sender.name in _intervals(sender.app.conf.beat_schedule):
        cache.set(_LAST_SUCCESS.format(sender.name), time.time(), timeout=None)


@celery_signals.task_retry.connect
def _task_retried(sender=None, **kwargs):
    if sender is not None:
        CELERY_TASKS.labels(sender.name, "retry").inc()


@celery_signals.worker_init.connect
def _serve_worker_metrics(**kwargs):
    port = settings.CELERY_METRICS_PORT
    if port:
        start_http_server(port, registry=_process_registry())
