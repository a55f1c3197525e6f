"""Migration qinshui_station 0007 removes what the page cache's data version left in a database migrated before
issue 16: the statement triggers on every table, the version tables and their functions."""

import importlib

import pytest
from django.db import connection

drop = importlib.import_module("qinshui_station.migrations.0007_i16_drop_data_version")

# What qinshui_station 0006 and the apps' track_tables once installed, in short.
OLD = """
CREATE TABLE qs_data_version (id smallint PRIMARY KEY, version uuid NOT NULL);
CREATE UNLOGGED TABLE qs_data_change (id bigserial PRIMARY KEY);
CREATE FUNCTION qs_note_data_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE FUNCTION qs_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER qs_data_changed AFTER INSERT OR UPDATE OR DELETE ON qinshui_station_workstation
  FOR EACH STATEMENT EXECUTE FUNCTION qs_note_data_change();
CREATE TRIGGER qs_data_changed AFTER INSERT OR DELETE ON qinshui_station_user
  FOR EACH STATEMENT EXECUTE FUNCTION qs_note_data_change();
CREATE TRIGGER qs_data_changed_update AFTER UPDATE OF username ON qinshui_station_user
  FOR EACH STATEMENT EXECUTE FUNCTION qs_note_data_change();
"""


def leftovers() -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'qs_data_changed%'")
        triggers = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname IN ('qs_data_version', 'qs_data_change')")
        tables = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname IN ('qs_note_data_change', 'qs_bump_data_version')")
        functions = cursor.fetchone()[0]
    return triggers, tables, functions


@pytest.mark.django_db
def test_the_migration_drops_every_trigger_table_and_function_of_the_data_version():
    with connection.cursor() as cursor:
        cursor.execute(OLD)
    assert leftovers() == (3, 2, 2)
    with connection.cursor() as cursor:
        cursor.execute(drop.DROP)
    assert leftovers() == (0, 0, 0)


@pytest.mark.django_db
def test_a_fresh_database_has_none_of_it():
    assert leftovers() == (0, 0, 0)
