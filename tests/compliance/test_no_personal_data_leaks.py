"""No page, API response or export shows a customer's full ID or phone number, and lobby screens
show no names: crawled as every role over the whole demo data set."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from customers.models import Customer
from tests.conftest import reseed_migration_data

# Paths whose purpose is to hand out a value in full (audited) or that act on GET.
# /readyz reports the infrastructure (a worker heartbeat older than a minute is a 503 by design: on a
# loaded machine this crawl outlives the heartbeat its fixture wrote); tests/branchsvc/test_health.py
# covers it, and it carries no personal data. The deprecated /api/… paths run the same views as
# /api/v1/…: scanned once, under v1.
SKIP = re.compile(r"^/(admin/|accounts/logout|i18n/|api/docs|api/(?!v1/|schema/)|device/logout|media/"
                  r"|readyz)")
ROLES = ["teller1", "wealth1", "lobby1", "badmin1", "compliance1", "dept_fx1", "dept_head_cs",
         "hoadmin"]


def _plain_paths(patterns, prefix=""):
    """Every URL without parameters, walking included url modules."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _plain_paths(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route:
            yield "/" + route.lstrip("^").rstrip("$").replace("\\", "")


def _seed_demo(monkeypatch, tmp_path) -> set[str]:
    """The whole demo data set (inside the test's transaction); returns every full number."""
    # Keep the developer's own demo device tokens (var/) untouched.
    monkeypatch.setattr("branches.demo.DEMO_TOKENS_FILE", tmp_path / "tokens.json")
    monkeypatch.setattr("branchsvc.management.commands.seed_demo.DEMO_TOKENS_FILE",
                        tmp_path / "tokens.json")
    reseed_migration_data()  # a transactional test before may have flushed them
    call_command("seed_demo", "--days", "0", stdout=io.StringIO())
    secrets = set()
    for customer in Customer.objects.all():
        secrets.update(value for value in (customer.phone, customer.id_number) if value)
    return secrets


def _leaks(body: str, secrets: set[str]) -> set[str]:
    candidates = set(re.findall(r"(?<![\dA-Z])[\dA-Z]{8,18}(?![\dA-Z])", body))
    return {value for value in candidates if value in secrets}


def test_the_scanner_spots_a_full_number_but_not_a_masked_one():
    secrets = {"13812345678", "11010519491231002X"}
    assert _leaks("<td>13812345678</td>", secrets) == {"13812345678"}
    assert _leaks('{"id": "11010519491231002X"}', secrets) == {"11010519491231002X"}
    assert not _leaks("<td>138****5678</td> 1101**********002X", secrets)


@pytest.mark.django_db
def test_no_page_api_or_lobby_screen_shows_personal_data(client, monkeypatch, tmp_path):
    demo = _seed_demo(monkeypatch, tmp_path)
    paths = sorted(set(_plain_paths(get_resolver().url_patterns)))
    assert len(paths) > 30
    checked = 0
    for username in [*ROLES, None]:
        client.logout()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        for path in paths:
            if SKIP.match(path):
                continue
            response = client.get(path, HTTP_ACCEPT="text/html,application/json")
            if response.streaming:
                body = b"".join(response.streaming_content).decode(errors="replace")
            else:
                body = response.content.decode(errors="replace")
            assert response.status_code < 500, f"{path} as {username}: {response.status_code}"
            assert not _leaks(body, demo), f"{path} as {username} shows full personal numbers"
            checked += 1
    assert checked > 200
    _check_lobby_screen(client, demo)


def _check_lobby_screen(client, demo):
    import json

    from branches import demo as branch_demo

    client.logout()
    token = json.loads(branch_demo.DEMO_TOKENS_FILE.read_text())["Lobby screen"]
    client.post("/device/login/", {"token": token})
    page = client.get("/device/", follow=True)
    assert page.status_code == 200
    body = page.content.decode()
    names = set(Customer.objects.values_list("name", flat=True))
    assert not [name for name in names if len(name) > 1 and name in body]
    assert not _leaks(body, demo)


def _form_numbers() -> set[str]:
    """Full ID, mobile and account numbers customers typed into their pre-filled forms."""
    from counter.models import PrefilledForm

    numbers = set()
    for form in PrefilledForm.objects.all():
        for value in form.values.values():
            numbers.update(re.findall(r"(?<!\d)(?:\d{17}[\dX]|1[3-9]\d{9}|\d{16,19})(?!\d)", str(value)))
    return numbers


def _pages_with_personal_data() -> list[str]:
    from appointments.models import Appointment
    from counter.models import PrefilledForm

    paths = ["/counter/console/", "/appointments/today/"]
    for form in PrefilledForm.objects.select_related("ticket"):
        paths += [f"/api/counter/forms/{form.public_id}/", f"/counter/forms/{form.public_id}/"]
    for code in Appointment.objects.values_list("code", flat=True)[:10]:
        paths += [f"/appointments/{code}/", f"/api/appointments/{code}/"]
    paths += [f"/api/customers/{pk}/" for pk in Customer.objects.values_list("pk", flat=True)[:5]]
    return paths


def _actors():
    """Every staff role, anonymous, and every kind of device of the demo branch."""
    import json

    from branches import demo as branch_demo

    for username in [*ROLES, None]:
        yield username, {}
    for name, token in json.loads(branch_demo.DEMO_TOKENS_FILE.read_text()).items():
        yield f"device {name}", {"HTTP_AUTHORIZATION": f"Device {token}"}


@pytest.mark.django_db
def test_forms_bookings_and_customers_are_masked_for_every_role_and_device(client, monkeypatch,
                                                                          tmp_path):
    secrets = _seed_demo(monkeypatch, tmp_path) | _form_numbers()
    paths = _pages_with_personal_data()
    assert len(paths) > 10 and secrets
    shown = 0
    for actor, headers in _actors():
        client.logout()
        if actor and not headers:
            client.force_login(get_user_model().objects.get(username=actor))
        for path in paths:
            response = client.get(path, HTTP_ACCEPT="text/html,application/json", **headers)
            body = response.content.decode(errors="replace")
            assert response.status_code < 500, f"{path} as {actor}: {response.status_code}"
            assert not _leaks(body, secrets), f"{path} as {actor} shows full personal numbers"
            if response.status_code == 200:
                shown += 1
                assert "no-store" in response["Cache-Control"], f"{path} as {actor} may be cached"
    assert shown > 20


@pytest.mark.django_db
def test_lobby_screens_cameras_and_other_kiosks_cannot_open_a_customers_form(client, monkeypatch,
                                                                            tmp_path):
    import json

    from branches import demo as branch_demo
    from counter.models import PrefilledForm

    _seed_demo(monkeypatch, tmp_path)
    form = next(form for form in PrefilledForm.objects.order_by("pk") if form.values)
    before = dict(form.values)
    url = f"/api/counter/forms/{form.public_id}/"
    for name, token in json.loads(branch_demo.DEMO_TOKENS_FILE.read_text()).items():
        auth = {"HTTP_AUTHORIZATION": f"Device {token}"}
        assert client.get(url, **auth).status_code == 404, name
        written = client.post(url + "draft/", {"values": {"full_name": "x"}},
                              content_type="application/json", **auth)
        assert written.status_code in (403, 404), name
    form.refresh_from_db()
    assert form.values == before
