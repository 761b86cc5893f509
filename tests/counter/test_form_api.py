"""The form API used by the customer's browser, the kiosk and the teller."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from counter.models import FormSource, FormStatus, PrefilledForm
from tests.counter.schemas import GOOD_VALUES, VALID_ID
from tests.factories import make_device


@pytest.fixture
def kiosk(branch):
    device, token = make_device(branch)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


def start(client, ticket, service_type):
    response = client.post(
        reverse("counter:api-form-start"),
        {"service_type": service_type.code, "ticket": ticket.public_token},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_kiosk_starts_and_submits_a_form_for_a_ticket(kiosk, ticket, service_type):
    form = start(kiosk, ticket, service_type)
    assert form["schema_version"] == 1 and form["status"] == "draft"
    response = kiosk.post(
        reverse("counter:api-form-submit", args=[form["id"]]), {"values": GOOD_VALUES}, format="json"
    )
    assert response.status_code == 200
    saved = PrefilledForm.objects.get(public_id=form["id"])
    assert saved.source == FormSource.KIOSK and saved.status == FormStatus.SUBMITTED


@pytest.mark.parametrize(("language", "expected"), [("en", "decimal places"), ("zh-hans", "小数")])
def test_a_bad_amount_is_refused_per_field_in_the_callers_language(
    kiosk, ticket, service_type, language, expected
):
    form = start(kiosk, ticket, service_type)
    kiosk.post(
        reverse("counter:api-form-draft", args=[form["id"]]), {"values": {"full_name": "李四"}}, format="json"
    )
    response = kiosk.post(
        reverse("counter:api-form-submit", args=[form["id"]]),
        {"values": {**GOOD_VALUES, "initial_deposit": "12.345"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert expected in response.json()["errors"]["initial_deposit"][0]
    assert PrefilledForm.objects.get(public_id=form["id"]).values == {"full_name": "李四"}


def test_a_draft_reports_problems_but_keeps_what_was_typed(kiosk, ticket, service_type):
    form = start(kiosk, ticket, service_type)
    response = kiosk.post(
        reverse("counter:api-form-draft", args=[form["id"]]),
        {"values": {"id_number": VALID_ID[:-1] + "0"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "check digit" in response.json()["errors"]["id_number"][0]
    assert response.json()["form"]["values"]["id_number"] == VALID_ID[:-1] + "0"


def test_a_kiosk_of_another_branch_cannot_open_the_form(kiosk, ticket, service_type, other_branch):
    form = start(kiosk, ticket, service_type)
    _, token = make_device(other_branch)
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    assert stranger.get(reverse("counter:api-form", args=[form["id"]])).status_code == 404


def test_a_non_image_upload_is_refused(kiosk, ticket, service_type):
    form = start(kiosk, ticket, service_type)
    upload = io.BytesIO(b"<?php echo 'no'; ?>")
    upload.name = "id.jpg"
    response = kiosk.post(
        reverse("counter:api-form-photo", args=[form["id"]]),
        {"field": "id_photo", "file": upload},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "not a photo" in response.json()["errors"]["id_photo"][0]


def test_ocr_proposes_values_but_saves_none_of_them(kiosk, ticket, service_type, require_service):
    require_service("tesseract")
    from PIL import ImageDraw, ImageFont

    image = Image.new("L", (1400, 200), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 44)
    ImageDraw.Draw(image).text((30, 60), f"ID {VALID_ID}", fill=0, font=font)
    upload = io.BytesIO()
    image.save(upload, "PNG")
    upload.seek(0)
    upload.name = "id.png"
    form = start(kiosk, ticket, service_type)
    response = kiosk.post(
        reverse("counter:api-form-photo", args=[form["id"]]),
        {"field": "id_photo", "file": upload},
        format="multipart",
    )
    assert response.status_code == 201
    assert {"field": "id_number", "value": VALID_ID} in response.json()["proposals"]
    assert "id_number" not in PrefilledForm.objects.get(public_id=form["id"]).values


def test_a_signed_in_customer_starts_a_form_of_their_own(customer_user, service_type):
    client = APIClient()
    client.force_authenticate(customer_user)
    response = client.post(
        reverse("counter:api-form-start"), {"service_type": service_type.code}, format="json"
    )
    assert response.status_code == 201
    assert PrefilledForm.objects.get(public_id=response.json()["id"]).customer.user == customer_user


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/counter/forms/{public_id}/submit/" in schema
