"""Staff enrol a consenting customer's face from 1–3 photos; only encrypted encodings are kept."""

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from branches.roles import Role
from compliance.models import AuditEvent
from customers.face import engine, frames, services
from customers.face.gallery import encodings_from_bytes
from customers.models import Consent, FaceEnrolment
from customers.services import consent_withdraw
from tests.customers.face.camera import photo_bytes
from tests.customers.face.conftest import enrol
from tests.factories import make_customer

pytestmark = pytest.mark.usefixtures("faces")


def upload(*names_or_bytes):
    return [SimpleUploadedFile(f"p{i}.jpg", item if isinstance(item, bytes) else photo_bytes(item),
                               "image/jpeg") for i, item in enumerate(names_or_bytes)]


def enrol_by_api(client, customer, photos, *, consent=True, source="counter_webcam"):
    return client.post(reverse("api-face-enrol", args=[customer.pk]),
                       {"photos": photos, "source": source, "consent_captured": consent})


@pytest.fixture
def customer(branch):
    return make_customer(branch=branch, name="王建国")


def test_teller_enrols_a_consenting_customer_from_two_photos(client, teller, customer, branch):
    client.force_login(teller)
    response = enrol_by_api(client, customer, upload("obama.jpg", "obama2.jpg"))
    assert response.status_code == 201
    assert response.json()["photos"] == 2 and response.json()["branch"] == branch.code
    consent = Consent.objects.get(customer=customer, kind=Consent.Kind.FACE)
    assert consent.text_version == services.FACE_CONSENT_VERSION
    assert consent.captured_by == teller and consent.granted_at is not None
    enrolment = FaceEnrolment.objects.get(customer=customer)
    assert enrolment.branch == branch and enrolment.consent == consent
    assert encodings_from_bytes(enrolment.encodings).shape == (2, engine.ENCODING_SIZE)
    assert AuditEvent.objects.filter(action="face.enrol", customer_id=customer.pk).exists()


def test_the_status_shows_consent_and_enrolment_but_no_biometric_data(client, teller, customer):
    client.force_login(teller)
    enrol_by_api(client, customer, upload("obama.jpg"))
    body = client.get(reverse("api-face-status", args=[customer.pk])).json()
    assert body["consent_active"] and body["enrolments"][0]["photos"] == 1
    assert "encoding" not in str(body)


def test_encodings_are_unreadable_in_the_raw_database_column(teller, customer, branch):
    enrolment = enrol(customer, branch, "obama.jpg", actor=teller)
    with connection.cursor() as cursor:
        cursor.execute("SELECT encodings FROM customers_faceenrolment WHERE id = %s", [enrolment.pk])
        raw = bytes(cursor.fetchone()[0])
    clear = enrolment.encodings
    assert len(clear) == 512 and clear not in raw and clear[:64] not in raw
    assert raw.startswith(b"gAAAAA")  # a Fernet token, not floats
    with pytest.raises(ValueError):
        np.frombuffer(raw, dtype="<f4").reshape(-1, engine.ENCODING_SIZE)


def test_enrolment_without_consent_is_refused_and_stores_nothing(client, teller, customer):
    client.force_login(teller)
    response = enrol_by_api(client, customer, upload("obama.jpg"), consent=False)
    assert response.status_code == 400 and "consent" in response.json()["errors"]
    assert not FaceEnrolment.objects.exists()


def test_a_photo_without_a_face_is_refused(client, teller, customer):
    client.force_login(teller)
    blank = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 180, 160)).save(blank, "JPEG")
    response = enrol_by_api(client, customer, upload(blank.getvalue()))
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == ["Photo 1: no face was found."]
    assert not FaceEnrolment.objects.exists() and not Consent.objects.exists()


def test_photos_of_two_people_are_refused(client, teller, customer):
    client.force_login(teller)
    response = enrol_by_api(client, customer, upload("obama.jpg", "biden.jpg"))
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == ["The photos do not show the same person."]


# Built when the test runs, not at collection: without the shared photos the module must skip.
@pytest.mark.parametrize(("make_data", "reason"), [
    (lambda: b"GIF89a" + b"\0" * 200, "Only JPEG and PNG images are accepted."),
    (lambda: photo_bytes("obama.jpg")[:5000], "The image is damaged and cannot be read."),
    (lambda: b"\xff\xd8\xff" + b"\0" * (frames.PHOTO_LIMITS.max_bytes + 10), "The image is too large."),
], ids=["gif", "truncated_jpeg", "oversized"])
def test_corrupt_or_oversized_uploads_get_a_clear_400(client, teller, customer, make_data, reason):
    client.force_login(teller)
    response = enrol_by_api(client, customer, upload(make_data()))
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == [f"Image 1: {reason}"]
    assert not FaceEnrolment.objects.exists()


