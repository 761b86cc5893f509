"""A database administrator without AUDIT_CHAIN_KEY tampers with the audit trail; audit_verify
names each attack, per branch chain, from the keyed chain and the signed checkpoints."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from compliance.audit import _encoded, audit_record, event_hash, verify_chain
from compliance.checkpoints import audit_checkpoint, checkpoint_path, read_checkpoints
from compliance.models import AuditChainHead, AuditEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.skip_audit_chain_check]


def _record(n: int, branch="BJ901") -> list[AuditEvent]:
    events = []
    for index in range(n):
        with transaction.atomic():
            events.append(audit_record(actor=None, action="test.event", branch=branch,
                                       after={"index": index}))
    return events


def _sql(statement: str, params=()) -> None:
    """As the database's administrator: on PostgreSQL a superuser who switches triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _verify_fails(match: str) -> str:
    with pytest.raises(CommandError, match=match) as error:
        call_command("audit_verify")
    return str(error.value)


def test_chains_are_per_branch_and_keyed():
    bj, sh, none = _record(2, "BJ901"), _record(3, "SH902"), _record(1, None)
    assert [event.seq for event in bj + sh + none] == [1, 2, 1, 2, 3, 1]
    assert {event.chain for event in none} == {""}
    assert {event.scheme for event in bj + sh + none} == {2}
    report = verify_chain()
    assert report.ok and report.checked == 6
    assert {part.chain: part.checked for part in report.chains} == {"": 1, "BJ901": 2, "SH902": 3}
    assert AuditChainHead.objects.get(chain="SH902").last_hash == sh[-1].hash


def test_an_emptied_trail_is_reported_as_truncated():
    _record(3)
    audit_checkpoint()
    if connection.vendor == "postgresql":
        _sql("TRUNCATE compliance_auditevent, compliance_auditchainhead")
    else:
        _sql("DELETE FROM compliance_auditevent")
        _sql("DELETE FROM compliance_auditchainhead")
    message = _verify_fails("truncated")
    assert "branch BJ901" in message and "recorded 3 events" in message


def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_reported():
    events = _record(4)
    audit_checkpoint()
    # Recompute the chain from the edited event on, the only way open without the key: plain
    # SHA-256 (the old scheme) over the same content.
    previous = events[0].hash
    for event in AuditEvent.objects.filter(chain="BJ901", seq__gte=2).order_by("seq"):
        event.summary = "edited" if event.seq == 2 else event.summary
        event.prev_hash, event.scheme = previous, 1
        event.hash = hashlib.sha256(_encoded(event)).hexdigest()
        _sql("UPDATE compliance_auditevent SET summary=%s, prev_hash=%s, scheme=1, hash=%s "
             "WHERE id=%s", [event.summary, event.prev_hash, event.hash, event.pk])
        previous = event.hash
    _sql("UPDATE compliance_auditchainhead SET last_hash=%s WHERE chain='BJ901'", [previous])
    _verify_fails(r"event #2.*edited.*without the audit key")


def test_an_edit_recomputed_with_a_guessed_key_is_reported(settings):
    events = _record(3)
    settings.AUDIT_CHAIN_KEY = "the administrator's guess"
    previous = events[0].hash
    for event in AuditEvent.objects.filter(chain="BJ901", seq__gte=2).order_by("seq"):
        event.summary, event.prev_hash = "edited", previous
        event.hash = event_hash(event)
        _sql("UPDATE compliance_auditevent SET summary=%s, prev_hash=%s, hash=%s WHERE id=%s",
             [event.summary, event.prev_hash, event.hash, event.pk])
        previous = event.hash
    _sql("UPDATE compliance_auditchainhead SET last_hash=%s WHERE chain='BJ901'", [previous])
    settings.AUDIT_CHAIN_KEY = settings.AUDIT_CHAIN_KEY + "-not"  # back to a key that is not it
    report = verify_chain()
    assert not report.ok and report.first_bad_seq == 1 and "audit key" in report.problem


