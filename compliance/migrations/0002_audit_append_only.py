"""On PostgreSQL, refuse UPDATE and DELETE of audit events for every role of the application.

A superuser can still bypass triggers with `SET session_replication_role = replica`; the
application's own database role must not be a superuser (see README, production profile), and
`manage.py audit_verify` catches what a superuser might change.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION compliance_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER compliance_auditevent_append_only
    BEFORE UPDATE OR DELETE ON compliance_auditevent
    FOR EACH ROW EXECUTE FUNCTION compliance_audit_refuse_change();
"""
DROP = """
DROP TRIGGER IF EXISTS compliance_auditevent_append_only ON compliance_auditevent;
DROP FUNCTION IF EXISTS compliance_audit_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no client-side %-formatting


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
