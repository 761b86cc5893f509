"""The audit trail: append events in the writer's transaction, verify the hash chain."""

import functools
import hashlib
import hmac
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from compliance.models import AuditChainHead, AuditEvent
from core.middleware import current_request_id

GENESIS_HASH = "0" * 64
GLOBAL_CHAIN = ""  # events that belong to no branch
SCHEME_SHA256 = 1  # events written before the keyed chain: still verified, never written again
SCHEME_HMAC = 2
_HASHED_FIELDS = (
    "seq", "created_at", "actor_id", "actor_name", "role", "device_id", "branch_code", "action",
    "object_type", "object_id", "customer_id", "before", "after", "summary", "request_id",
    "prev_hash",
)


def _canonical(value):
    """JSON-safe copy, so what is hashed is exactly what the JSON column gives back."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _encoded(event: AuditEvent, extra: tuple[str, ...] = ()) -> bytes:
    content = {name: getattr(event, name) for name in _HASHED_FIELDS + extra}
    content["created_at"] = event.created_at.isoformat()
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_key() -> bytes:
    """The key of the chain and its checkpoints: from the settings, never from the database."""
    return settings.AUDIT_CHAIN_KEY.encode()


def event_hash(event: AuditEvent) -> str:
    if event.scheme == SCHEME_SHA256:
        return hashlib.sha256(_encoded(event)).hexdigest()
    if event.scheme == SCHEME_HMAC:
        message = _encoded(event, ("chain", "scheme"))
        return hmac.new(chain_key(), message, hashlib.sha256).hexdigest()
    raise ValueError(f"unknown audit hash scheme {event.scheme}")


def _role_of(actor, group: str | None) -> str:
    # Roles are Django groups (branches.roles); a staff member holds exactly one. `group`: the
    # first of the actor's groups by name, read with the chain's head (_locked_head).
    return group or ("superuser" if actor.is_superuser else "")


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
    branch_code = getattr(branch, "code", branch) or ""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    head_id, last_seq, last_hash, group = _locked_head(branch_code, actor.pk if is_person else None)
    event = AuditEvent(
        chain=branch_code,
        scheme=SCHEME_HMAC,
        seq=last_seq + 1,
        created_at=timezone.now(),
        actor_id=actor.pk if is_person else None,
        actor_name=actor.get_username() if is_person else "",
        role=_role_of(actor, group) if is_person else ("device" if device is not None else "system"),
        device_id=device.pk if device is not None else None,
        branch_code=branch_code,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        customer_id=getattr(customer, "pk", customer),
        before=_canonical(before),
        after=_canonical(after),
        summary=summary[:300],
        request_id=current_request_id() if current_request_id() != "-" else "",
        prev_hash=last_hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    with connection.cursor() as cursor:
        cursor.execute(_head_statements()[1], [event.seq, event.hash, head_id])
    return event


# Every audited write (each ticket issued, called, started, finished...) runs these two: as plain
# statements they cost the request a fraction of what the ORM's query building did (issue 27).
@functools.cache
def _head_statements() -> tuple[str, str]:
    """(lock the chain's head and read the actor's first group by name, update the head)."""
    head = AuditChainHead._meta.db_table
    group = Group._meta.db_table
    member = get_user_model().groups.through._meta.db_table
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = (f'SELECT h."id", h."last_seq", h."last_hash", (SELECT g."name" FROM "{group}" g '  # noqa: S608 - no input
              f'INNER JOIN "{member}" m ON m."group_id" = g."id" WHERE m."user_id" = %s '
              f'ORDER BY g."name" LIMIT 1) FROM "{head}" h WHERE h."chain" = %s{lock}')
    update = f'UPDATE "{head}" SET "last_seq" = %s, "last_hash" = %s WHERE "id" = %s'  # noqa: S608
    return select, update


def _locked_head(chain: str, actor_id: int | None) -> tuple[int, int, str, str | None]:
    """The chain's head (id, last seq, last hash), locked until the caller's transaction ends
    (appends to one chain are serial), and the actor's first group by name (their role), read
    in the same statement."""
    for attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(_head_statements()[0], [actor_id, chain])
            row = cursor.fetchone()
        if row is not None:
            return row[0], row[1], row[2], row[3]
        if attempt == 0:
            try:
                # A branch's first event: another writer may be creating the same head right now.
                with transaction.atomic():
                    AuditChainHead.objects.create(chain=chain)
            except IntegrityError:
                pass
    raise RuntimeError(f"no audit chain head {chain!r}")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    chain: str = GLOBAL_CHAIN
    chains: tuple["ChainReport", ...] = field(default=())

    def as_dict(self) -> dict:
        report = {"ok": self.ok, "checked": self.checked, "first_bad_seq": self.first_bad_seq,
                  "problem": self.problem}
        if self.chains:
            report["chains"] = {part.chain or "global": part.as_dict() for part in self.chains}
        else:
            report["chain"] = self.chain or "global"
        return report


def chain_label(chain: str) -> str:
    return f"branch {chain}" if chain else "the global chain"


def verify_chain() -> ChainReport:
    """Walk every chain against the key and the checkpoints; name the first event (per chain)
    that was edited, deleted or moved, and events missing since a checkpoint."""
    from compliance.checkpoints import read_checkpoints

    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for the events and the heads: while tellers keep writing, an event
            # committed between reading the events and reading the head would otherwise look
            # like events deleted from the end of the chain.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        checkpoints = read_checkpoints()
        walks = _walk_chains(checkpoints.pinned())
        heads = {head.chain: head for head in AuditChainHead.objects.filter()}
    names = sorted(set(walks) | set(heads) | set(checkpoints.chains()))
    parts = tuple(_chain_report(name, walks.get(name), heads.get(name), checkpoints)
                  for name in names)
    return _overall(parts, checkpoints.problem)


@dataclass
class _Walk:
    checked: int = 0
    last_hash: str = GENESIS_HASH
    bad_seq: int | None = None
    problem: str = ""
    hashes_at: dict = field(default_factory=dict)  # seq -> hash, where a checkpoint pinned one
    keyed: bool = False


def _walk_chains(pinned: dict[str, set[int]]) -> dict[str, _Walk]:
    walks: dict[str, _Walk] = {}
    events = AuditEvent.objects.order_by("chain", "seq", "id").iterator(chunk_size=2000)
    for event in events:
        walk = walks.setdefault(event.chain, _Walk())
        if not walk.problem:
            _step(walk, event, pinned.get(event.chain, ()))
    return walks


def _step(walk: _Walk, event: AuditEvent, pinned) -> None:
    expected = walk.checked + 1
    if event.seq != expected:
        walk.bad_seq, walk.problem = expected, (
            f"event #{expected} is missing (next found is #{event.seq})")
    elif event.prev_hash != walk.last_hash:
        walk.bad_seq, walk.problem = event.seq, (
            f"event #{event.seq} does not follow the event before it (deleted, inserted or "
            "reordered)")
    elif event.scheme == SCHEME_SHA256 and (event.chain or walk.keyed):
        walk.bad_seq, walk.problem = event.seq, (
            f"event #{event.seq} was edited: it was rewritten in the old unkeyed form where only "
            "keyed events can be (recomputed without the audit key)")
    elif event.scheme not in (SCHEME_SHA256, SCHEME_HMAC) or event_hash(event) != event.hash:
        walk.bad_seq, walk.problem = event.seq, (
            f"event #{event.seq} was edited: its hash does not match"
            + (" the audit key (recomputed without the key, or AUDIT_CHAIN_KEY is not the key "
               "it was written with)" if event.scheme == SCHEME_HMAC else " its content"))
    else:
        walk.checked, walk.last_hash = event.seq, event.hash
        walk.keyed = walk.keyed or event.scheme == SCHEME_HMAC
        if event.seq in pinned:
            walk.hashes_at[event.seq] = event.hash


def _chain_report(name: str, walk, head, checkpoints) -> ChainReport:
    walk = walk or _Walk()
    if walk.problem:
        return ChainReport(False, walk.checked, walk.bad_seq, walk.problem, name)
    if head is not None and (head.last_seq != walk.checked or head.last_hash != walk.last_hash):
        return ChainReport(False, walk.checked, walk.checked + 1,
                           f"the chain ends at #{walk.checked} but {head.last_seq} events were "
                           "written (events deleted from the end)", name)
    problem = checkpoints.disagreement(name, walk.checked, walk.hashes_at)
    if problem:
        seq, text = problem
        return ChainReport(False, walk.checked, seq, text, name)
    return ChainReport(True, walk.checked, chain=name)


def _overall(parts: tuple[ChainReport, ...], checkpoint_problem: str) -> ChainReport:
    checked = sum(part.checked for part in parts)
    broken = [part for part in parts if not part.ok]
    if broken:
        first = broken[0]
        problems = "; ".join(f"{chain_label(part.chain)}: {part.problem}" for part in broken)
        return ChainReport(False, checked, first.first_bad_seq, problems, first.chain, parts)
    if checkpoint_problem:
        return ChainReport(False, checked, None, checkpoint_problem, GLOBAL_CHAIN, parts)
    return ChainReport(True, checked, chains=parts)
