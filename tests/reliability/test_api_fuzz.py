"""Schemathesis against the OpenAPI schema the server publishes at /api/schema/: every operation,
called as every role (and anonymously, and as a kiosk device), must never answer 5xx, and every
documented response must match its schema. Requests go through the Django WSGI application in
process (no network), inside the test's database transaction.

One test walks all operations (instead of one pytest test per operation) so the actors are set up
once: on a loaded two-core machine that keeps the run within a few minutes. FUZZ_EXAMPLES raises
the number of generated cases per operation for a deeper local run."""

import json
import os

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.wsgi import get_wsgi_application
from django.middleware.csrf import _get_new_csrf_string
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.factories import make_counter, make_device, make_service_type

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "6"))
# Undocumented 4xx codes (401/403/404/429) are legitimate answers to fuzzed input, so status-code
# conformance is left out; the body of every documented status is validated.
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _published_schema() -> dict:
    """The document /api/schema/ serves (built in process; it needs no database)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def _session_headers(user) -> dict:
    csrf = _get_new_csrf_string()
    cookies = [f"csrftoken={csrf}"]
    if user is not None:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"sessionid={session.session_key}")
    return {"Cookie": "; ".join(cookies), "X-CSRFToken": csrf}


def _identities(users_by_role, branch) -> dict[str, dict]:
    found = {str(role or "anonymous"): _session_headers(user) for role, user in users_by_role.items()}
    _device, token = make_device(branch, "kiosk")
    found["kiosk_device"] = {"Authorization": f"Device {token}"}
    return found


def _case_strategy(operation):
    modes = [operation.as_strategy(GenerationMode.POSITIVE)]
    try:
        modes.append(operation.as_strategy(GenerationMode.NEGATIVE))
    except Exception:  # some operations have nothing that can be made invalid
        pass
    return st.one_of(modes)


def _fuzz(operation, identities: dict[str, dict]) -> tuple[int, list[str]]:
    sent, failures = 0, []

    @given(case=_case_strategy(operation), who=st.sampled_from(sorted(identities)))
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case, who):
        nonlocal sent
        sent += 1
        try:
            case.call_and_validate(headers=identities[who], checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.label} as {who}: {str(error)[:700]}")

    run()
    return sent, failures


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI app closes the database connection at the end of each request (Django's
    close_old_connections); inside a test that would close the test's own transaction, as
    Django's test Client knows, so keep it open the same way the Client does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_the_test_connection")
def test_every_api_operation_answers_every_role_without_server_errors_and_as_documented(
        users_by_role, branch, other_branch):
    service = make_service_type("FZ1")
    make_counter(branch, "01", services=[service])
    identities = _identities(users_by_role, branch)
    schema = schemathesis_schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100, "the published schema lost its operations"

    total, failures = 0, []
    for operation in operations:
        sent, failed = _fuzz(operation, identities)
        total += sent
        failures += failed
    print(f"schemathesis: {len(operations)} operations, {total} requests, {len(identities)} identities")
    assert not failures, "\n\n".join(failures)


def schemathesis_schema():
    import schemathesis

    schema = schemathesis.openapi.from_dict(_published_schema())
    schema.app = get_wsgi_application()
    return schema
