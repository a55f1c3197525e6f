"""The transition engine: every state change of the project goes through here.

Each model with a state field registers its table once (``register``, from its app's ``AppConfig.ready()``).
A service then

- locks the row (``lock``) and makes its own checks of the data it is given, and calls ``move`` for one row;
- or calls ``move_many`` with a queryset for a set of rows (a round's consequences at provincial scale).

Both look the move up in the object's table, check role, reason and guard through the same ``Move.check``
(and refuse a system move — one only another service makes — unless ``system=True``), write the state with
the given fields, write the audit entries in one ``audit.record_many``, and, with ``notify=``, the move's
notifications in one ``notifications.notify_many``: ``notify(row)`` gives (recipients — users or their ids —,
message, url) triples; the same notice to the same person from one call is written once. They are written in
the caller's transaction: the in-portal notifications are there when it commits, the e-mails wait in the
outbox and the worker sends them only after the commit; a rolled-back move notifies nobody and sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL

from qinshui_station import audit, bulk, notifications
from qinshui_station.punctuation import clauses
from qinshui_station.workflow import Move, TransitionRefused, move_for, moves_from


@dataclass(frozen=True)
class Table:
    moves: dict
    labels: dict  # state → label, for messages
    field: str = "state"
    related: tuple[str, ...] = ()  # what str(obj) and the guards read, loaded with a set's rows


_TABLES: dict[type, Table] = {}


def register(model: type[models.Model], moves: dict, states, *, field: str = "state",
             related: tuple[str, ...] = ()) -> None:
    _TABLES[model] = Table(moves, dict(states.choices), field, related)


def table_of(model) -> Table:
    model = model if isinstance(model, type) else type(model)
    try:
        return _TABLES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no registered workflow table") from None


def lock(queryset: models.QuerySet, **lookup) -> models.Model:
    """The one row ``lookup`` finds, locked for the rest of the transaction (with what its table reads)."""
    table = table_of(queryset.model)
    return queryset.select_for_update(of=("self",)).select_related(*table.related).get(**lookup)


def check(obj, to: str, *, actor, reason: str = "", system: bool = False) -> Move:
    """The move from ``obj``'s state to ``to``, if ``actor`` may make it now; else PermissionDenied or
    TransitionRefused with a message for people."""
    table = table_of(obj)
    move = move_for(table.moves, getattr(obj, table.field), to, table.labels)
    if move.system and not system:
        raise TransitionRefused(str(move.system))
    move.check(actor=actor, obj=obj, reason=reason)
    return move


def refusal_text(error: Exception) -> str:
    """A refusal's messages as one line (for a hint beside a missing button, or a message)."""
    if isinstance(error, ValidationError):
        return clauses(error.messages)
    return str(error)


@dataclass(frozen=True)
class Action:
    """A move a person of this role makes from the object's state, and why it is not open now ("" if it is)."""

    to: str
    move: Move
    refusal: str = ""
    refusal_code: str = ""  # the guard's TransitionRefused.code

    @property
    def is_open(self) -> bool:
        return not self.refusal


def actions(obj, actor, *, targets=None) -> list[Action]:
    """The buttons of ``obj`` for ``actor``: the table's moves for the actor's role (system moves left out),
    each checked by the same ``check`` the service calls (a reason assumed given). A move refused because it
    is not this person's (PermissionDenied: another unit's, another sector's) is left out; one refused for a
    reason the person can act on carries that reason (e.g. "请先上传…推荐报告")."""
    table = table_of(obj)
    found = []
    for to, move in moves_from(table.moves, getattr(obj, table.field), actor):
        if targets is not None and to not in targets:
            continue
        try:
            check(obj, to, actor=actor, reason="-")
        except PermissionDenied:
            continue
        except (TransitionRefused, ValidationError) as error:
            found.append(Action(to, move, refusal_text(error), getattr(error, "code", "") or ""))
        else:
            found.append(Action(to, move))
    return found


def can(obj, to: str, *, actor) -> bool:
    """Would the service let ``actor`` make this move now (a reason assumed given)?"""
    try:
        check(obj, to, actor=actor, reason="-")
    except (PermissionDenied, TransitionRefused, ValidationError):
        return False
    return True


