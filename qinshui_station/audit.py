"""The one helper every service (and the transition engine) calls to write the audit log. The labels of an
entry — who acted, on what — are made here and nowhere else."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinshui_station import bulk
from qinshui_station.models import AuditEntry
from qinshui_station.punctuation import bracketed
from qinshui_station.registry import registry

LABEL_CHARS = 200  # of an object's str(), kept as the entry's label


@dataclass
class Entry:
    """An audit entry before it is written (``record_many``); ``pk`` set once it is."""

    object_type: str
    object_id: str
    object_label: str
    action: str
    from_state: str
    to_state: str
    reason: str
    data: dict
    pk: int | None = None


def entry(*, obj: models.Model, action: str, before: str = "", after: str = "", reason: str = "",
          data: dict[str, Any] | None = None) -> Entry:
    """An entry about ``obj``; ``record_many`` writes it with its actor."""
    # obj._meta.model, not type(obj): the signed-in person is a lazy object until read
    return entry_of(obj._meta.model, obj.pk, str(obj), action=action, before=before, after=after, reason=reason,
                    data=data)


def entry_of(model: type[models.Model], pk, label: str, *, action: str, before: str = "", after: str = "",
             reason: str = "", data: dict[str, Any] | None = None) -> Entry:
    """An entry about the row ``pk`` of ``model`` whose ``str()`` is ``label``, for rows written without model
    instances (``bulk.insert``): ``label`` from the function the model's ``__str__`` calls."""
    return Entry(object_type=model._meta.label_lower, object_id=str(pk), object_label=str(label)[:LABEL_CHARS],
                 action=action, from_state=str(before or ""), to_state=str(after or ""), reason=reason or "",
                 data=data or {})


def record_many(*, actor, entries: Iterable[Entry]) -> list[Entry]:
    """Write ``entries`` (from ``entry``) for ``actor`` in one INSERT … SELECT, whatever their number (a round's
    40,000 entries through ``bulk.rows``: copied, not quoted one by one). Returns them with their ids."""
    rows = list(entries)
    if not rows:
        return rows
    user, label, now = (actor if getattr(actor, "pk", None) else None), actor_label(actor), timezone.now()
    columns = ("object_type", "object_id", "object_label", "action", "from_state", "to_state", "reason")
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        source, params = bulk.rows(cursor, [*((c, "text") for c in columns), ("data", "text")], [
            (*(getattr(row, c) for c in columns), json.dumps(row.data, cls=DjangoJSONEncoder, ensure_ascii=False))
            for row in rows])
        cursor.execute(f"""
            INSERT INTO {AuditEntry._meta.db_table}
                (at, actor_id, actor_label, {", ".join(columns)}, data)
            SELECT %s, %s, %s, {", ".join(f"r.{c}" for c in columns)}, r.data::jsonb
            FROM {source}
            ORDER BY r.n RETURNING id
        """, [now, getattr(user, "pk", None), label, *params])
        ids = [pk for (pk,) in cursor.fetchall()]
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
    return rows


def record(*, actor, obj: models.Model, action: str, before: str = "", after: str = "", reason: str = "",
           data: dict[str, Any] | None = None) -> Entry:
    return record_many(actor=actor, entries=[entry(obj=obj, action=action, before=before, after=after,
                                                   reason=reason, data=data)])[0]


# Who acts without an account, as the entry keeps it (in Chinese, the source language) and as a page shows it.
WITHOUT_ACCOUNT = {"公众": gettext_lazy("公众"), "系统（定时任务）": gettext_lazy("系统（定时任务）")}


def actor_label(actor) -> str:
    """Who acted, as the entry keeps it: the person's name and organization as "name（organization）", or the
    label of who acts without an account — written in Chinese whatever the page's language, and shown in the
    page's by ``shown_actor``."""
    if actor is None or not getattr(actor, "pk", None):
        with translation.override(settings.LANGUAGE_CODE):
            return "公众" if actor is None else str(actor)
    org = getattr(actor, "organization", None)
    return f"{actor}（{org}）" if org else str(actor)


