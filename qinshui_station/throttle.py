"""Limits per address or account that hold across processes and parallel requests (docs/security.md).

:func:`serialize` takes a PostgreSQL advisory lock on (scope, key) for the rest of the transaction: a second
request for the same key waits until the first commits, then counts what the first stored. Counting and
storing under it cannot be raced (the objection limit, issue 15 finding 2).
:func:`allow` counts attempts in ``ThrottleEvent`` under that lock (password-reset mails, registrations,
finding 11). Keys are kept as SHA-256, never as the address or e-mail itself."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone


def _digest(key: str) -> str:
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def serialize(scope: str, key: str) -> None:
    """Wait for, then hold until the end of the current transaction, the lock of (scope, key)."""
    if not connection.in_atomic_block:
        raise RuntimeError("throttle.serialize needs a transaction (the lock lasts until it ends)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", [scope, _digest(key)])


def allow(scope: str, key: str, *, limit: int, window: timedelta) -> bool:
    """Count one attempt of ``key`` in ``scope`` unless ``limit`` attempts were counted within ``window``.
    True when this attempt may go ahead."""
    from qinshui_station.models import ThrottleEvent

    digest, now = _digest(key), timezone.now()
    with transaction.atomic():
        serialize(scope, key)
        recent = ThrottleEvent.objects.filter(scope=scope, key=digest)
        recent.filter(at__lt=now - window).delete()
        if recent.filter(at__gte=now - window).count() >= limit:
            return False
        ThrottleEvent.objects.create(scope=scope, key=digest, at=now)
    return True
