"""Evidence for regulators: search the trail, export a bundle readable without our software,
and the figures of the compliance dashboard."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from compliance import hooks
from compliance.audit import audit_record, verify_chain
from compliance.models import (
    AuditEvent,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    CheckRecord,
    DisclosureConfirmation,
    RecordingReference,
    RuleEvaluation,
    StepConfirmation,
)
from compliance.rules.engine import Outcome, required_rules
from compliance.rulesets import ruleset_for

EXPORT_LIMIT = 5000  # rows of each kind in one bundle; narrow the search for more


@dataclass(frozen=True)
class EvidenceFilters:
    start: datetime | None = None
    end: datetime | None = None
    branch_code: str = ""
    customer_id: int | None = None
    service_code: str = ""
    staff_id: int | None = None
    outcome: str = ""  # "pass" | "warn" | "block": any rule with that outcome

    def as_dict(self) -> dict:
        return {key: (value.isoformat() if isinstance(value, datetime) else value)
                for key, value in asdict(self).items() if value not in (None, "")}


@dataclass
class EvidenceResults:
    evaluations: QuerySet[RuleEvaluation]
    audit_events: QuerySet[AuditEvent]
    service_records: list[hooks.ServiceRecordInfo] = field(default_factory=list)


def _in_scope(queryset: QuerySet, branches: set[str] | None) -> QuerySet:
    return queryset if branches is None else queryset.filter(branch_code__in=branches)


def evidence_search(*, user, filters: EvidenceFilters) -> EvidenceResults:
    branches = hooks.branch_codes_for(user)
    evaluations = _in_scope(RuleEvaluation.objects.select_related("actor"), branches)
    events = _in_scope(AuditEvent.objects.all(), branches)
    f = filters
    if f.start:
        evaluations, events = evaluations.filter(created_at__gte=f.start), events.filter(
            created_at__gte=f.start)
    if f.end:
        evaluations, events = evaluations.filter(created_at__lt=f.end), events.filter(
            created_at__lt=f.end)
    if f.branch_code:
        evaluations = evaluations.filter(branch_code=f.branch_code)
        events = events.filter(branch_code=f.branch_code)
    if f.customer_id:
        evaluations = evaluations.filter(customer_id=f.customer_id)
        events = events.filter(customer_id=f.customer_id)
    if f.staff_id:
        evaluations = evaluations.filter(actor_id=f.staff_id)
        events = events.filter(actor_id=f.staff_id)
    if f.service_code:
        evaluations = evaluations.filter(service_code=f.service_code)
    if f.outcome:
        evaluations = evaluations.filter(checks__outcome=f.outcome).distinct()
    if f.service_code or f.outcome:
        # the audit trail knows no business type: keep the events of the matching service records
        matching = evaluations.values_list("pk", "service_record_ref")[:EXPORT_LIMIT]
        ids = [str(pk) for pk, _ref in matching]
        refs = sorted({ref for _pk, ref in matching})
        events = events.filter(Q(object_type="compliance.ruleevaluation", object_id__in=ids)
                               | Q(after__service_record__in=refs))
    # sources always get real bounds: an open search runs from the earliest possible record
    start = f.start or datetime(2000, 1, 1, tzinfo=UTC)
    end = f.end or timezone.now() + timedelta(days=1)
    records = [
        record for record in hooks.service_records(start=start, end=end, branch_codes=branches)
        if (not f.branch_code or record.branch_code == f.branch_code)
        and (not f.customer_id or record.customer_id == f.customer_id)
        and (not f.service_code or record.service_code == f.service_code)
        and (not f.staff_id or record.staff_id == f.staff_id)
    ]
    if f.outcome:
        matching = set(evaluations.values_list("service_record_ref", flat=True))
        records = [record for record in records if record.ref in matching]
    return EvidenceResults(evaluations.order_by("-created_at"), events.order_by("id"), records)


# --- the bundle ----------------------------------------------------------------------------------

def _evaluation_row(evaluation: RuleEvaluation) -> dict:
    return {
        "id": evaluation.pk, "time": evaluation.created_at.isoformat(),
        "branch": evaluation.branch_code, "service_record": evaluation.service_record_ref,
        "business_type": evaluation.service_code, "product": evaluation.product_code,
        "product_risk_level": evaluation.product_risk_level,
        "customer_id": evaluation.customer_id,
        "staff": evaluation.actor.get_username() if evaluation.actor else "",
        "outcome": evaluation.outcome, "required_rules": evaluation.required_rules,
        "results": evaluation.results,
    }


def _event_row(event: AuditEvent) -> dict:
    return {
        "chain": event.chain, "seq": event.seq, "time": event.created_at.isoformat(),
        "actor": event.actor_name,
        "role": event.role, "branch": event.branch_code, "action": event.action,
        "object": f"{event.object_type}:{event.object_id}".strip(":"),
        "customer_id": event.customer_id, "before": event.before, "after": event.after,
        "summary": event.summary, "prev_hash": event.prev_hash, "hash": event.hash,
    }


def _change_row(change: ChangeRequest) -> dict:
    from compliance.makerchecker import change_request_diff

    return {
        "id": change.pk, "kind": change.kind, "status": change.status,
        "record": f"{change.target_label}:{change.target_id}", "branch": change.branch_code,
        "customer_id": change.customer_id, "maker": change.maker.get_username(),
        "checker": change.checker.get_username() if change.checker else "",
        "reason": change.reason, "decision_note": change.decision_note,
        "requested_at": change.created_at.isoformat(),
        "decided_at": change.decided_at.isoformat() if change.decided_at else None,
        "diff": [asdict(row) for row in change_request_diff(change)],
    }


def _bundle_data(results: EvidenceResults) -> dict:
    evaluations = list(results.evaluations[:EXPORT_LIMIT])
    refs = {e.service_record_ref for e in evaluations} | {r.ref for r in results.service_records}
    customers = {e.customer_id for e in evaluations if e.customer_id} | {
        r.customer_id for r in results.service_records if r.customer_id}
    recordings = RecordingReference.objects.filter(service_record_ref__in=refs).select_related(
        "attached_by")
    confirmations = DisclosureConfirmation.objects.filter(
        service_record_ref__in=refs).select_related("script_version__script")
    changes = ChangeRequest.objects.filter(
        Q(customer_id__in=customers) | Q(kind=ChangeKind.RULE_OVERRIDE, customer_id__isnull=True)
    ).select_related("maker", "checker").order_by("created_at")
    changes = [c for c in changes if c.customer_id in customers
               or c.target_id.rpartition("#")[0] in refs]
    return {
        "evaluations": [_evaluation_row(e) for e in evaluations],
        "audit_events": [_event_row(e) for e in results.audit_events[:EXPORT_LIMIT]],
        "service_records": [
            {**asdict(r), "finished_at": r.finished_at.isoformat() if r.finished_at else None}
            for r in results.service_records[:EXPORT_LIMIT]
        ],
        "recordings": [
            {"service_record": r.service_record_ref, "recording_id": r.external_id,
             "started_at": r.started_at.isoformat(), "ended_at": r.ended_at.isoformat(),
             "seconds": r.seconds, "attached_by": r.attached_by.get_username(),
             "attached_at": r.attached_at.isoformat(), **hooks.recording_details(r.external_id)}
            for r in recordings
        ],
        "disclosures": [
            {"service_record": c.service_record_ref, "script": c.script_version.script.code,
             "version": c.script_version.version, "confirmed_at": c.confirmed_at.isoformat(),
             "text_zh_hans": c.script_version.text_zh_hans, "text_en": c.script_version.text_en}
            for c in confirmations
        ],
        "steps": [
            {"service_record": c.service_record_ref, "step": c.step, "answers": c.answers,
             "confirmed_at": c.confirmed_at.isoformat(),
             "confirmed_by": c.confirmed_by.get_username() if c.confirmed_by else ""}
            for c in StepConfirmation.objects.filter(service_record_ref__in=refs)
            .select_related("confirmed_by").order_by("confirmed_at")
        ],
        "change_requests": [_change_row(c) for c in changes],
    }, sorted(refs)


README = """Evidence bundle / 合规证据包

