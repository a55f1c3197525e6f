"""A previewed workbook waiting for HR's confirmation: kept under MEDIA_ROOT (never served), named in the person's
session by a random token with its checksum, read back at commit and removed. Nothing is written to the database
until the commit."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings

SESSION_KEY = "records_pending_import"
MAX_AGE = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "private" / "records" / "pending"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def keep(session, *, data: bytes, name: str, sha256: str) -> str:
    _sweep()
    token = uuid.uuid4().hex
    path = _folder() / f"{token}.xlsx"
    path.write_bytes(data)
    path.chmod(0o600)
    discard(session)
    session[SESSION_KEY] = {"token": token, "name": name, "sha256": sha256}
    return token


def take(session, token: str) -> tuple[bytes, str, str] | None:
    entry = session.get(SESSION_KEY) or {}
    if not token or entry.get("token") != token:
        return None
    path = _folder() / f"{token}.xlsx"
    if not path.exists():
        return None
    return path.read_bytes(), entry["name"], entry["sha256"]


def discard(session) -> None:
    entry = session.pop(SESSION_KEY, None) or {}
    token = entry.get("token", "")
    if token and token.isalnum():
        (_folder() / f"{token}.xlsx").unlink(missing_ok=True)


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE
    for path in _folder().glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
