def test_liveness_answers_without_touching_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_each_dependency(client, db):
    from core.worker_heartbeat import worker_heartbeat_write

    worker_heartbeat_write()
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "channel_layer", "broker", "worker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readiness_is_503_when_the_broker_is_unreachable(client, db, monkeypatch):
    from branchsvc import views

    def broken():
        raise ConnectionRefusedError

    monkeypatch.setattr(views, "_check_broker", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "error": "ConnectionRefusedError"}


def test_readiness_is_503_while_no_worker_has_sent_a_heartbeat(client, db):
    from django.core.cache import cache

    from core.worker_heartbeat import KEY

    cache.delete(KEY)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "error": "NoRecentWorkerHeartbeat"}


def test_readiness_is_503_when_the_last_heartbeat_is_old(client, db, settings):
    import time_machine

    from core.worker_heartbeat import worker_heartbeat_write

    with time_machine.travel("2026-11-23 10:00:00+08:00", tick=False) as clock:
        worker_heartbeat_write()
        assert client.get("/readyz").status_code == 200
        clock.shift(settings.WORKER_HEARTBEAT_MAX_AGE + 1)
        assert client.get("/readyz").status_code == 503


def test_a_running_worker_beats_on_its_own_timer(client, db):
    """The embedded profile's worker (and every production worker) carries the heartbeat step."""
    from django.core.cache import cache

    from branchsvc.celery import app
    from core.worker_heartbeat import KEY, WorkerHeartbeat

    assert WorkerHeartbeat in app.steps["worker"]
    cache.delete(KEY)
    scheduled = []

    class Timer:
        def call_repeatedly(self, seconds, function):
            scheduled.append((seconds, function))
            return type("Ref", (), {"cancel": lambda self: scheduled.clear()})()

    worker = type("Worker", (), {"timer": Timer()})()
    step = WorkerHeartbeat(worker)
    step.start(worker)
    assert cache.get(KEY) is not None and scheduled
    step.stop(worker)
    assert not scheduled


def test_every_response_carries_a_request_id_and_security_headers(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-request-12345")
    assert response["X-Request-ID"] == "lb-request-12345"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_openapi_schema_is_served(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert b"/api/customers/" in response.content


def test_the_asgi_application_loads_with_every_app_websocket_route():
    import importlib

    import branchsvc.asgi
    from branchsvc.routing import websocket_urlpatterns

    importlib.reload(branchsvc.asgi)
    routes = [str(pattern.pattern) for pattern in websocket_urlpatterns()]
    assert any("lobby" in route for route in routes)
    assert any("counter" in route for route in routes)


def test_beat_schedule_collects_every_app_schedule():
    from branchsvc.celery import app

    app.loader.import_default_modules()
    app.finalize()
    names = set(app.conf.beat_schedule)
    assert {"servicedesk-sla-scan", "queueing-scan"} <= names


def test_text_the_database_cannot_store_is_a_400_not_a_500(client, db):
    response = client.post("/api/me/login/code/", '{"phone": "138\\u0000"}',
                           content_type="application/json")
    assert response.status_code == 400
    assert client.get("/api/branches/", {"q": "a\x00b"}).status_code == 400
    assert client.get("/api/branches/", {"q": "好"}).status_code == 200
