"""Reads whose SQL Django compiles once a process (issue 16, docs/performance.md "Compiled once").

On the portal's pages most of a read's CPU is the ORM turning a queryset into SQL: resolving the lookups, choosing
the columns, joining, quoting (0.1–0.4 ms a query on this machine), while running the SQL and reading its rows
costs ~0.05 ms. A page's reads have a fixed shape; only their values change from request to request (this person,
this station, now). A ``Prepared`` read builds its queryset once, with a stand-in for each value, lets Django's
own compiler write the SQL, and keeps it; each call runs that SQL with the call's values and turns the rows into
what the queryset itself would return (model instances with their ``select_related`` objects, ``values()`` dicts,
``values_list()`` tuples or flat values), through Django's own iterables and converters. Nothing read is kept:
the data come from the database on every call. What is kept depends only on code (the model and the queryset's
shape), like the compiled templates.

Rules, each checked when the SQL is compiled (a read that breaks one refuses to compile, with the reason):
- every value is a parameter of the SQL: a lookup that rewrites its value (``__year``, ``__in`` over a list,
  ``__isnull``) cannot take a call's value; write it as a range, ``AnyOf`` (``= ANY``) or a fixed part of the shape;
- a value may not be None (``= NULL`` is not ``IS NULL``): a None is refused at the call;
- no ``prefetch_related`` (it runs further queries), and slices are part of the shape.

A read scoped by a selector takes the signed-in person as a ``Person`` value: the selector decides the shape by
the person's role (a unit's rows, a department's sector, everything for the bureau), so the SQL is kept per role,
and the person's id and organization are its parameters. The selectors read nothing else of the person (their
role, organization, id and that they are signed in; ``tests/qinshui_station/test_prepared.py`` holds them to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.constants import SINGLE
from django.http import Http404


class Person:
    """The kind of a value that is the signed-in person (``qinshui_station.models.User``)."""


_BASE = 7_340_000_000_000  # stand-ins sit far from any id, count or amount the county will ever store


def _stand_in(kind: type, index: int) -> Any:
    n = _BASE + index
    if kind is int:
        return -n
    if kind is str:
        return f"\x1eprepared-{index}\x1e"
    if kind is Decimal:
        return Decimal(-n) - Decimal("0.25")
    if kind is dt.datetime:
        return dt.datetime(1, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=index + 1)
    if kind is dt.date:
        return dt.date(1, 1, 1) + dt.timedelta(days=index + 1)
    if kind is list:
        return [-n]
    raise TypeError(f"a prepared read takes int, str, Decimal, date, datetime or list values, not {kind!r}")


def _checked(name: str, kind: type, value: Any) -> Any:
    if value is None:
        raise ValueError(f"prepared read: {name} is None (= NULL would match nothing); build another read")
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            value = int(value)  # a primary key may arrive as text (a session's user id)
        return value
    if kind is dt.date and isinstance(value, dt.datetime):
        raise TypeError(f"prepared read: {name} must be a date, not a datetime")
    if not isinstance(value, kind):
        raise TypeError(f"prepared read: {name} must be {kind.__name__}, not {type(value).__name__}")
    if kind is list:
        return [int(v) for v in value]
    return value


class _Plan:
    """The SQL of one read on one database, the positions of its values, and the compiler that wrote it."""

    def __init__(self, compiler, sql: str, params: tuple, stand_ins: dict[str, Any]):
        self.compiler, self.sql, self.params = compiler, sql, list(params)
        self.slots: list[tuple[int, str]] = []
        for name, stand_in in stand_ins.items():
            found = [i for i, p in enumerate(self.params) if type(p) is type(stand_in) and p == stand_in]
            if not found and "." not in name:  # a person's id or organization is used by some roles' shapes only
                raise ValueError(f"prepared read: the value {name!r} is not a parameter of the compiled SQL (a lookup "
                                 f"rewrote it, or the read does not use it): {sql}")
            self.slots += [(i, name) for i in found]

    def bind(self, values: dict[str, Any]) -> list:
        params = self.params.copy()
        for i, name in self.slots:
            if values[name] is None:  # a person without an organization, in a shape that names it
                raise ValueError(f"prepared read: {name} is None (= NULL would match nothing)")
            params[i] = values[name]
        return params

    def compiler_for(self, alias: str, params: list):
        """A copy of the compiler that answers with the kept SQL and this call's values, on this thread's
        connection: Django's iterables read its columns and converters as they would the original's."""
        compiler = object.__new__(type(self.compiler))
        compiler.__dict__ = self.compiler.__dict__.copy()
        compiler.connection = connections[alias]
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler


class Prepared:
    """A read compiled once a process. ``build`` takes the values as keyword arguments and returns the queryset;
    ``params`` names each value's type (int, str, Decimal, date, datetime or list of ints)."""

    def __init__(self, build: Callable[..., QuerySet], /, **params: type):
        self._build, self._params = build, params
        self._plans: dict[tuple[str, str], _Plan] = {}

    def _values(self, values: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """The call's values by parameter (a person as their id and organization), and the shape's key."""
        if values.keys() != self._params.keys():
            raise TypeError(f"prepared read: expected values {sorted(self._params)}, got {sorted(values)}")
        checked, role = {}, ""
        for name, kind in self._params.items():
            value = values[name]
            if kind is Person:
                if not getattr(value, "is_authenticated", False):
                    raise ValueError(f"prepared read: {name} must be a signed-in person")
                role = value.role
                checked[f"{name}.pk"], checked[f"{name}.organization"] = value.pk, value.organization_id
            else:
                checked[name] = _checked(name, kind, value)
        return checked, role

    def _stand_ins(self, role: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The values the queryset is built with, and the stand-ins to find in the SQL's parameters."""
        built, found = {}, {}
        for i, (name, kind) in enumerate(self._params.items()):
            if kind is Person:
                from qinshui_station.models import Organization, User

                pk, organization = _stand_in(int, 2 * i), _stand_in(int, 2 * i + 1)
                person = User(pk=pk, role=role, organization_id=organization, is_active=True)
                person.organization = Organization(pk=organization)
                built[name] = person
                found[f"{name}.pk"], found[f"{name}.organization"] = pk, organization
            else:
                built[name] = found[name] = _stand_in(kind, 2 * i)
        return built, found

    def _queryset(self, stand_ins: dict[str, Any]) -> QuerySet:
        queryset = self._build(**stand_ins)
        if queryset._prefetch_related_lookups:
            raise ValueError("prepared read: prefetch_related runs further queries; read them separately")
        return queryset


@contextmanager
def _compiling():
    """A lookup that does arithmetic on its value (``__year`` turns it into two dates) fails on a stand-in: said as
    what it means."""
    try:
        yield
    except (ArithmeticError, TypeError) as error:
        raise ValueError(f"prepared read: the value is not a parameter of the SQL: a lookup rewrites it ({error})") \
            from error


class Rows(Prepared):
    """``rows(**values)``: what ``list(queryset)`` gives."""

    def __init__(self, build, /, **params):
        super().__init__(build, **params)
        self._querysets: dict[tuple[str, str], QuerySet] = {}

    def _plan(self, alias: str | None, role: str = "") -> tuple[_Plan, QuerySet]:
        key = (alias or "default", role)
        plan = self._plans.get(key)
        if plan is None:
            built, stand_ins = self._stand_ins(role)
            with _compiling():
                queryset = self._queryset(built)
                if alias:
                    queryset = queryset.using(alias)
                compiler = queryset.query.get_compiler(using=queryset.db)
                try:
                    sql, params = compiler.as_sql()
                except EmptyResultSet:  # ``.none()``: a role that sees nothing
                    sql, params = "", ()
            plan = self._plans[key] = _Plan(compiler, sql, params, stand_ins if sql else {})
            self._querysets[key] = queryset
        return plan, self._querysets[key]

    def __call__(self, *, using: str | None = None, **values) -> list:
        values, role = self._values(values)
        plan, template = self._plan(using, role)
        if not plan.sql:
            return []
        compiler = plan.compiler_for(template.db, plan.bind(values))
        query = object.__new__(type(template.query))
        query.__dict__ = template.query.__dict__.copy()
        query.get_compiler = lambda *args, **kwargs: compiler
        queryset = object.__new__(type(template))
        queryset.__dict__ = template.__dict__.copy()
        queryset._query, queryset._result_cache = query, None  # not ``.query =``: its setter resets the iterable
        return list(queryset._iterable_class(queryset))

    def first(self, **values):
        """The first row, or None (the queryset should be sliced ``[:1]``)."""
        rows = self(**values)
        return rows[0] if rows else None

    def get_or_404(self, **values):
        """The row, or a 404 (``get_object_or_404`` on a selector's queryset)."""
        row = self.first(**values)
        if row is None:
            raise Http404
        return row


class RowCount(Prepared):
    """``count(**values)``: how many rows the queryset gives (its slice included: ``[:100]`` counts up to 100)."""

    def __call__(self, *, using: str | None = None, **values) -> int:
        values, role = self._values(values)
        key = (using or "default", role)
        plan = self._plans.get(key)
        if plan is None:
            built, stand_ins = self._stand_ins(role)
            with _compiling():
                queryset = self._queryset(built).values("pk")
                if using:
                    queryset = queryset.using(using)
                compiler = queryset.query.get_compiler(using=queryset.db)
                try:
                    sql, params = compiler.as_sql()
                    sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"
                except EmptyResultSet:  # ``.none()``: a role that sees nothing
                    sql, params = "", ()
            plan = self._plans[key] = _Plan(compiler, sql, params, stand_ins if sql else {})
        if not plan.sql:
            return 0
        with connections[using or "default"].cursor() as cursor:
            cursor.execute(plan.sql, plan.bind(values))
            return cursor.fetchone()[0]


@cache
def _recording(query_class):
    """The query's class, but its own aggregation's compiler (not a subquery's, which a clone compiles) is kept
    with the SQL it writes instead of being run."""

    def get_compiler(self, *args, **kwargs):
        compiler = query_class.get_compiler(self, *args, **kwargs)
        if self is getattr(self, "_prepared_target", None):
            compiler.execute_sql = lambda *a, **k: self._prepared_written.append((compiler, *compiler.as_sql()))
        return compiler

    return type(f"Recording{query_class.__name__}", (query_class,), {"get_compiler": get_compiler})


class Aggregate(Prepared):
    """``aggregate(**values)``: what ``queryset.aggregate(**aggregates)`` gives. Only an aggregate Django writes
    without a subquery (no slice, no DISTINCT, no aggregate annotation before it) can be kept."""

    def __init__(self, build, /, aggregates: dict, **params):
        super().__init__(build, **params)
        self._aggregates = aggregates
        self._outputs: dict[tuple[str, str], tuple] = {}

    def _plan(self, alias: str, role: str) -> _Plan:
        plan = self._plans.get((alias, role))
        if plan is None:
            built, stand_ins = self._stand_ins(role)
            with _compiling():
                query = self._queryset(built).query.chain()
            written = []
            query.__class__ = _recording(type(query))
            query._prepared_target, query._prepared_written = query, written
            with _compiling():
                query.get_aggregation(alias, dict(self._aggregates))
            if not written:
                raise ValueError("prepared read: this aggregate needs a subquery; use RowCount or Rows")
            compiler, sql, params = written[0]
            del compiler.execute_sql  # the recorder; calls run the compiler's own
            columns = list(compiler.query.annotation_select.items())
            self._outputs[(alias, role)] = ([name for name, _ in columns],
                                            compiler.get_converters([c for _, c in columns]))
            plan = self._plans[(alias, role)] = _Plan(compiler, sql, params, stand_ins)
        return plan

    def __call__(self, *, using: str | None = None, **values) -> dict:
        values, role = self._values(values)
        alias = using or "default"
        plan = self._plan(alias, role)
        compiler = plan.compiler_for(alias, plan.bind(values))
        row = compiler.execute_sql(SINGLE)
        names, converters = self._outputs[(alias, role)]
        row = next(compiler.apply_converters((row,), converters)) if converters else row
        return dict(zip(names, row, strict=True))
