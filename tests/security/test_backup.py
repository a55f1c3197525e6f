"""`manage.py backup DIR` and `manage.py restore DIR`: the whole world (every app's rows and stored files)
restored into an EMPTY new database and storage root equals the original, table by table and file by file."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qinshui_station.backup import LEFT_OUT, database_row_counts, db_settings, file_checksums
from tests.security.world import build_world


@pytest.fixture
def empty_database(transactional_db):
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_the_same_rows_and_files(empty_database, settings,
                                                                                 tmp_path, capsys):
    build_world()
    out = StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    live_counts = database_row_counts(db_settings())
    live_files = file_checksums(settings.MEDIA_ROOT)
    assert manifest["tables"] == {t: (0 if t in LEFT_OUT else n) for t, n in live_counts.items()}
    assert manifest["files"] == live_files
    assert len(live_files) >= 12 and sum(live_counts.values()) > 100

    call_command("restore", str(tmp_path / "backup"), database_name=empty_database,
                 media_root=str(tmp_path / "restored-media"), stdout=out)
    restored_counts = database_row_counts(db_settings(name=empty_database))
    assert restored_counts == manifest["tables"]
    assert file_checksums(tmp_path / "restored-media") == live_files
    with capsys.disabled():
        print(f"\nbackup/restore: {len(restored_counts)} tables, {sum(restored_counts.values())} rows, "
              f"{len(live_files)} files; counts and SHA-256 equal after restore into an empty database")

    # A second restore into the now non-empty database is refused.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"), database_name=empty_database,
                     media_root=str(tmp_path / "other-media"), stdout=out)


@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_is_refused(empty_database, settings, tmp_path):
    build_world()
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    victim = next(p for p in (tmp_path / "backup" / "media").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"x")
    with pytest.raises(CommandError, match="do not match the manifest"):
        call_command("restore", str(tmp_path / "backup"), database_name=empty_database,
                     media_root=str(tmp_path / "restored"), stdout=StringIO())


def test_only_header_settings_the_server_does_not_know_are_dropped():
    from qinshui_station.backup import _without_unknown_settings

    script = (b"--\n\\restrict key\n\nSET statement_timeout = 0;\nSET transaction_timeout = 0;\n"
              b"CREATE TABLE t (a text);\nSET transaction_timeout = 1;\n")
    assert _without_unknown_settings(script, {"statement_timeout"}) == (
        b"--\n\\restrict key\n\nSET statement_timeout = 0;\n-- (not known to this server) SET transaction_timeout = 0;\n"
        b"CREATE TABLE t (a text);\nSET transaction_timeout = 1;\n")


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_no_sessions_or_lockouts_and_only_its_owner_reads_it(empty_database, tmp_path):
    """Issue 15, finding 6: database.dump was readable by everyone on the host and held 132 live sessions."""
    import stat
    import subprocess

    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.sessions.models import Session
    from django.test import Client

    from qinshui_station import throttle
    from qinshui_station.backup import pg_bin
    from tests import factories

    user = factories.HRUserFactory()
    client = Client()
    client.force_login(user)
    session_key = client.session.session_key
    AccessAttempt.objects.create(username="hr", ip_address="198.51.100.7", user_agent="probe", failures_since_start=5)
    AccessFailureLog.objects.create(username="hr", ip_address="198.51.100.7", user_agent="probe")
    assert throttle.allow("password_reset", "hr@example.cn", limit=3, window=timedelta(hours=1))
    assert Session.objects.count() == 1

    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    root = tmp_path / "backup"
    modes = {p.relative_to(root).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*")}
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert {m for p, m in modes.items() if (root / p).is_dir()} == {0o700}
    assert {m for p, m in modes.items() if (root / p).is_file()} == {0o600}
    assert {"database.dump", "manifest.json"} <= set(modes)
    sql = subprocess.run([pg_bin("pg_restore"), "--file=-", str(root / "database.dump")], capture_output=True,
                         check=True).stdout
    assert session_key.encode() not in sql and b"198.51.100.7" not in sql
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert [manifest["tables"][t] for t in ("django_session", "axes_accessattempt", "axes_accessfailurelog",
                                            "qinshui_station_throttleevent")] == [0, 0, 0, 0]

    call_command("restore", str(root), database_name=empty_database, media_root=str(tmp_path / "restored"),
                 stdout=StringIO())
    restored = database_row_counts(db_settings(name=empty_database))
    assert restored["django_session"] == 0 and restored["axes_accessattempt"] == 0
    assert restored["qinshui_station_user"] == database_row_counts(db_settings())["qinshui_station_user"]