def test_a_cut_tail_with_the_head_rewritten_is_reported():
    events = _record(5)
    audit_checkpoint()
    _sql("DELETE FROM compliance_auditevent WHERE chain='BJ901' AND seq > 3")
    _sql("UPDATE compliance_auditchainhead SET last_seq=3, last_hash=%s WHERE chain='BJ901'",
         [events[2].hash])
    message = _verify_fails("deleted from the end and the head rewritten")
    assert "ends at #3" in message and "#5" in message


def test_a_tail_cut_and_rewritten_with_new_events_contradicts_the_checkpoint():
    events = _record(4)
    audit_checkpoint()
    _sql("DELETE FROM compliance_auditevent WHERE chain='BJ901' AND seq > 2")
    _sql("UPDATE compliance_auditchainhead SET last_seq=2, last_hash=%s WHERE chain='BJ901'",
         [events[1].hash])
    _record(2)  # the application writes on: the chain is as long again, but not the same
    _verify_fails(r"event #4 differs from the checkpoint.*recomputed")


def test_other_branches_still_verify_when_one_is_broken():
    _record(2, "SH902")
    events = _record(2)
    _sql("UPDATE compliance_auditevent SET summary='x' WHERE id=%s", [events[0].pk])
    report = verify_chain().as_dict()
    assert not report["ok"]
    assert report["chains"]["SH902"]["ok"] and not report["chains"]["BJ901"]["ok"]


def test_an_edited_checkpoint_file_is_reported():
    _record(2)
    audit_checkpoint()
    path = checkpoint_path()
    entry = json.loads(path.read_text())
    entry["chains"]["BJ901"][0] = 1
    path.write_text(json.dumps(entry) + "\n")
    _verify_fails("checkpoint line 1: its signature does not match")


def test_checkpoints_from_another_key_are_reported(settings):
    _record(1)
    audit_checkpoint()
    settings.AUDIT_CHAIN_KEY = "another key"
    assert "signed with another key" in read_checkpoints().problem


def test_audit_checkpoint_command_appends_a_signed_line():
    _record(2)
    call_command("audit_checkpoint")
    call_command("audit_checkpoint")
    entries = read_checkpoints().entries
    assert len(entries) == 2 and entries[1]["prev"] == entries[0]["sig"]
    assert entries[1]["chains"]["BJ901"][0] == 2
    call_command("audit_verify")


def test_the_audit_checkpoint_task_is_on_the_beat_schedule():
    from branchsvc.celery import app

    app.loader.import_default_modules()
    app.finalize()
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "compliance.audit_checkpoint" in tasks


def test_events_written_before_the_keyed_chain_still_verify():
    """Events of the old scheme (plain SHA-256, global chain) stay valid; new ones follow them."""
    legacy = AuditEvent(chain="", scheme=1, seq=1, created_at=timezone.now(), action="old.event",
                        prev_hash="0" * 64)
    legacy.hash = hashlib.sha256(_encoded(legacy)).hexdigest()
    legacy.save(force_insert=True)
    AuditChainHead.objects.create(chain="", last_seq=1, last_hash=legacy.hash)
    (new,) = _record(1, None)
    assert new.seq == 2 and new.scheme == 2 and new.prev_hash == legacy.hash
    assert verify_chain().ok


def test_postgresql_refuses_truncate_of_the_audit_trail(require_service):
    require_service("postgres")
    _record(1)
    for table in ("compliance_auditevent", "compliance_auditchainhead"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {table} CASCADE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM compliance_auditchainhead")
    assert AuditEvent.objects.count() == 1


def test_the_application_role_cannot_alter_truncate_or_disable_the_triggers(require_service):
    """The role the application runs as (deploy/postgres/init-roles.sh) owns no table."""
    require_service("postgres")
    import os

    (event,) = _record(1)
    role = f"app_probe_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    refused = []
    try:
        for statement in ("ALTER TABLE compliance_auditevent DISABLE TRIGGER ALL",
                          "TRUNCATE compliance_auditevent",
                          "UPDATE compliance_auditevent SET summary = 'x'",
                          "DELETE FROM compliance_auditchainhead",
                          "SET session_replication_role = replica"):
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL ROLE {role}")
                    cursor.execute(statement)
            except DatabaseError:
                refused.append(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
    assert len(refused) == 5, refused
    assert AuditEvent.objects.get(pk=event.pk).summary == ""
