from django.db import migrations

# The page cache and its data version are gone (issue 16, docs/performance.md). A database migrated before holds a
# statement trigger qs_data_changed(_update) on every table, the version table and their functions: drop them all,
# whichever tables carry them (found in the catalogue, so no app's table list is needed here).
DROP = """
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tg.tgname, c.oid::regclass AS tbl FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
           WHERE tg.tgname IN ('qs_data_changed', 'qs_data_changed_update') AND NOT tg.tgisinternal LOOP
    EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.tbl);
  END LOOP;
END $$;
DROP TABLE IF EXISTS qs_data_change;
DROP TABLE IF EXISTS qs_data_version;
DROP FUNCTION IF EXISTS qs_bump_data_version();
DROP FUNCTION IF EXISTS qs_note_data_change();
"""


class Migration(migrations.Migration):
    dependencies = [("qinshui_station", "0006_data_version")]
    operations = [migrations.RunSQL(DROP, migrations.RunSQL.noop)]
