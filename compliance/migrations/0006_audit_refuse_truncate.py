"""On PostgreSQL, refuse TRUNCATE of the audit events and the chain heads, and DELETE of a head.

Like 0002, a superuser can still switch triggers off; what it then changes is found by
`manage.py audit_verify` against the keyed chain and the checkpoints kept outside the database.
The application's role must not own these tables (docs/compliance.md, database roles).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION compliance_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% of % refused)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER compliance_auditevent_no_truncate
    BEFORE TRUNCATE ON compliance_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION compliance_audit_refuse_truncate();
CREATE TRIGGER compliance_auditchainhead_no_truncate
    BEFORE TRUNCATE ON compliance_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION compliance_audit_refuse_truncate();
CREATE TRIGGER compliance_auditchainhead_no_delete
    BEFORE DELETE ON compliance_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION compliance_audit_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS compliance_auditevent_no_truncate ON compliance_auditevent;
DROP TRIGGER IF EXISTS compliance_auditchainhead_no_truncate ON compliance_auditchainhead;
DROP TRIGGER IF EXISTS compliance_auditchainhead_no_delete ON compliance_auditchainhead;
DROP FUNCTION IF EXISTS compliance_audit_refuse_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0005_audit_keyed_branch_chains")]
    operations = [migrations.RunPython(forwards, backwards)]