Notify = Callable[[Any], Iterable[tuple[Iterable, str, str]]]  # row → (recipients, message, url) triples


def move(obj, *, to: str, actor, reason: str = "", action: str = "transition", data: dict | None = None,
         system: bool = False, notify: Notify | None = None, **fields: Any):
    """Move one row, already locked by the caller (``lock``): check, set the state and ``fields``,
    ``full_clean()``, save, audit, and ``notify(obj)``'s notifications (module docstring). Returns the row."""
    table = table_of(obj)
    check(obj, to, actor=actor, reason=reason, system=system)
    before = getattr(obj, table.field)
    setattr(obj, table.field, to)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit.record_many(actor=actor, entries=[audit.entry(obj=obj, action=action, before=before, after=to,
                                                        reason=reason, data=data)])
    _notify([obj], notify)
    return obj


def move_many(queryset: models.QuerySet, *, to: str, actor, reason: str | Callable[[Any], str] = "",
              action: str = "transition", data: Callable[[Any], dict] | None = None, system: bool = False,
              per_row: Callable[[Any], dict] | None = None, only: tuple[str, ...] = (),
              notify: Notify | None = None, **fields: Any) -> list:
    """Move every row of ``queryset``: the rows locked (in primary-key order) and each one checked as ``move``
    would — once per state when the move has no guard (role and reason do not depend on the row), else row by
    row; the state and ``fields`` (constants, or expressions computed per row in the UPDATE) written in one
    UPDATE — with ``per_row(row)``, fields that differ between rows, in one UPDATE … FROM the rows
    (``bulk.rows``); the audit entries in one INSERT; ``notify(row)``'s notifications in one more (module
    docstring). ``only``: the fields to load besides the state (large sets). Returns the rows moved."""
    table = table_of(queryset.model)
    rows = _load(queryset.select_for_update(of=("self",)).order_by("pk"), table, only)
    if not rows:
        return []
    reason_of = reason if callable(reason) else (lambda _row: reason)
    checked: dict[str, Move] = {}
    befores = []
    for row in rows:
        state = getattr(row, table.field)
        if state not in checked or checked[state].guard is not None:
            checked[state] = check(row, to, actor=actor, reason=reason_of(row), system=system)
        elif checked[state].reason and not (reason_of(row) or "").strip():
            checked[state].check(actor=actor, obj=row, reason=reason_of(row))
        befores.append(state)
    model = queryset.model
    changes = {table.field: to, **fields}
    varying = [per_row(row) for row in rows] if per_row else [{}] * len(rows)
    for row, own in zip(rows, varying, strict=True):
        for name, value in [*changes.items(), *own.items()]:
            setattr(row, name, value)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if per_row is None:
            source, params = bulk.rows(cursor, [("id", model._meta.pk.db_type(connection))],
                                       [(row.pk,) for row in rows])
            chosen = model.objects.filter(pk__in=RawSQL(f"SELECT r.id FROM {source}", params))
            chosen.update(**changes)
            computed = [name for name, value in changes.items() if hasattr(value, "resolve_expression")]
            if computed:  # fields given as expressions (computed in the UPDATE): read back what they became
                values = {pk: rest for pk, *rest in chosen.values_list("pk", *computed)}
                for row in rows:
                    for name, value in zip(computed, values[row.pk], strict=True):
                        setattr(row, name, value)
        else:  # the rows differ: one UPDATE … FROM the rows (a column per field that differs)
            _update_each(cursor, model, rows, sorted(varying[0]),
                         [name for name in changes if name not in varying[0]])
    audit.record_many(actor=actor, entries=[
        audit.entry(obj=row, action=action, before=before, after=to, reason=reason_of(row),
                    data=data(row) if data else None)
        for row, before in zip(rows, befores, strict=True)])
    _notify(rows, notify)
    return rows


