import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from compliance.audit import audit_record, verify_chain
from compliance.models import AuditChainHead, AuditEvent


def _record(n: int) -> list[AuditEvent]:
    events = []
    for index in range(n):
        with transaction.atomic():
            events.append(audit_record(actor=None, action="test.event", branch="BJ901",
                                       after={"index": index, "amount": "100.00"}))
    return events


def _raw(sql: str, params=()) -> None:
    """Tamper with the table the way someone with database access might."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: skip triggers
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.mark.django_db
def test_an_untouched_chain_verifies():
    _record(5)
    call_command("audit_verify")
    assert verify_chain().ok and verify_chain().checked == 5


@pytest.mark.django_db
def test_each_event_links_to_the_one_before():
    first, second = _record(2)
    assert second.prev_hash == first.hash
    assert AuditChainHead.objects.get().last_hash == second.hash


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=None, action="test.event")


@pytest.mark.django_db
@pytest.mark.skip_audit_chain_check
def test_audit_verify_names_an_edited_event():
    events = _record(4)
    _raw("UPDATE compliance_auditevent SET summary = %s WHERE seq = %s", ["edited", events[2].seq])
    with pytest.raises(CommandError, match=f"event #{events[2].seq}.*edited"):
        call_command("audit_verify")


@pytest.mark.django_db
@pytest.mark.skip_audit_chain_check
def test_audit_verify_names_a_deleted_event():
    events = _record(4)
    _raw("DELETE FROM compliance_auditevent WHERE seq = %s", [events[1].seq])
    report = verify_chain()
    assert not report.ok and report.first_bad_seq == events[1].seq
    assert "missing" in report.problem


@pytest.mark.django_db
@pytest.mark.skip_audit_chain_check
def test_audit_verify_notices_events_deleted_from_the_end():
    events = _record(3)
    _raw("DELETE FROM compliance_auditevent WHERE seq = %s", [events[2].seq])
    report = verify_chain()
    assert not report.ok and report.first_bad_seq == events[2].seq


@pytest.mark.django_db
@pytest.mark.skip_audit_chain_check
def test_audit_verify_names_reordered_events():
    events = _record(4)
    a, b = events[1], events[2]
    # Swap the two events' positions in the chain, keeping each one's own hash intact.
    _raw("UPDATE compliance_auditevent SET seq = %s WHERE id = %s", [10_000, a.pk])
    _raw("UPDATE compliance_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
    _raw("UPDATE compliance_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
    report = verify_chain()
    assert not report.ok and report.first_bad_seq == a.seq
    assert "does not follow" in report.problem or "edited" in report.problem


@pytest.mark.django_db
def test_the_model_refuses_edits_and_deletes():
    (event,) = _record(1)
    event.summary = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


@pytest.mark.django_db
def test_postgresql_refuses_update_and_delete_of_audit_rows(require_service):
    require_service("postgres")
    from django.db import DatabaseError

    (event,) = _record(1)
    for sql in ("UPDATE compliance_auditevent SET summary = 'x' WHERE id = %s",
                "DELETE FROM compliance_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


@pytest.mark.django_db(transaction=True)
def test_verifying_while_tellers_keep_writing_reports_no_false_break(require_service, monkeypatch):
    """An event committed by another connection after the events were read and before the head is
    read must not look like events deleted from the end of the chain."""
    require_service("postgres")
    import threading

    from compliance import audit

    _record(3)
    real_head = audit.AuditChainHead

    def write_elsewhere():
        try:
            with transaction.atomic():
                audit_record(actor=None, action="test.concurrent", branch="BJ901", after={})
        finally:
            connection.close()

    verifier = threading.current_thread()

    class LateHeadManager:
        """The head's manager, but the verifier's read of the head comes after another commit."""

        def __getattr__(self, name):
            return getattr(real_head.objects, name)

        def filter(self, **kwargs):
            if threading.current_thread() is verifier:
                writer = threading.Thread(target=write_elsewhere)
                writer.start()
                writer.join()
            return real_head.objects.filter(**kwargs)

    class HeadReadLate:
        objects = LateHeadManager()

    monkeypatch.setattr(audit, "AuditChainHead", HeadReadLate)
    report = verify_chain()
    assert report.ok, report.problem
    assert report.checked == 3
    assert AuditEvent.objects.count() == 4
