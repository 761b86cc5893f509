def test_liveness_answers_without_touching_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_each_dependency(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "channel_layer", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readiness_is_503_when_the_broker_is_unreachable(client, db, monkeypatch):
    from branchsvc import views

    def broken():
        raise ConnectionRefusedError

    monkeypatch.setattr(views, "_check_broker", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "error": "ConnectionRefusedError"}


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
