"""Every upload endpoint refuses what is not what it claims to be: a PDF renamed .jpg, a file over
the size limit, a decompression bomb (a few kB of PNG that opens as 20000x20000 pixels) and
corrupt bytes. Each gets a 4xx with a message saying why, and nothing is stored."""

import functools
import io
import json
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from branches.models import FormSchema
from compliance.models import AuditEvent
from counter.models import FormAttachment
from customers.models import FaceEnrolment
from knowledge.models import Article, ArticleVersion
from knowledge.models import Attachment as KnowledgeAttachment
from knowledge.services import Content, article_create, version_approve, version_submit
from knowledge.services.imports import category_for
from servicedesk.models import Attachment as WorkOrderAttachment
from servicedesk.models import WorkOrder
from tests.counter.schemas import ACCOUNT_OPENING
from tests.factories import make_customer, make_device, make_service_type
from tests.knowledge.import_files import zipped


def _bomb_png(side: int = 20_000) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = zlib.compress((b"\0" + b"\0" * (side // 8)) * side, 9)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


BAD_FILES = {
    "pdf_named_jpg": ("photo.jpg", b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "image/jpeg"),
    "oversized": ("big.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (11 * 1024 * 1024), "image/jpeg"),
    "bomb": ("bomb.png", _bomb_png(), "image/png"),
    "corrupt": ("broken.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image/png"),
}


def _upload(kind: str) -> SimpleUploadedFile:
    name, data, content_type = BAD_FILES[kind]
    return SimpleUploadedFile(name, data, content_type=content_type)


def _message(response) -> str:
    return response.content.decode("utf-8", "replace")


def test_the_bomb_is_small_on_disk():
    assert len(BAD_FILES["bomb"][1]) < 200_000


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_kiosk_form_photo_is_refused(kind, branch, clock):
    from queueing import services as queue

    service = make_service_type("account_open", complexity="complex", target_minutes=15,
                                zone_kind="non_cash")
    FormSchema.objects.create(service_type=service, version=1, fields=ACCOUNT_OPENING)
    ticket = queue.ticket_issue(issue=queue.IssueRequest(branch=branch, service_type=service, source="kiosk",
                                                         customer=make_customer(branch=branch)))
    kiosk = APIClient()
    kiosk.credentials(HTTP_AUTHORIZATION=f"Device {make_device(branch, 'kiosk')[1]}")
    form = kiosk.post("/api/counter/forms/", {"service_type": service.code,
                                             "ticket": ticket.public_token}, format="json").json()
    response = kiosk.post(f"/api/counter/forms/{form['id']}/photos/",
                          {"field": "id_photo", "file": _upload(kind)}, format="multipart",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"]["id_photo"][0]
    assert not FormAttachment.objects.exists()


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_face_enrolment_photo_is_refused(kind, client, teller, branch):
    customer = make_customer(branch=branch)
    client.force_login(teller)
    response = client.post(f"/api/face/customers/{customer.pk}/enrol/",
                           {"photos": [_upload(kind)], "source": "counter_webcam",
                            "consent_captured": True}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"]["photos"]
    assert not FaceEnrolment.objects.exists()


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_complaint_attachment_is_refused(kind, client, branch, customer_user):
    client.force_login(customer_user)
    response = client.post("/sd/my/new/", {"description": "存款机吞了我的钱，这是回单照片",
                                           "file": _upload(kind)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "file" in _message(response).lower()
    assert not WorkOrder.objects.exists() and not WorkOrderAttachment.objects.exists()


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_knowledge_attachment_is_refused(kind, client, department_staff, compliance_officer):
    category = category_for("faq", "")
    version = article_create(actor=department_staff, slug="fees", category=category, service_types=(),
                             content=Content(title="收费标准", body="补卡工本费5元。", card="", tags=()))
    version_submit(actor=department_staff, version=version)
    version_approve(actor=compliance_officer, version=version)
    client.force_login(department_staff)
    response = client.post("/knowledge/a/fees/edit/", {
        "category": category.pk, "language": "zh-hans", "audience": "public", "title": "收费标准",
        "body": "补卡工本费10元。", "attachment": _upload(kind)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not KnowledgeAttachment.objects.exists()


# --- knowledge imports: the upload of a kb_export file (page and API) --------------------------

KB_ROW = json.dumps({"slug": "fees", "title": "收费标准", "body": "补卡工本费5元。", "category": "faq",
                     "tags": [], "language": "zh-hans"}, ensure_ascii=False).encode() + b"\n"


@functools.cache
def _zip_bomb() -> bytes:
    """About 300 kB that inflates to 300 MB of JSON-looking spaces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("kb.jsonl", "w", force_zip64=True) as member:
            member.write(KB_ROW)
            block = b" " * (1024 * 1024)
            for _ in range(300):
                member.write(block)
    return buffer.getvalue()


def _lying_zip() -> bytes:
    """A member whose headers declare 100 bytes but whose data inflates to 2 MB."""
    data = bytearray(zipped({"kb.jsonl": KB_ROW + b" " * 2 * 1024 * 1024}))
    real = struct.pack("<I", len(KB_ROW) + 2 * 1024 * 1024)
    for start in [i for i in range(len(data) - 3) if data[i:i + 4] == real]:
        data[start:start + 4] = struct.pack("<I", 100)
    return bytes(data)


BAD_IMPORTS = {  # kind: (file, what the refusal says)
    "pdf_named_json": (lambda: ("kb.json", BAD_FILES["pdf_named_jpg"][1]), "its content is a PDF file"),
    "png_named_jsonl": (lambda: ("kb.jsonl", BAD_FILES["corrupt"][1]), "its content is a PNG file"),
    "oversized": (lambda: ("kb.jsonl", KB_ROW + b" " * (5 * 1024 * 1024)), "larger than 5 MB"),
    "zip_bomb": (lambda: ("kb.zip", _zip_bomb()), "expands to more than 5 MB"),
    "lying_zip": (lambda: ("kb.zip", _lying_zip()), "damaged"),
    "corrupt_zip": (lambda: ("kb.zip", b"PK\x03\x04" + bytes(range(256)) * 8), "damaged"),
    "not_a_zip": (lambda: ("kb.zip", BAD_FILES["corrupt"][1]), "not a zip archive"),
    "traversal": (lambda: ("kb.zip", zipped({"../../etc/cron.d/kb.jsonl": KB_ROW})), "outside its folder"),
    "absolute_path": (lambda: ("kb.zip", zipped({"/tmp/kb.jsonl": KB_ROW})), "outside its folder"),
    "zip_of_pdf": (lambda: ("kb.zip", zipped({"kb.jsonl": BAD_FILES["pdf_named_jpg"][1]})), "PDF"),
    "gbk_text": (lambda: ("kb.jsonl", KB_ROW + "银行卡挂失".encode("gbk")), "not UTF-8 text: line 2"),
}


def test_the_zip_bomb_is_small_on_disk():
    assert len(_zip_bomb()) < 400_000
    with zipfile.ZipFile(io.BytesIO(_zip_bomb())) as archive:
        assert archive.infolist()[0].file_size > 300 * 1024 * 1024


def _nothing_imported() -> bool:
    return not (Article.objects.exists() or ArticleVersion.objects.exists()
                or AuditEvent.objects.filter(action__startswith="knowledge.").exists())


@pytest.mark.parametrize("kind", BAD_IMPORTS)
def test_a_knowledge_import_is_refused_by_the_api(kind, client, department_staff):
    make_file, says = BAD_IMPORTS[kind]
    name, data = make_file()
    client.force_login(department_staff)
    response = client.post("/api/knowledge/imports", {"file": SimpleUploadedFile(name, data)},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert says in response.json()["errors"]["file"][0]
    assert _nothing_imported()


@pytest.mark.parametrize("kind", BAD_IMPORTS)
def test_a_knowledge_import_is_refused_by_the_page(kind, client, department_staff):
    make_file, says = BAD_IMPORTS[kind]
    name, data = make_file()
    client.force_login(department_staff)
    response = client.post("/knowledge/import/", {"file": SimpleUploadedFile(name, data),
                                                  "action": "import"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert says in _message(response)
    assert _nothing_imported()
