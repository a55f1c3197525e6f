"""The database's data version (qinshui_station/data_version.py): changed by PostgreSQL at the commit of any
write to a portal table, by whatever path, and by nothing else."""

import threading

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db import connection, connections, transaction

from qinshui_station import data_version
from qinshui_station.models import Organization, User
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

APPS = ("qinshui_station", "applications", "reviews", "funding")


def test_every_table_of_the_portal_is_tracked():
    tables = {m._meta.db_table for label in APPS
              for m in apps.get_app_config(label).get_models(include_auto_created=True) if m._meta.managed}
    assert len(tables) > 40
    assert tables - data_version.tracked_tables() == set()


def test_a_committed_write_changes_the_version_and_a_read_or_a_rollback_does_not():
    first = data_version.current()
    assert len(first) == 36  # a uuid
    list(Organization.objects.all())
    assert data_version.current() == first

    with pytest.raises(RuntimeError), transaction.atomic():
        factories.DepartmentFactory()
        raise RuntimeError("rolled back")
    assert data_version.current() == first

    factories.DepartmentFactory()
    second = data_version.current()
    assert second not in (None, first)


def test_a_raw_sql_update_changes_it_too():
    department = factories.DepartmentFactory()
    before = data_version.current()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE qinshui_station_organization SET name = name || '（更名）' WHERE id = %s",
                       [department.pk])
    assert data_version.current() != before


def test_inside_a_transaction_that_wrote_there_is_no_version():
    with transaction.atomic():
        assert data_version.current() is not None
        factories.DepartmentFactory()
        assert data_version.current() is None
    assert data_version.current() is not None


def test_signing_in_leaves_it_but_a_new_name_changes_it():
    user = factories.HRUserFactory()
    user.set_password("Qinshui@2026")
    user.save()
    before = data_version.current()
    assert authenticate(username=user.username, password="Qinshui@2026") == user
    from django.contrib.auth.models import update_last_login
    update_last_login(None, user)
    assert User.objects.get(pk=user.pk).last_login is not None
    assert data_version.current() == before

    User.objects.filter(pk=user.pk).update(full_name="王主任")
    assert data_version.current() != before


def test_writers_do_not_wait_for_each_other_before_commit():
    """The version row is locked only at commit: a second writer commits while the first is still open."""
    department = factories.DepartmentFactory()
    before = data_version.current()
    done = []

    def second_writer():
        other = connections.create_connection("default")
        try:
            other.set_autocommit(True)
            with other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
                cursor.execute("UPDATE qinshui_station_organization SET name = name WHERE id <> %s", [department.pk])
                cursor.execute(data_version.CURRENT_SQL)  # its own commit changed the version already
                done.append(cursor.fetchone()[0] not in (None, before))
        finally:
            other.close()

    with transaction.atomic():
        Organization.objects.filter(pk=department.pk).update(name="第一个事务")
        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(10)
        assert done == [True]
        after_second = data_version.current()  # None: this transaction wrote
        assert after_second is None
    assert data_version.current() not in (None, before)
