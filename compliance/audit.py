"""The audit trail: append events in the writer's transaction, verify the hash chain."""

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from branchsvc.middleware import current_request_id
from compliance.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
_HASHED_FIELDS = (
    "seq", "created_at", "actor_id", "actor_name", "role", "device_id", "branch_code", "action",
    "object_type", "object_id", "customer_id", "before", "after", "summary", "request_id",
    "prev_hash",
)


def _canonical(value):
    """JSON-safe copy, so what is hashed is exactly what the JSON column gives back."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def event_hash(event: AuditEvent) -> str:
    content = {name: getattr(event, name) for name in _HASHED_FIELDS}
    content["created_at"] = event.created_at.isoformat()
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _role_of(actor) -> str:
    # Roles are Django groups (branches.roles); a staff member holds exactly one.
    role = actor.groups.order_by("name").values_list("name", flat=True).first()
    return role or ("superuser" if actor.is_superuser else "")


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    branch=None,
    customer=None,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    device=None,
) -> AuditEvent:
    """Append an event to the chain inside the caller's transaction.

    `branch` is a Branch or its code, `customer` a Customer or its id, `device` a Device. Pass
    masked values only: never C3 data (biometrics, passwords, one-time codes) or full C2 numbers.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor_id=actor.pk if is_person else None,
        actor_name=actor.get_username() if is_person else "",
        role=_role_of(actor) if is_person else ("device" if device is not None else "system"),
        device_id=device.pk if device is not None else None,
        branch_code=getattr(branch, "code", branch) or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        customer_id=getattr(customer, "pk", customer),
        before=_canonical(before),
        after=_canonical(after),
        summary=summary[:300],
        request_id=current_request_id() if current_request_id() != "-" else "",
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.last_seq, head.last_hash = event.seq, event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checked": self.checked, "first_bad_seq": self.first_bad_seq,
                "problem": self.problem}


def verify_chain() -> ChainReport:
    """Walk the whole chain; name the first event that was edited, deleted or moved."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for the events and the head: while tellers keep writing, an event
            # committed between reading the events and reading the head would otherwise look
            # like events deleted from the end of the chain.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _walk_chain()


def _walk_chain() -> ChainReport:
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq,
                               f"event #{expected_seq} is missing (next found is #{event.seq})")
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, event.seq,
                               f"event #{event.seq} does not follow the event before it "
                               "(deleted, inserted or reordered)")
        if event_hash(event) != event.hash:
            return ChainReport(False, checked, event.seq, f"event #{event.seq} was edited")
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return ChainReport(False, checked, checked + 1,
                           f"the chain ends at #{checked} but {head.last_seq} events were written "
                           "(events deleted from the end)")
    return ChainReport(True, checked)
