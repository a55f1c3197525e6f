"""The one helper every service (and the transition engine) calls to write the audit log. The labels of an
entry — who acted, on what — are made here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from qinshui_station.models import AuditEntry


def entry(*, obj: models.Model, action: str, before: str = "", after: str = "", reason: str = "",
          data: dict[str, Any] | None = None) -> AuditEntry:
    """An unsaved entry about ``obj``; ``record_many`` writes it with its actor."""
    return AuditEntry(
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=object_label(obj),
        action=action,
        from_state=str(before or ""),
        to_state=str(after or ""),
        reason=reason or "",
        data=data or {},
    )


def record_many(*, actor, entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Write ``entries`` (from ``entry``) for ``actor`` in one INSERT."""
    rows = list(entries)
    user, label = (actor if getattr(actor, "pk", None) else None), actor_label(actor)
    for row in rows:
        row.actor, row.actor_label = user, label
    return AuditEntry.objects.bulk_create(rows, batch_size=5000)


def record(*, actor, obj: models.Model, action: str, before: str = "", after: str = "", reason: str = "",
           data: dict[str, Any] | None = None) -> AuditEntry:
    return record_many(actor=actor, entries=[entry(obj=obj, action=action, before=before, after=after,
                                                   reason=reason, data=data)])[0]


def object_label(obj: models.Model) -> str:
    return str(obj)[:200]


def actor_label(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "公众" if actor is None else str(actor)
    org = getattr(actor, "organization", None)
    return f"{actor}（{org}）" if org else str(actor)


_actor_label = actor_label  # the name older callers use


def entries_for(obj: models.Model):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
