"""A customer fills the service's form from their ticket's link, on their phone."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from counter.models import FormStatus, PrefilledForm
from tests.counter.schemas import GOOD_VALUES, VALID_ID


def start_form(client, ticket):
    response = client.post(reverse("counter:ticket-form-start", args=[ticket.public_token]))
    assert response.status_code == 302
    return PrefilledForm.objects.get(ticket=ticket), response["Location"]


def test_the_ticket_page_offers_to_fill_the_form_while_waiting(client, ticket):
    response = client.get(reverse("counter:ticket-home", args=[ticket.public_token]))
    assert "填写" in response.content.decode()


def test_a_customer_submits_a_complete_form(client, ticket):
    form, url = start_form(client, ticket)
    response = client.post(url, {**GOOD_VALUES, "action": "submit"})
    assert response.status_code == 200
    form.refresh_from_db()
    assert form.status == FormStatus.SUBMITTED
    assert form.values["initial_deposit"] == "1000.50"
    assert form.branch == ticket.branch and form.customer == ticket.customer


def test_a_draft_can_be_resumed(client, ticket):
    form, url = start_form(client, ticket)
    client.post(url, {"full_name": "张三丰", "action": "draft"})
    response = client.get(url)
    assert 'value="张三丰"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "id_message", "money_message"),
    [
        ("zh-hans", "校验", "小数"),
        ("en", "check digit", "decimal places"),
    ],
)
def test_invalid_id_card_and_money_are_explained_per_field_and_the_draft_is_kept(
    client, ticket, language, id_message, money_message
):
    client.cookies["django_language"] = language
    form, url = start_form(client, ticket)
    client.post(url, {"full_name": "张三丰", "mobile": "13812345678", "action": "draft"})
    bad = {
        **GOOD_VALUES,
        "id_number": VALID_ID[:-1] + "1",
        "initial_deposit": "100.555",
        "existing_card": "6222021234567890123",
        "action": "submit",
    }
    response = client.post(url, bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert id_message in page and money_message in page
    assert 'value="100.555"' in page  # what was typed stays on the page
    form.refresh_from_db()
    assert form.status == FormStatus.DRAFT
    assert form.values == {"full_name": "张三丰", "mobile": "13812345678"}


def image_bytes(fmt="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"MZ\x90\x00 not an image", "JPEG"),
        (image_bytes("PNG", (3000, 3000)) + b"\x00" * 6_000_000, "MB"),
    ],
)
def test_a_bad_upload_is_refused_with_a_field_error(client, ticket, upload, message):
    client.cookies["django_language"] = "en"
    form, _ = start_form(client, ticket)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("counter:ticket-form-photo", args=[ticket.public_token, form.public_id]),
        {"field": "id_photo", "file": SimpleUploadedFile("id.jpg", upload)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    form.refresh_from_db()
    assert "id_photo" not in form.values


def test_a_good_photo_is_attached_to_the_form(client, ticket):
    form, _ = start_form(client, ticket)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("counter:ticket-form-photo", args=[ticket.public_token, form.public_id]),
        {"field": "id_photo", "file": SimpleUploadedFile("id.png", image_bytes())},
    )
    assert response.status_code == 200
    form.refresh_from_db()
    assert len(form.values["id_photo"]["sha256"]) == 64


def test_a_form_link_with_another_tickets_token_is_not_found(client, ticket, branch, service_type):
    from tests.counter.conftest import make_ticket

    form, _ = start_form(client, ticket)
    other = make_ticket(branch, service_type, number="B002")
    response = client.get(reverse("counter:ticket-form", args=[other.public_token, form.public_id]))
    assert response.status_code == 404


def test_ocr_proposals_are_offered_on_the_page_and_not_saved(client, ticket, require_service):
    require_service("tesseract")
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import ImageDraw, ImageFont

    image = Image.new("L", (1400, 200), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 44)
    ImageDraw.Draw(image).text((30, 60), f"ID {VALID_ID}", fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    form, _ = start_form(client, ticket)
    response = client.post(
        reverse("counter:ticket-form-photo", args=[ticket.public_token, form.public_id]),
        {"field": "id_photo", "file": SimpleUploadedFile("id.png", buffer.getvalue())},
    )
    assert f'data-accept-for="id_number" data-value="{VALID_ID}"' in response.content.decode()
    form.refresh_from_db()
    assert "id_number" not in form.values
