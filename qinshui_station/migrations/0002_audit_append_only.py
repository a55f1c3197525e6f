from django.db import migrations

# The audit log is evidence: the database itself refuses to change or delete an entry.
FORWARD = """
CREATE OR REPLACE FUNCTION qinshui_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER qinshui_audit_no_update BEFORE UPDATE OR DELETE ON qinshui_station_auditentry
  FOR EACH ROW EXECUTE FUNCTION qinshui_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS qinshui_audit_no_update ON qinshui_station_auditentry;
DROP FUNCTION IF EXISTS qinshui_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("qinshui_station", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