def _load(queryset: models.QuerySet, table: Table, only: tuple[str, ...]) -> list:
    """The rows of ``queryset`` with their ``table.related`` rows, as model instances holding the fields ``only``
    names (with the state; every field of a row ``only`` names none of) — what the guards, the labels
    (``str()``) and the caller's callables read; a field left out is loaded on first use, as with
    ``QuerySet.only``. Read as values in one query (the joins ``select_related`` makes) and put on the
    instances directly: ``Model.__init__`` for every row and related row was most of a large set's time."""
    plan = _plan(queryset.model, table, only)
    names = ["__".join((*path, name)) for path, _model, fields, _pk, _make in plan for name in fields]
    db, built = queryset.db, []
    for values in queryset.values_list(*names):
        objs: dict[tuple[str, ...], Any] = {}
        start = 0
        for path, model, fields, pk, make in plan:
            own, start = values[start:start + len(fields)], start + len(fields)
            if path and objs[path[:-1]] is None:  # beyond a null foreign key
                objs[path] = None
                continue
            obj = objs[path] = None if own[pk] is None else make(model, fields, own, db)
            if path:  # what the foreign key's descriptor reads, as select_related leaves it
                objs[path[:-1]]._state.fields_cache[path[-1]] = obj
        built.append(objs[()])
    return built


def _plan(model, table: Table, only: tuple[str, ...]) -> list[tuple]:
    """(relation path, model, attnames in the model's order, the primary key's index, how an instance is made)
    for the row and each related row, parents first."""
    models_at: dict[tuple[str, ...], type] = {(): model}
    wanted: dict[tuple[str, ...], set[str]] = {}
    for name in (*table.related, *((table.field, *only) if only else ())):
        here, path = model, ()
        *links, last = name.split("__")
        for link in links:
            here, path = here._meta.get_field(link).related_model, (*path, link)
            models_at[path] = here
        if name in table.related:
            models_at[(*path, last)] = here._meta.get_field(last).related_model
        else:
            wanted.setdefault(path, set()).add(here._meta.get_field(last).attname)
    plan = []
    for path, here in sorted(models_at.items(), key=lambda item: len(item[0])):
        links = {p[-1] for p in models_at if p[:-1] == path and len(p) == len(path) + 1}
        fields = [f.attname for f in here._meta.concrete_fields
                  if path not in wanted or f.primary_key or f.attname in wanted[path] or f.name in links]
        listened = signals.pre_init.has_listeners(here) or signals.post_init.has_listeners(here)
        plan.append((path, here, fields, fields.index(here._meta.pk.attname), _from_db if listened else _instance))
    return plan


def _from_db(model, fields: list[str], values, db: str):
    return model.from_db(db, fields, values)


def _instance(model, fields: list[str], values, db: str):
    """A model instance of a row read from the database: ``Model.from_db`` without ``__init__``'s work per field
    (``_plan`` gives ``from_db`` itself when something listens to the model's construction)."""
    obj = model.__new__(model)
    state = ModelState()
    state.adding, state.db = False, db
    obj.__dict__.update(zip(fields, values, strict=True), _state=state)
    return obj


def _update_each(cursor, model, rows: list, names: list[str], constants: list[str]) -> None:
    """Each row's values of ``names``, and the values of ``constants`` (the same on every row: one parameter
    each), in one statement: UPDATE … FROM the rows (``bulk.rows``)."""
    meta, pk = model._meta, model._meta.pk
    fields = [meta.get_field(name) for name in names]
    fixed = [meta.get_field(name) for name in constants]
    source, params = bulk.rows(
        cursor, [("pk", pk.db_type(connection)), *((f"c{i}", f.db_type(connection)) for i, f in enumerate(fields))],
        [(row.pk, *(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)) for row in rows])
    sets = ", ".join([*(f'"{f.column}" = %s' for f in fixed),
                      *(f'"{f.column}" = r.c{i}' for i, f in enumerate(fields))])
    cursor.execute(f'UPDATE "{meta.db_table}" t SET {sets} FROM {source} WHERE t."{pk.column}" = r.pk',
                   [*(f.get_db_prep_save(getattr(rows[0], f.attname), connection) for f in fixed), *params])


def _notify(rows: list, notify: Notify | None) -> None:
    """``notify(row)``'s notices of every row, each (person, message, url) once, in one ``notify_many``."""
    if notify is None:
        return
    notices = {(getattr(person, "pk", person), str(message), url): None
               for row in rows for recipients, message, url in notify(row)
               for person in recipients if person is not None}
    notifications.notify_many(list(notices))
