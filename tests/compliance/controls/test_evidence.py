"""Evidence search and the bundle a regulator could read without our software."""

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.db import connection, transaction
from django.utils import timezone

from compliance import hooks
from compliance.models import AuditEvent, DisclosureScript, DisclosureScriptVersion
from compliance.services import disclosure_confirm, recording_attach

pytestmark = pytest.mark.django_db

EXPORT = "/api/compliance/evidence/export/"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5b1f6ad0000000049454e44ae426082")


@pytest.fixture
def signature_provider():
    def provider(ref):
        return [hooks.EvidenceFile(f"{ref.replace(':', '-')}/signature.png", PNG, "image/png")]

    hooks.register_evidence_provider(provider)
    yield
    hooks._evidence_providers.remove(provider)


@pytest.fixture
def documented_sale(teller, branch, customer, blocked_sale):
    ref = blocked_sale.service_record_ref
    script = DisclosureScript.objects.create(code="WEALTH_RISK", title_zh_hans="理财风险揭示",
                                             title_en="Wealth risk", service_codes=["WEALTH_PRODUCT"])
    DisclosureScriptVersion.objects.create(script=script, version=1, text_zh_hans="过往业绩不代表未来收益",
                                           text_en="Past performance does not represent future returns")
    disclosure_confirm(actor=teller, customer_id=customer.pk, branch_code=branch.code,
                       service_record_ref=ref, script_code="WEALTH_RISK", version=1)
    start = timezone.now() - dt.timedelta(minutes=20)
    recording_attach(actor=teller, customer_id=customer.pk, branch_code=branch.code,
                     service_record_ref=ref, external_id="SL-2026-0001", started_at=start,
                     ended_at=start + dt.timedelta(minutes=15))
    return ref


def export(client, **filters):
    response = client.post(EXPORT, filters, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_bundle_holds_every_piece_and_verifies(
        client_of, compliance_officer, customer, documented_sale, signature_provider):
    bundle = export(client_of(compliance_officer), customer_id=customer.pk)
    names = set(bundle.namelist())
    assert {"README.txt", "evidence.json", "summary.pdf", "chain_verification.json",
            "MANIFEST.sha256", "files/counter.ServiceRecord-1/signature.png"} <= names

    for line in bundle.read("MANIFEST.sha256").decode().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(bundle.read(name)).hexdigest() == digest, name

    evidence = json.loads(bundle.read("evidence.json"))
    assert evidence["chain_verification"]["ok"] is True
    assert json.loads(bundle.read("chain_verification.json"))["ok"] is True
    [evaluation] = evidence["evaluations"]
    assert evaluation["outcome"] == "block" and evaluation["staff"] == "teller"
    assert [r["recording_id"] for r in evidence["recordings"]] == ["SL-2026-0001"]
    assert evidence["disclosures"][0]["text_en"].startswith("Past performance")
    assert {"compliance.evaluate", "disclosure.confirm", "recording.attach"} <= {
        e["action"] for e in evidence["audit_events"]}
    pdf = bundle.read("summary.pdf")
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf and b"/Image" in pdf


@pytest.mark.skip_audit_chain_check
def test_the_bundle_reports_a_tampered_audit_trail(client_of, compliance_officer, customer,
                                                   blocked_sale):
    event = AuditEvent.objects.filter(action="compliance.evaluate").get()
    with connection.cursor() as cursor:  # someone with database access edits the trail
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: skip triggers
        cursor.execute("UPDATE compliance_auditevent SET summary = %s WHERE id = %s",
                       ["nothing happened", event.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    evidence = json.loads(export(client_of(compliance_officer)).read("evidence.json"))
    assert evidence["chain_verification"]["ok"] is False
    assert evidence["chain_verification"]["first_bad_seq"] == event.seq


def test_exporting_is_itself_audited(client_of, compliance_officer, blocked_sale):
    export(client_of(compliance_officer), branch_code="BJ901")
    event = AuditEvent.objects.filter(action="evidence.export").get()
    assert event.actor_name == "compliance" and event.after["filters"] == {"branch_code": "BJ901"}


def test_search_finds_evaluations_by_outcome_business_type_and_staff(
        client_of, compliance_officer, teller, branch, customer, blocked_sale):
    from compliance.checks import record_evaluation, run_checks
    from tests.compliance.controls.conftest import c3_facts

    with transaction.atomic():
        record_evaluation(actor=teller, branch_code=branch.code, customer_id=customer.pk,
                          service_record_ref="counter.ServiceRecord:2", service_code="CASH_DEPOSIT",
                          results=run_checks(service_code="CASH_DEPOSIT", product_risk_level=None,
                                             facts=c3_facts(amount=100)))
    client = client_of(compliance_officer)
    page = client.get("/compliance/evidence/", {"outcome": "block"})
    assert "counter.ServiceRecord:1" in page.content.decode()
    assert "counter.ServiceRecord:2" not in page.content.decode()
    page = client.get("/compliance/evidence/", {"service_code": "CASH_DEPOSIT", "staff": "teller"})
    assert "counter.ServiceRecord:2" in page.content.decode()
    assert "counter.ServiceRecord:1" not in page.content.decode()


def test_search_with_an_unknown_staff_member_says_so(client_of, compliance_officer):
    page = client_of(compliance_officer).get("/compliance/evidence/", {"staff": "nobody"})
    assert "No staff member has this user name" in page.content.decode() or \
        "没有" in page.content.decode()


def test_the_export_form_on_the_page_downloads_a_zip(client_of, compliance_officer, blocked_sale):
    response = client_of(compliance_officer).post("/compliance/evidence/export/",
                                                  {"outcome": "block"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "evidence.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_the_search_form_refreshes_only_the_results_with_htmx(client_of, compliance_officer,
                                                              blocked_sale):
    page = client_of(compliance_officer).get("/compliance/evidence/", {"outcome": "block"},
                                             HTTP_HX_REQUEST="true").content.decode()
    assert "counter.ServiceRecord:1" in page
    assert "<html" not in page
