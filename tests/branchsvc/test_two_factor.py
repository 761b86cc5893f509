import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from branches.roles import Role
from compliance.models import AuditEvent
from tests.factories import make_staff


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED_ROLES = ["compliance_officer", "branch_admin", "head_office_admin"]


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_login(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": "pw"})


def test_branch_admin_must_enrol_an_authenticator_after_the_password(client, branch):
    admin = make_staff(Role.BRANCH_ADMIN, branch)
    _password_login(client, admin)
    response = client.get("/staff/")
    assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/")
    page = client.get(response.url)
    assert b"<svg" in page.content  # the QR code to scan
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    done = client.post("/accounts/two-factor/", {"code": _code(device), "next": "/staff/"})
    assert done.status_code == 302 and done.url == "/staff/"
    assert client.get("/staff/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    events = AuditEvent.objects.filter(actor_id=admin.pk, object_type="otp_totp.totpdevice")
    assert list(events.values_list("action", flat=True)) == ["totp.enrolment_started", "totp.enrolled"]


def test_a_wrong_code_keeps_the_door_shut(client, branch):
    admin = make_staff(Role.COMPLIANCE_OFFICER, None)
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    _password_login(client, admin)
    response = client.post("/accounts/two-factor/", {"code": "000000"})
    assert response.status_code == 200
    assert client.get("/api/audit/events/").status_code == 403


def test_api_calls_before_the_second_factor_are_refused(client, branch):
    admin = make_staff(Role.HEAD_OFFICE_ADMIN, None)
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    _password_login(client, admin)
    response = client.get("/api/audit/events/")
    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"] or "双重" in response.json()["detail"]


def test_tellers_sign_in_with_a_password_alone(client, branch):
    teller = make_staff(Role.TELLER, branch)
    _password_login(client, teller)
    assert client.get("/staff/").status_code == 200


def test_the_two_factor_page_does_not_redirect_off_site(client, branch):
    admin = make_staff(Role.BRANCH_ADMIN, branch)
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    _password_login(client, admin)
    response = client.post("/accounts/two-factor/",
                           {"code": _code(device), "next": "https://evil.example/"})
    assert response.url == "/staff/"


def test_repeated_wrong_passwords_lock_the_account_at_that_address(client, branch):
    teller = make_staff(Role.TELLER, branch)
    for _ in range(5):
        client.post("/accounts/login/", {"username": teller.username, "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": teller.username, "password": "pw"})
    assert locked.status_code == 429
    assert client.get("/staff/").status_code == 302  # still signed out


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, branch):
    """The lockout counts by the address uvicorn reports (REMOTE_ADDR; it reads X-Forwarded-For
    only from FORWARDED_ALLOW_IPS): a guesser who sends a new forged header each time stays locked."""
    teller = make_staff(Role.TELLER, branch)
    for n in range(6):
        client.post("/accounts/login/", {"username": teller.username, "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    locked = client.post("/accounts/login/", {"username": teller.username, "password": "pw"},
                         HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429
