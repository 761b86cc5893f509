"""What counter gives compliance: its service records (coverage, evidence search) and their evidence."""

from __future__ import annotations

from compliance.hooks import EvidenceFile, ServiceRecordInfo


def service_records(*, start, end, branch_codes=None):
    from counter.models import ServiceRecord

    records = ServiceRecord.objects.filter(started_at__gte=start, started_at__lt=end, simulated=False)
    if branch_codes is not None:
        records = records.filter(branch__code__in=branch_codes)
    for record in records.select_related("branch", "service_type", "teller"):
        yield ServiceRecordInfo(
            ref=record.ref,
            branch_code=record.branch.code,
            service_code=record.service_type.code,
            finished_at=record.finished_at,
            product_risk_level=record.service_type.risk_level or None,
            customer_id=record.customer_id,
            staff_id=record.teller_id,
            staff_name=record.teller.get_username(),
            summary=record.get_outcome_display() or "",
        )


def evidence(ref: str):
    from counter.models import ServiceRecord

    prefix = "counter.ServiceRecord:"
    if not ref.startswith(prefix) or not ref[len(prefix) :].isdigit():
        return []
    record = ServiceRecord.objects.filter(pk=int(ref[len(prefix) :])).select_related("receipt").first()
    if record is None:
        return []
    files = []
    if record.signature_png:
        files.append(
            EvidenceFile(
                f"signatures/{record.pk}-{record.signature_sha256[:12]}.png",
                bytes(record.signature_png),
                "image/png",
            )
        )
    receipt = getattr(record, "receipt", None)
    if receipt is not None:
        files.append(EvidenceFile(f"receipts/{receipt.number}.pdf", bytes(receipt.pdf), "application/pdf"))
    return files
