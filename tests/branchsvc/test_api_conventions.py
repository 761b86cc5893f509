"""What an integrator relies on: /api/v1/ with the old paths still answering, one page shape for
every list, scoped API keys issued by head office, and refusals documented in the schema."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from branches.auth import ApiClientRateThrottle
from branches.models import ApiClient
from branches.roles import Role
from compliance.models import AuditEvent
from tests.factories import make_branch, make_customer, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_branches(branch):
    return [branch, *(make_branch(f"GZ90{n}") for n in range(4))]


def _issue_key(client, head_office_admin, *, scopes, role="head_office_admin", branch=None):
    client.force_login(head_office_admin)
    response = client.post("/api/v1/api-clients/", {"name": "核心系统", "role": role,
                                                     "branch": branch, "scopes": scopes},
                           content_type="application/json")
    client.logout()
    assert response.status_code == 201, response.json()
    return response.json()


# --- versions -------------------------------------------------------------------------------

def test_url_names_resolve_to_the_v1_paths():
    assert reverse("api-branch-list") == "/api/v1/branches/"
    assert reverse("api-queue-call-next", args=[3]) == "/api/v1/queue/counters/3/call-next/"


def test_an_old_path_still_answers_and_says_where_its_successor_is(client, five_branches):
    response = client.get("/api/branches/")
    assert response.status_code == 200
    assert response["Deprecation"].startswith("@")
    assert '</api/v1/branches/>; rel="successor-version"' in response["Link"]
    assert "Deprecation" not in client.get("/api/v1/branches/")


def test_a_post_to_an_old_path_is_not_redirected(client, branch, branch_admin):
    client.force_login(branch_admin)
    response = client.post(f"/api/branches/{branch.code}/devices/",
                           {"kind": "kiosk", "name": "一号机"}, content_type="application/json")
    assert response.status_code == 201
    assert response["Link"] == (f'</api/v1/branches/{branch.code}/devices/>; '
                                'rel="successor-version"')


def test_unknown_api_urls_and_methods_answer_json(client, db):
    missing = client.get("/api/v1/no-such-thing/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["code"] == "not_found"
    wrong_method = client.delete("/api/v1/branches/")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["code"] == "method_not_allowed"


# --- pagination -----------------------------------------------------------------------------

def test_a_v1_list_comes_in_pages_with_count_and_next(client, five_branches):
    first = client.get("/api/v1/branches/?limit=2").json()
    assert first["count"] == 5
    assert [b["code"] for b in first["results"]] == ["BJ901", "GZ900"]
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [b["code"] for b in second["results"]] == ["GZ901", "GZ902"]
    last = client.get("/api/v1/branches/?limit=2&offset=4").json()
    assert [b["code"] for b in last["results"]] == ["GZ903"] and last["next"] is None


def test_an_old_list_path_keeps_its_bare_array_and_gives_page_facts_in_headers(client, five_branches):
    response = client.get("/api/branches/?limit=2")
    assert [b["code"] for b in response.json()] == ["BJ901", "GZ900"]
    assert response["X-Total-Count"] == "5"
    assert 'rel="next"' in response["Link"] and "offset=2" in response["Link"]


def test_no_page_is_larger_than_the_lists_ceiling(client, branch, teller):
    for _ in range(3):
        make_customer(branch=branch)
    client.force_login(teller)
    page = client.get("/api/v1/customers/?limit=100000&offset=1").json()
    assert page["count"] == 3 and len(page["results"]) == 2
    # The page asked for was cut to the list's ceiling of 500 rows.
    assert page["previous"].endswith("?limit=500")


def test_a_bad_limit_falls_back_to_the_default_page(client, five_branches):
    page = client.get("/api/v1/branches/?limit=abc").json()
    assert page["count"] == 5 and len(page["results"]) == 5


# --- API keys and scopes --------------------------------------------------------------------

def test_head_office_issues_a_key_shown_once_and_audited(client, head_office_admin):
    issued = _issue_key(client, head_office_admin, scopes=["branches:read"])
    assert issued["key"].startswith(f"bsk_{issued['key_prefix']}_")
    client.force_login(head_office_admin)
    listed = client.get("/api/v1/api-clients/").json()
    assert listed["count"] == 1 and "key" not in listed["results"][0]
    event = AuditEvent.objects.get(action="api_client.create")
    assert issued["key"] not in str(event.after) and event.after["scopes"] == ["branches:read"]


@pytest.mark.parametrize("role", [Role.BRANCH_ADMIN, Role.TELLER, Role.COMPLIANCE_OFFICER])
def test_only_head_office_manages_api_clients(client, branch, role):
    client.force_login(make_staff(role, branch if role != Role.COMPLIANCE_OFFICER else None))
    response = client.post("/api/v1/api-clients/", {"name": "x", "role": "teller",
                                                     "branch": branch.code, "scopes": ["queue:read"]},
                           content_type="application/json")
    assert response.status_code == 403


def test_a_key_reads_what_its_scope_allows_and_nothing_else(client, head_office_admin, branch):
    make_customer(branch=branch)
    key = _issue_key(client, head_office_admin, scopes=["customers:read"])["key"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    customers = client.get("/api/v1/customers/", **auth)
    assert customers.status_code == 200 and customers.json()["count"] == 1
    audit = client.get("/api/v1/audit/events/", **auth)
    assert audit.status_code == 403
    assert audit.json()["code"] == "insufficient_scope"
    assert "audit:read" in audit.json()["detail"]


def test_a_key_cannot_write_with_a_read_scope(client, head_office_admin, branch):
    key = _issue_key(client, head_office_admin, scopes=["branches:read"])["key"]
    response = client.post(f"/api/v1/branches/{branch.code}/devices/", {"kind": "kiosk", "name": "x"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"


def test_a_key_never_reaches_the_client_registry(client, head_office_admin):
    key = _issue_key(client, head_office_admin, scopes=["branches:read", "audit:read"])["key"]
    response = client.get("/api/v1/api-clients/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403


def test_a_branch_role_key_sees_only_its_branch(client, head_office_admin, branch, other_branch):
    make_customer(branch=branch)
    make_customer(branch=other_branch)
    key = _issue_key(client, head_office_admin, scopes=["queue:read", "customers:read"],
                     role="lobby_manager", branch=branch.code)["key"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/queue/branches/{branch.code}/state/", **auth).status_code == 200
    assert client.get(f"/api/v1/queue/branches/{other_branch.code}/state/",
                      **auth).status_code == 404


def test_a_revoked_or_wrong_key_is_refused_with_401(client, head_office_admin):
    issued = _issue_key(client, head_office_admin, scopes=["branches:read"])
    client.force_login(head_office_admin)
    assert client.post(f"/api/v1/api-clients/{issued['id']}/revoke/").status_code == 200
    client.logout()
    response = client.get("/api/v1/branches/GZ900/devices/",
                          HTTP_AUTHORIZATION=f"Bearer {issued['key']}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Device")
    assert client.get("/api/v1/customers/",
                      HTTP_AUTHORIZATION="Bearer bsk_nope_nope").status_code == 401
    assert AuditEvent.objects.filter(action="api_client.revoke").count() == 1
    assert not ApiClient.objects.get(pk=issued["id"]).user.is_active


def test_a_key_over_its_budget_gets_429(client, head_office_admin, monkeypatch):
    key = _issue_key(client, head_office_admin, scopes=["branches:read"])["key"]
    monkeypatch.setattr(ApiClientRateThrottle, "THROTTLE_RATES", {"api_client": "2/minute"})
    cache.clear()  # an earlier test's client may have had the same id
    answers = [client.get("/api/v1/service-types/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
               for _ in range(3)]
    assert answers == [200, 200, 429]
    # People are not counted against an API client's budget.
    assert client.get("/api/v1/service-types/").status_code == 200


# --- schema ---------------------------------------------------------------------------------

@pytest.fixture
def schema(client, db):
    return client.get("/api/schema/?format=json").json()


def test_the_schema_lists_v1_paths_only(schema):
    api_paths = [path for path in schema["paths"] if path.startswith("/api/")]
    assert api_paths and all(path.startswith("/api/v1/") for path in api_paths)


def test_every_list_in_the_schema_is_paged(schema):
    lists = [(path, op) for path, ops in schema["paths"].items() for method, op in ops.items()
             if method == "get" and op["operationId"].endswith("_list")]
    assert len(lists) >= 19
    for path, op in lists:
        names = {parameter["name"] for parameter in op.get("parameters", [])}
        assert {"limit", "offset"} <= names, path
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert {"count", "next", "previous", "results"} <= set(page["properties"]), path


def test_refusals_are_documented_in_the_one_error_shape(schema):
    error = "#/components/schemas/ApiErrorOutput"
    call_next = schema["paths"]["/api/v1/queue/counters/{id}/call-next/"]["post"]["responses"]
    for code in ("401", "403", "429", "404"):
        assert call_next[code]["content"]["application/json"]["schema"]["$ref"] == error
    public = schema["paths"]["/api/v1/branches/"]["get"]["responses"]
    assert "429" in public and "401" not in public
    assert "apiKey" in schema["components"]["securitySchemes"]