evidence.json            every record below, machine-readable (UTF-8 JSON)
summary.pdf              the same, readable summary (PDF)
chain_verification.json  result of re-computing the audit trail's hash chain at export time
files/                   signature images, receipts and other files of the service records
MANIFEST.sha256          SHA-256 of every file in this bundle (sha256sum -c MANIFEST.sha256)

Each audit event's "hash" is SHA-256 over its content and "prev_hash" (the previous event's hash),
so an edited, deleted or reordered event breaks the chain.
"""


def evidence_bundle(*, user, filters: EvidenceFilters) -> bytes:
    """Build the ZIP and record the export in the audit trail."""
    from compliance.evidence_pdf import summary_pdf

    results = evidence_search(user=user, filters=filters)
    data, refs = _bundle_data(results)
    chain = verify_chain().as_dict()
    attachments = [file for ref in refs for file in hooks.evidence_files(ref)]
    document = {
        "generated_at": timezone.now().isoformat(),
        "generated_by": user.get_username(),
        "filters": filters.as_dict(),
        "chain_verification": chain,
        **data,
        "files": [{"name": f"files/{a.name}", "content_type": a.content_type,
                   "sha256": hashlib.sha256(a.content).hexdigest()} for a in attachments],
    }
    contents = {
        "README.txt": README.encode(),
        "evidence.json": json.dumps(document, ensure_ascii=False, indent=2, default=str).encode(),
        "chain_verification.json": json.dumps(chain, indent=2).encode(),
        "summary.pdf": summary_pdf(document, [(f"files/{a.name}", a.content) for a in attachments
                                              if a.content_type.startswith("image/")]),
        **{f"files/{a.name}": a.content for a in attachments},
    }
    manifest = "".join(f"{hashlib.sha256(body).hexdigest()}  {name}\n"
                       for name, body in contents.items())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, body in contents.items():
            bundle.writestr(name, body)
        bundle.writestr("MANIFEST.sha256", manifest)
    with transaction.atomic():
        audit_record(actor=user, action="evidence.export", branch=filters.branch_code,
                     customer=filters.customer_id,
                     after={"filters": filters.as_dict(), "evaluations": len(data["evaluations"]),
                            "audit_events": len(data["audit_events"]), "chain_ok": chain["ok"]},
                     summary="evidence bundle exported")
    return buffer.getvalue()


# --- dashboard -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PendingApproval:
    change: ChangeRequest
    age_hours: float


@dataclass
class DashboardFigures:
    evaluations: int
    checks_run: int
    blocks: int
    warnings: int
    overrides: int
    pending: list[PendingApproval]
    records: int
    covered: int
    uncovered_refs: list[str]
    by_rule: list[dict]

    @property
    def coverage(self) -> float | None:
        """Share of service records that ran every rule their service requires (target 1.0)."""
        return self.covered / self.records if self.records else None


def dashboard_figures(*, user, start: datetime, end: datetime) -> DashboardFigures:
    branches = hooks.branch_codes_for(user)
    evaluations = _in_scope(RuleEvaluation.objects.filter(created_at__gte=start,
                                                          created_at__lt=end), branches)
    checks = CheckRecord.objects.filter(evaluation__in=evaluations)
    totals = checks.aggregate(
        run=Count("id"), blocks=Count("id", filter=Q(outcome=Outcome.BLOCK)),
        warnings=Count("id", filter=Q(outcome=Outcome.WARN)))
    by_rule = list(checks.values("rule").order_by("rule").annotate(
        run=Count("id"), blocks=Count("id", filter=Q(outcome=Outcome.BLOCK)),
        warnings=Count("id", filter=Q(outcome=Outcome.WARN))))
    changes = _in_scope(ChangeRequest.objects.select_related("maker"), branches)
    overrides = changes.filter(kind=ChangeKind.RULE_OVERRIDE, status=ChangeStatus.APPROVED,
                               decided_at__gte=start, decided_at__lt=end).count()
    now = timezone.now()
    pending = [PendingApproval(c, (now - c.created_at).total_seconds() / 3600)
               for c in changes.filter(status=ChangeStatus.PENDING).order_by("created_at")]
    records = hooks.service_records(start=start, end=end, branch_codes=branches)
    uncovered = uncovered_records(records)
    return DashboardFigures(
        evaluations=evaluations.count(), checks_run=totals["run"], blocks=totals["blocks"],
        warnings=totals["warnings"], overrides=overrides, pending=pending,
        records=len(records), covered=len(records) - len(uncovered),
        uncovered_refs=[record.ref for record in uncovered], by_rule=by_rule,
    )


def uncovered_records(records: Iterable[hooks.ServiceRecordInfo]) -> list[hooks.ServiceRecordInfo]:
    """Service records that did not run every rule their service requires."""
    records = list(records)
    ran: dict[str, set[str]] = {}
    rows = CheckRecord.objects.filter(
        evaluation__service_record_ref__in=[record.ref for record in records]
    ).values_list("evaluation__service_record_ref", "rule")
    for ref, rule in rows:
        ran.setdefault(ref, set()).add(rule)
    rulesets: dict[tuple, object] = {}
    missing = []
    for record in records:
        key = (record.branch_code, record.service_code, record.product_code)
        if key not in rulesets:
            rulesets[key] = ruleset_for(branch_code=key[0], service_code=key[1],
                                        product_code=key[2])
        required = set(required_rules(service_code=record.service_code,
                                      product_risk_level=record.product_risk_level,
                                      config=rulesets[key]))
        if not required <= ran.get(record.ref, set()):
            missing.append(record)
    return missing
