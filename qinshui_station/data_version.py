"""One version of the whole database, changed by PostgreSQL itself whenever a transaction that wrote to any of
the portal's tables commits. Rendered pages are cached under it (``qinshui_station.page_cache``), so a cached
page can never outlive the data it shows, whatever wrote the data: a service, a bulk ``UPDATE … FROM``, a ``COPY``,
a restore or someone at ``psql``.

How (docs/performance.md, "The page cache"):
- every tracked table has a statement-level trigger, ``qs_data_changed``, that notes the first write of a
  transaction in a transaction-local setting and queues one row in ``qs_data_change``;
- a deferred constraint trigger on that row gives ``qs_data_version`` a new random value *at commit*. Taking the
  version row's lock only at commit, after every other lock the transaction needed, is what keeps writers from
  deadlocking on it; a random value (not a counter) never repeats after a restore or a flush.
- a reader whose own transaction has written something gets no version (``current()`` is None) and renders
  afresh: its changes are not committed, so no version describes what it sees.

Every table of the portal's apps must be tracked; ``tests/qinshui_station/test_data_version.py`` fails for a new
model whose migration does not call ``track_tables``."""

from django.db import connection, migrations

TRIGGER = "qs_data_changed"
# Signing in updates only ``last_login``: that does not change any page, and must not empty every cache.
UNTRACKED_COLUMNS = {"qinshui_station_user": {"last_login"}}

INSTALL = """
CREATE TABLE qs_data_version (
  id smallint PRIMARY KEY CHECK (id = 1),
  version uuid NOT NULL
);
INSERT INTO qs_data_version VALUES (1, gen_random_uuid());
-- one row per writing transaction, deleted again at its commit: it only carries the deferred trigger below
CREATE UNLOGGED TABLE qs_data_change (id bigserial PRIMARY KEY);

CREATE FUNCTION qs_note_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('qs.data_changed', true) IS DISTINCT FROM 'on' THEN
    PERFORM set_config('qs.data_changed', 'on', true);  -- until the end of this transaction (or savepoint)
    INSERT INTO qs_data_change DEFAULT VALUES;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION qs_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE qs_data_version SET version = gen_random_uuid() WHERE id = 1;
  DELETE FROM qs_data_change WHERE id = NEW.id;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER qs_bump_data_version AFTER INSERT ON qs_data_change
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION qs_bump_data_version();
"""
UNINSTALL = """
DROP TABLE IF EXISTS qs_data_change;
DROP TABLE IF EXISTS qs_data_version;
DROP FUNCTION IF EXISTS qs_bump_data_version();
DROP FUNCTION IF EXISTS qs_note_data_change();
"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _track_sql(table: str, columns: list[str]) -> list[str]:
    skipped = UNTRACKED_COLUMNS.get(table)
    if not skipped:
        return [f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {_quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION qs_note_data_change()"]
    watched = ", ".join(_quote(c) for c in columns if c not in skipped)
    return [f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR TRUNCATE ON {_quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION qs_note_data_change()",
            f"CREATE OR REPLACE TRIGGER {TRIGGER}_update AFTER UPDATE OF {watched} ON {_quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION qs_note_data_change()"]


def _tables(apps, app_label: str) -> list:
    return [m for m in apps.get_app_config(app_label).get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy]


def track_tables(app_label: str) -> migrations.RunPython:
    """A migration operation putting the trigger on every table the app has at that point of its history."""

    def forward(apps, schema_editor):
        for model in _tables(apps, app_label):
            columns = [f.column for f in model._meta.concrete_fields]
            for statement in _track_sql(model._meta.db_table, columns):
                schema_editor.execute(statement)

    def backward(apps, schema_editor):
        for model in _tables(apps, app_label):
            for suffix in ("", "_update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}{suffix} ON {_quote(model._meta.db_table)}")

    return migrations.RunPython(forward, backward, elidable=False)


# The committed data version, or NULL when this connection's open transaction has written something (its changes
# are not committed: no version describes what it sees). Also read with the signed-in person (auth_backend.py).
CURRENT_SQL = ("SELECT CASE WHEN current_setting('qs.data_changed', true) = 'on' THEN NULL ELSE version::text END "
               "FROM qs_data_version")


def current() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(CURRENT_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def tracked_tables() -> set[str]:
    """The tables carrying the trigger (for the test that every table is tracked)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE t.tgname LIKE %s AND NOT t.tgisinternal", [TRIGGER + "%"])
        return {name for (name,) in cursor.fetchall()}