def shown_actor(label: str) -> str:
    """An entry's kept ``actor_label`` in the page's language: "name (organization)" in English (the brackets
    were kept Chinese: "张伟 (县人社局)", not "张伟（县人社局）"), who acts without an account translated, no label
    "系统". The names themselves are data and stay as written."""
    if not label:
        return _("系统")
    if label in WITHOUT_ACCOUNT:
        return str(WITHOUT_ACCOUNT[label])
    name, bracket, organization = label.partition("（")
    if bracket and organization.endswith("）"):
        return bracketed(name, organization[:-1])
    return label


_actor_label = actor_label  # the name older callers use


def entries_for(obj: models.Model):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )


def describe(log_entry: AuditEntry) -> str:
    """One audit entry as a sentence in the page's language: who, did what, to which object (its kind and
    name), from which state to which (their labels), and why. Codes never reach the page: an action nobody
    registered reads as a change, a value code nobody labelled as "其他"."""
    return _sentence(log_entry, *_kind_and_states(log_entry.object_type))


def describe_all(log_entries) -> list[str]:
    """``describe`` for a page of entries: each kind of object's name and state labels looked up once."""
    kinds, words = {}, _Words()
    for entry in log_entries:
        if entry.object_type not in kinds:
            kinds[entry.object_type] = _kind_and_states(entry.object_type)
    return [_sentence(entry, *kinds[entry.object_type], words) for entry in log_entries]


class _Words:
    """A sentence's translated pieces, looked up once for a page of sentences (fifty entries: ~350 gettext
    calls otherwise); the actions' labels and the actors as shown, once each."""

    def __init__(self):
        self.sentence, self.did = _("%(actor)s %(action)s：%(kind)s“%(name)s”"), _("进行了操作")
        self.changed, self.state = _("，状态由“%(before)s”改为“%(after)s”"), _("，状态为“%(state)s”")
        self.detail, self.stop, self.reason = _("（%(detail)s）"), _("。"), _("理由：%(reason)s")
        self._actions, self._actors = {}, {}

    def action(self, object_type: str, code: str) -> str:
        key = (object_type, code)
        if key not in self._actions:
            action = registry.audit_actions.get(f"{object_type}:{code}") or registry.audit_actions.get(code)
            self._actions[key] = str(action) if action else self.did
        return self._actions[key]

    def actor(self, label: str) -> str:
        if label not in self._actors:
            self._actors[label] = shown_actor(label)
        return self._actors[label]


def _kind_and_states(object_type: str) -> tuple[str, dict[str, str]]:
    model = _model(object_type)
    return (str(model._meta.verbose_name) if model is not None else _("记录")), _state_labels(model)


def _sentence(log_entry: AuditEntry, kind: str, states: dict[str, str], words: _Words | None = None) -> str:
    words = words or _Words()
    text = words.sentence % {
        "actor": words.actor(log_entry.actor_label), "action": words.action(log_entry.object_type, log_entry.action),
        "kind": kind, "name": log_entry.object_label or f"#{log_entry.object_id}"}
    before, after = log_entry.from_state, log_entry.to_state
    if all(not v or v in states for v in (before, after)) and (before or after):
        if before and after:
            text += words.changed % {"before": states[before], "after": states[after]}
        else:
            text += words.state % {"state": states[after or before]}
    elif before or after:
        shown = [_value_label(v) for v in (before, after) if v]
        text += words.detail % {"detail": " → ".join(shown)}
    detail = (log_entry.data or {}).get("name") or (log_entry.data or {}).get("file")
    if detail:
        text += words.detail % {"detail": detail}
    text += words.stop
    if log_entry.reason:
        text += words.reason % {"reason": log_entry.reason}
    return text


def _value_label(value: str) -> str:
    """A value recorded beside an action (a material's kind, an expert's opinion, a window, an amount): its
    registered label; a code without one never shows."""
    if value in registry.audit_values:
        return str(registry.audit_values[value])
    return _("其他") if re.fullmatch(r"[a-z_]+", value) else value


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _state_labels(model) -> dict[str, str]:
    if model is None:
        return {}
    if model._meta.label_lower == "qinshui_station.user":
        return {"True": _("已启用"), "False": _("已停用")}
    try:
        field = model._meta.get_field("state")
    except FieldDoesNotExist:
        return {}
    return {str(value): str(label) for value, label in (field.flatchoices or [])}