def test_four_photos_are_too_many(client, teller, customer):
    client.force_login(teller)
    response = enrol_by_api(client, customer, upload(*["obama.jpg"] * 4))
    assert response.status_code == 400 and not FaceEnrolment.objects.exists()


def test_photos_never_touch_the_disk(client, teller, customer, settings, monkeypatch):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django would spool these photos to a temp file
    monkeypatch.setattr("django.core.files.uploadedfile.TemporaryUploadedFile.__init__",
                        lambda *args, **kwargs: pytest.fail("a photo was written to a temp file"))
    client.force_login(teller)
    assert enrol_by_api(client, customer, upload("obama.jpg")).status_code == 201
    response = client.post(reverse("face-enrol", args=[customer.pk]),
                           {"photos": upload("obama2.jpg"), "source": "upload",
                            "consent_captured": "on"})
    assert response.status_code == 302


def test_staff_page_enrols_with_the_consent_box_ticked(client, teller, customer):
    client.force_login(teller)
    page = client.get(reverse("face-customer", args=[customer.pk]))
    assert page.status_code == 200 and "王**" in page.content.decode()
    assert "王建国" not in page.content.decode()
    response = client.post(reverse("face-enrol", args=[customer.pk]),
                           {"photos": upload("obama.jpg"), "source": "upload",
                            "consent_captured": "on"}, follow=True)
    assert "Face enrolled. The photos were not kept." in response.content.decode()
    assert FaceEnrolment.objects.filter(customer=customer).count() == 1


def test_staff_page_shows_why_a_photo_was_refused(client, teller, customer):
    client.force_login(teller)
    response = client.post(reverse("face-enrol", args=[customer.pk]),
                           {"photos": upload(b"not a photo"), "source": "upload",
                            "consent_captured": "on"})
    assert response.status_code == 400
    assert "Only JPEG and PNG images are accepted." in response.content.decode()


def test_withdrawing_on_the_page_deletes_the_encodings(client, teller, customer, branch):
    enrol(customer, branch, "obama.jpg", actor=teller)
    client.force_login(teller)
    response = client.post(reverse("face-withdraw", args=[customer.pk]), follow=True)
    assert "the face data was deleted" in response.content.decode()
    assert not FaceEnrolment.objects.exists()
    assert Consent.objects.get(customer=customer).withdrawn_at is not None


def test_withdrawing_the_consent_anywhere_deletes_the_encodings(teller, customer, branch,
                                                                django_capture_on_commit_callbacks):
    enrol(customer, branch, "obama.jpg", actor=teller)
    consent_withdraw(actor=teller, customer=customer, kind=Consent.Kind.FACE)
    assert not FaceEnrolment.objects.exists()
    assert AuditEvent.objects.filter(action="face.erase", customer_id=customer.pk).exists()


def test_reenrolling_replaces_the_encodings(teller, customer, branch):
    enrol(customer, branch, "obama.jpg", actor=teller)
    enrol(customer, branch, "obama.jpg", "obama2.jpg", actor=teller)
    assert FaceEnrolment.objects.get(customer=customer).photo_count == 2


def test_a_customer_of_another_branch_cannot_be_enrolled(client, teller, other_branch):
    stranger = make_customer(branch=other_branch)
    client.force_login(teller)
    assert enrol_by_api(client, stranger, upload("obama.jpg")).status_code == 404
    assert not FaceEnrolment.objects.exists()


@pytest.mark.parametrize("role", [Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER,
                                  Role.BRANCH_ADMIN, Role.COMPLIANCE_OFFICER,
                                  Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD,
                                  Role.HEAD_OFFICE_ADMIN, Role.CUSTOMER, None])
def test_who_may_see_a_customers_face_status(client, users_by_role, customer, role):
    user = users_by_role[role]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("api-face-status", args=[customer.pk]))
    allowed = role in (Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN)
    assert response.status_code == (200 if allowed else 401 if user is None else 403)


def test_the_consent_text_is_served_to_staff_and_devices(client, teller, kiosk):
    assert client.get(reverse("api-face-consent")).status_code in (401, 403)
    response = client.get(reverse("api-face-consent"), HTTP_AUTHORIZATION=f"Device {kiosk[1]}")
    assert response.json()["version"] == services.FACE_CONSENT_VERSION
    client.force_login(teller)
    assert "never used to identify me" in client.get(reverse("api-face-consent")).json()["text"]


def test_face_enrolments_are_not_in_the_admin():
    from django.contrib import admin

    assert FaceEnrolment not in admin.site._registry
