"""Signed checkpoints of the audit chains' heads, kept outside the database.

Someone who can write the database but does not hold AUDIT_CHAIN_KEY can empty the audit tables,
or cut events off the end of a chain and rewrite its head to match; the chain itself then looks
whole. Each checkpoint records every chain's length and head hash at a moment, signed with the
key, in an append-only JSON-lines file (AUDIT_CHECKPOINT_DIR) that the database's administrators
cannot write. `audit_verify` then reports a chain shorter than a checkpoint, or one whose event at
a checkpointed position has another hash, by name. Checkpoints are written by Celery beat every
AUDIT_CHECKPOINT_SECONDS and by `manage.py audit_checkpoint`; events written after the last
checkpoint are protected by the key only.
"""

import fcntl
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from compliance.audit import chain_key, chain_label
from compliance.models import AuditChainHead

VERSION = 1


def checkpoint_path() -> Path:
    """One file per database (its host and name), so a demo or CI database created afresh under
    another name does not meet the checkpoints of an earlier one."""
    database = connection.settings_dict
    parts = [database.get("HOST") or "local", str(database.get("PORT") or ""),
             Path(str(database["NAME"])).stem]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(parts))
    return Path(settings.AUDIT_CHECKPOINT_DIR) / f"checkpoints-{name}.jsonl"


def key_id() -> str:
    """Names the key without revealing it, so a checkpoint says which key signed it."""
    return hmac.new(chain_key(), b"audit-key-id", hashlib.sha256).hexdigest()[:16]


def _signature(entry: dict) -> str:
    unsigned = {name: value for name, value in entry.items() if name != "sig"}
    message = json.dumps(unsigned, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(chain_key(), message.encode(), hashlib.sha256).hexdigest()


def _heads() -> dict[str, list]:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return {head.chain: [head.last_seq, head.last_hash]
                for head in AuditChainHead.objects.order_by("chain")}


def audit_checkpoint() -> dict:
    """Append one signed checkpoint of every chain's head; returns the entry written."""
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # beat and the command may write at the same moment
        file.seek(0)
        lines = file.read().splitlines()
        previous = json.loads(lines[-1]).get("sig", "") if lines else ""
        entry = {"v": VERSION, "at": timezone.now().isoformat(), "key_id": key_id(),
                 "prev": previous, "chains": _heads()}
        entry["sig"] = _signature(entry)
        file.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
        file.flush()
    return entry


@dataclass
class Checkpoints:
    entries: list[dict] = field(default_factory=list)  # the well-signed ones, oldest first
    problem: str = ""  # what is wrong with the file itself

    def chains(self) -> set[str]:
        return {name for entry in self.entries for name in entry["chains"]}

    def pinned(self) -> dict[str, set[int]]:
        """For each chain, the positions whose hash some checkpoint recorded."""
        positions: dict[str, set[int]] = {}
        for entry in self.entries:
            for name, (seq, _hash) in entry["chains"].items():
                positions.setdefault(name, set()).add(seq)
        return positions

    def disagreement(self, chain: str, length: int, hashes_at: dict) -> tuple[int, str] | None:
        """The first checkpoint this chain contradicts, as (position, what is wrong)."""
        for entry in self.entries:
            recorded = entry["chains"].get(chain)
            if recorded is None or recorded[0] == 0:
                continue
            seq, expected = recorded
            when = entry["at"][:19].replace("T", " ")
            if length == 0:
                return 1, (f"the chain is empty but the checkpoint of {when} UTC recorded {seq} "
                           "events: the audit events were removed (truncated)")
            if length < seq:
                return length + 1, (
                    f"the chain ends at #{length} but the checkpoint of {when} UTC recorded "
                    f"#{seq}: events were deleted from the end and the head rewritten")
            if hashes_at.get(seq) != expected:
                return seq, (f"event #{seq} differs from the checkpoint of {when} UTC: events "
                             "were edited and the chain recomputed")
        return None


def read_checkpoints() -> Checkpoints:
    path = checkpoint_path()
    if not path.exists():
        return Checkpoints()
    found, problems, previous = Checkpoints(), [], ""
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            problem = _line_problem(line, previous)
            if problem:
                problems.append(f"checkpoint line {number}: {problem}")
                continue
            entry = json.loads(line)
            found.entries.append(entry)
            previous = entry["sig"]
    found.problem = "; ".join(problems[:3])
    return found


def _line_problem(line: str, previous: str) -> str:
    try:
        entry = json.loads(line)
        chains = entry["chains"]
        assert isinstance(chains, dict) and all(len(head) == 2 for head in chains.values())
    except (ValueError, KeyError, TypeError, AssertionError):
        return "unreadable"
    if entry.get("key_id") != key_id():
        return (f"signed with another key ({entry.get('key_id')}); AUDIT_CHAIN_KEY is not the "
                "key of this audit trail")
    if not hmac.compare_digest(str(entry.get("sig", "")), _signature(entry)):
        return "its signature does not match (the checkpoint file was edited)"
    if entry.get("prev") != previous:
        return "does not follow the line before it (checkpoints removed or reordered)"
    return ""


def describe(entry: dict) -> str:
    return ", ".join(f"{chain_label(name)} #{seq}" for name, (seq, _hash) in
                     sorted(entry["chains"].items())) or "no events yet"
