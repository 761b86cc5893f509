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
