"""The one helper every service calls to write the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from qinshui_station.models import AuditEntry


def record(*, actor, obj: models.Model, action: str, before: str = "", after: str = "", reason: str = "",
           data: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        action=action,
        from_state=str(before or ""),
        to_state=str(after or ""),
        reason=reason or "",
        data=data or {},
    )


def _actor_label(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "公众" if actor is None else str(actor)
    org = getattr(actor, "organization", None)
    return f"{actor}（{org}）" if org else str(actor)


def entries_for(obj: models.Model):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
