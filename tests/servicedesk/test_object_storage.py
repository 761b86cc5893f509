"""Attachments in object storage: with S3_BUCKET set, an upload lands in the bucket (every web
replica sees it, a redeploy keeps it) and the page links a signed URL the browser can open.
The S3-compatible server is moto's, started by the test on a free loopback port."""

import io
import socket
import subprocess
import sys
import time

import pytest
from django.urls import reverse
from PIL import Image

from servicedesk.models import WorkOrder

BUCKET = "branch-uploads"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_server(require_service, tmp_path):
    require_service("s3")
    port = _free_port()
    log = (tmp_path / "moto.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the local S3 server did not start: " + (tmp_path / "moto.log").read_text())
            time.sleep(0.1)  # waiting for the server process to listen, not test timing
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_server, "region_name": "us-east-1",
                    "location": "media", "addressing_style": "path", "default_acl": None,
                    "file_overwrite": False, "querystring_expire": 600}}}
    return client


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_uploaded_attachment_lands_in_the_bucket_and_its_link_opens(
        client, branch, fx_staff, customer_user, bucket, settings):
    import urllib.request

    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = _png()
    client.force_login(customer_user)
    client.post(reverse("servicedesk:my-complaint-new"), {
        "description": "存款机吞了我的钱，这是回单照片",
        "file": SimpleUploadedFile("receipt.png", photo, content_type="image/png")})
    attachment = WorkOrder.objects.get().attachments.get()

    [stored] = bucket.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert stored["Key"] == f"media/{attachment.file.name}"
    assert bucket.get_object(Bucket=BUCKET, Key=stored["Key"])["Body"].read() == photo
    assert not (settings.MEDIA_ROOT / attachment.file.name).exists()

    page = client.get(reverse("servicedesk:my-work-order", args=[attachment.work_order_id]))
    link = attachment.file.url
    assert link.startswith(f"{settings.STORAGES['default']['OPTIONS']['endpoint_url']}/{BUCKET}/media/")
    assert "Signature=" in link and "Expires=" in link
    assert link.replace("&", "&amp;") in page.content.decode()
    with urllib.request.urlopen(link, timeout=10) as response:  # noqa: S310 - the local test server
        assert response.read() == photo


def test_without_a_bucket_uploads_stay_on_the_local_disk(client, branch, fx_staff, customer_user, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    client.force_login(customer_user)
    client.post(reverse("servicedesk:my-complaint-new"), {
        "description": "存款机吞了我的钱，这是回单照片",
        "file": SimpleUploadedFile("receipt.png", _png(), content_type="image/png")})
    attachment = WorkOrder.objects.get().attachments.get()
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == _png()
