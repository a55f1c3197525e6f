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

The kept SQL runs as a statement PostgreSQL keeps prepared on the connection (``prepare_threshold`` in the
database's OPTIONS, values bound on the server): parsing and planning a page's reads cost PostgreSQL more than
running them (0.1–1.7 ms a statement against 0.01–0.5 ms at the five-year dataset). The SQL's constants (a state a
selector filters on) are written into it as literals, so PostgreSQL plans once for what they are and reuses the
plan; only the call's values remain parameters.

The SQL is written twice, with two different sets of stand-ins (small numbers, dates of 2001 and 2002, marked
texts: within every column's range, which Django checks): a parameter that holds the first stand-in in the first
SQL and the second in the second is that value's place; every other parameter and the text must be the same both
times, or the read refuses to compile.

Rules, each checked when the SQL is compiled (a read that breaks one refuses to compile, with the reason):
- every value is a parameter of the SQL: a lookup that rewrites its value (``__year``, ``__in`` over a list,
  ``__isnull``) cannot take a call's value; write it as a range, ``AnyOf`` (``= ANY``) or a fixed part of the shape;
- a value may not be None (``= NULL`` is not ``IS NULL``): a None is refused at the call;
- no ``prefetch_related`` (it runs further queries); a slice is part of the shape (``Rows.pages`` makes LIMIT and
  OFFSET parameters for a paginator);
- an optional value (``Maybe(int)``, a list's filter) is a shape of its own when absent: the SQL is kept for each
  combination of the filters a person uses.

A read scoped by a selector takes the signed-in person as a ``Person`` value: the selector decides the shape by
the person's role (a unit's rows, a department's sector, everything for the bureau), so the SQL is kept per role,
and the person's id and organization are its parameters. The selectors read nothing else of the person (their
role, organization, id and that they are signed in; ``tests/qinshui_station/test_prepared.py`` holds them to it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import QuerySet
from django.db.models.sql.constants import SINGLE
from django.http import Http404
from psycopg import ClientCursor
from psycopg.sql import Literal


class PreparedError(ValueError):
    """A read that cannot be kept as it is written, or a call with a value it cannot take."""


# How many statements one connection keeps prepared (psycopg's default is 100; a worker serving every page runs
# a few hundred kept reads, and one evicted is prepared again on its next call).
PREPARED_PER_CONNECTION = 500


class _Written:
    """What a kept read ran, as the query log shows it: the SQL with its values written in, as Django's own
    cursors send it, worked out only when read (DEBUG, the tests' query capture)."""

    def __init__(self, connection, sql: str, params):
        self._connection, self._sql, self._params = connection, sql, params

    @property
    def query(self) -> bytes:
        return ClientCursor(self._connection).mogrify(self._sql, self._params).encode()


class KeptReadCursor(ServerBindingCursor):
    """Binds the values on the server, so PostgreSQL can keep the statement prepared. Django's query log reads
    what a cursor ran from psycopg's ``_query``, which psycopg leaves unset for a prepared statement: it is set here
    after each statement."""

    def execute(self, query, params=None, **kwargs):
        try:
            return super().execute(query, params, **kwargs)
        finally:
            self._query = _Written(self.connection, query, params)


@contextmanager
def _prepared_on_server(alias: str):
    """Run a kept read's SQL as a statement PostgreSQL keeps prepared on this connection. Planning a query costs
    PostgreSQL more than running these reads (0.1–1.7 ms against 0.01–0.5 ms at the five-year dataset): the same
    text with the same types of values is parsed and planned once a connection. Needs the values bound on the
    server (psycopg's server-binding cursor: Django's cursors write them into the text, which changes it every
    call) and ``prepare_threshold`` set in the database's OPTIONS (settings.py; Django turns preparing off by
    default, for connection poolers in transaction mode). Only the kept reads do this: their text is Django's own
    compiled once; every other statement stays bound on the client."""
    connection = connections[alias]
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepared_max is not None and raw.prepared_max < PREPARED_PER_CONNECTION:
        raw.prepared_max = PREPARED_PER_CONNECTION
    factory, raw.cursor_factory = raw.cursor_factory, KeptReadCursor
    try:
        yield
    finally:
        raw.cursor_factory = factory


@contextmanager
def prepared_cursor(using: str = "default"):
    """A cursor for hand-written SQL whose text never changes with its values (a page's combined read, the round's
    standing): PostgreSQL keeps each statement prepared, as it does the kept reads'."""
    with _prepared_on_server(using), connections[using].cursor() as cursor:
        yield cursor


class Person:
    """The kind of a value that is the signed-in person (``qinshui_station.models.User``)."""


class Maybe:
    """An optional value (a list's filter): None or "" builds the queryset without it, a shape of its own.
    ``Maybe(bool)`` is a switch: on (True) or off, two shapes, no parameter."""

    def __init__(self, kind: type):
        self.kind = kind


class Fixed:
    """A value with few values over the years (a year's batch, a round): written into the SQL, a shape of its own
    for each value. PostgreSQL then plans for this batch (its 1,000 applications, not the average batch's 4,333)
    and keeps the plan, where with the value as a parameter it re-planned every call, its guess for an unknown
    batch too far from the plan for the one at hand. Only for values a handful of which exist: each is kept."""

    def __init__(self, kind: type):
        self.kind = kind


def _stand_in(kind: type, index: int, turn: int) -> Any:
    """The ``index``-th value's stand-in in the ``turn``-th writing (0 or 1): inside every column's range
    (Django answers an out-of-range integer with an empty result, not with SQL)."""
    n = 30001 + index + 200 * turn
    if kind is int:
        return n
    if kind is str:
        return f"\x1eprepared-{turn}-{index}\x1e"
    if kind is Decimal:
        return Decimal(n) + Decimal("0.25")
    if kind is dt.datetime:
        return dt.datetime(2001 + turn, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=index + 1)
    if kind is dt.date:
        return dt.date(2001 + turn, 1, 1) + dt.timedelta(days=index + 1)
    if kind is list:
        return [n]
    raise TypeError(f"a prepared read takes int, str, Decimal, date, datetime or list values, not {kind!r}")


def _checked(name: str, kind: type, value: Any) -> Any:
    if value is None:
        raise PreparedError(f"prepared read: {name} is None (= NULL would match nothing); build another read")
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


def _same(param, stand_in) -> bool:
    """Whether a parameter is this stand-in: itself, wrapped as Django passes it (a small integer column's value
    as psycopg's ``Int2``, an ``int`` subclass), or a number written as text (an audit entry's ``object_id``)."""
    if type(param) is str and type(stand_in) is int:
        return param == str(stand_in)
    return isinstance(param, type(stand_in)) and not isinstance(param, bool) and param == stand_in


_PLACEHOLDER = re.compile(r"%%|%s")  # a parameter's place in Django's SQL (%% is a written %)


class _Plan:
    """The SQL of one read on one database, the positions of its values, and the compiler that wrote it.
    ``written``: the two writings, each (compiler, sql, params, stand-ins by value name); an empty SQL is a read
    that gives nothing (``.none()``)."""

    def __init__(self, written: list[tuple], alias: str):
        (self.compiler, self.sql, params, first), (_, sql, other, second) = written
        self.params = list(params)
        self.slots: list[tuple[int, str, type]] = []
        if not self.sql:
            return
        if sql != self.sql or len(other) != len(params):
            raise PreparedError(f"prepared read: the SQL changes with the values, so it cannot be kept: {self.sql}")
        taken = set()
        for name in first:
            found = [i for i, (a, b) in enumerate(zip(params, other, strict=True))
                     if _same(a, first[name]) and _same(b, second[name])]
            if not found and "." not in name:  # a person's id or organization is used by some roles' shapes only
                raise PreparedError(f"prepared read: the value {name!r} is not a parameter of the SQL (a lookup "
                                    f"rewrites it, or the read does not use it): {self.sql}")
            self.slots += [(i, name, type(params[i])) for i in found]
            taken.update(found)
        if any(type(a) is not type(b) or a != b for i, (a, b) in enumerate(zip(params, other, strict=True))
               if i not in taken):
            raise PreparedError(f"prepared read: a value is rewritten before it reaches the SQL: {self.sql}")
        self._write_in_constants(alias)

    def _write_in_constants(self, alias: str) -> None:
        """Write the parameters that are the same on every call (a state the selector filters on, a flag) into
        the SQL as literals, leaving the call's values as parameters. PostgreSQL plans a prepared statement for
        any value of its parameters (a generic plan) only when that plan is about as good as one made for the
        values at hand; with ``state = $1`` it cannot know which state, guesses its share of the rows, and went
        on planning every call afresh. Written in, the constants are planned for what they are."""
        connection = connections[alias]
        connection.ensure_connection()
        context, kept, moved = connection.connection, [], {}
        constants = set(range(len(self.params))) - {i for i, _name, _kind in self.slots}
        positions = itertools.count()

        def place(match: re.Match) -> str:
            if match.group() == "%%":
                return "%%"
            index = next(positions)
            if index not in constants:  # a call's value (or a page's LIMIT and OFFSET, after the query's own)
                if index < len(self.params):
                    moved[index] = len(kept)
                    kept.append(self.params[index])
                return "%s"
            return Literal(self.params[index]).as_string(context).replace("%", "%%")

        self.sql = _PLACEHOLDER.sub(place, self.sql)
        self.params = kept
        self.slots = [(moved[i], name, kind) for i, name, kind in self.slots]

    def bind(self, values: dict[str, Any]) -> list:
        params = self.params.copy()
        for i, name, kind in self.slots:
            value = values[name]
            if value is None:  # a person without an organization, in a shape that names it
                raise PreparedError(f"prepared read: {name} is None (= NULL would match nothing)")
            params[i] = value if type(value) is kind else kind(value)  # wrapped as the stand-in was (Int2)
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
    ``params`` names each value's type (int, str, Decimal, date, datetime or list of ints; ``Person``; ``Maybe``)."""

    def __init__(self, build: Callable[..., QuerySet], /, **params: type):
        self._build, self._params = build, params
        self._plans: dict[tuple, _Plan] = {}

    def _values(self, values: dict[str, Any]) -> tuple[dict[str, Any], tuple]:
        """The call's values by parameter (a person as their id and organization), and the shape they ask for:
        the person's role and which optional values are absent."""
        if values.keys() != self._params.keys():
            raise TypeError(f"prepared read: expected values {sorted(self._params)}, got {sorted(values)}")
        checked, role, absent, fixed = {}, "", [], []
        for name, kind in self._params.items():
            value = values[name]
            if isinstance(kind, Fixed):
                fixed.append((name, _checked(name, kind.kind, value)))
            elif kind is Person:
                if not getattr(value, "is_authenticated", False):
                    raise PreparedError(f"prepared read: {name} must be a signed-in person")
                role = value.role
                checked[f"{name}.pk"], checked[f"{name}.organization"] = value.pk, value.organization_id
            elif isinstance(kind, Maybe):
                if value is None or value == "" or value is False:
                    absent.append(name)
                elif kind.kind is not bool:  # a switch (Maybe(bool)) is its shape alone
                    checked[name] = _checked(name, kind.kind, value)
            else:
                checked[name] = _checked(name, kind, value)
        return checked, (role, tuple(absent), tuple(fixed)) if fixed else (role, tuple(absent))

    def _stand_ins(self, shape: tuple, turn: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The values the queryset is built with (an absent optional value as None), and the stand-ins to find
        in the SQL's parameters."""
        role, absent, *fixed = shape
        fixed = dict(fixed[0]) if fixed else {}
        built, found = {}, {}
        for i, (name, kind) in enumerate(self._params.items()):
            if name in fixed:  # the same value in both writings: a constant, written into the SQL
                built[name] = fixed[name]
            elif kind is Person:
                from qinshui_station.models import Organization, User

                pk, organization = _stand_in(int, 2 * i, turn), _stand_in(int, 2 * i + 1, turn)
                person = User(pk=pk, role=role, organization_id=organization, is_active=True)
                person.organization = Organization(pk=organization)
                built[name] = person
                found[f"{name}.pk"], found[f"{name}.organization"] = pk, organization
            elif name in absent:
                built[name] = None
            elif isinstance(kind, Maybe) and kind.kind is bool:
                built[name] = True
            else:
                built[name] = found[name] = _stand_in(kind.kind if isinstance(kind, Maybe) else kind, 2 * i, turn)
        return built, found

    def _queryset(self, built: dict[str, Any], alias: str) -> QuerySet:
        queryset = self._build(**built)
        if queryset._prefetch_related_lookups:
            raise PreparedError("prepared read: prefetch_related runs further queries; read them separately")
        return queryset.using(alias) if alias != "default" else queryset

    def _compile(self, shape: tuple, write: Callable[[dict], tuple], alias: str) -> _Plan:
        """Write the SQL twice (``write(built) -> (compiler, sql, params)``) and find the values' places."""
        written = []
        for turn in (0, 1):
            built, found = self._stand_ins(shape, turn)
            try:
                compiler, sql, params = write(built)
            except EmptyResultSet:  # ``.none()``: a role that sees nothing
                compiler, sql, params = None, "", ()
            except PreparedError:
                raise
            except (ArithmeticError, TypeError, ValueError) as error:  # ``__year`` turns its value into two dates
                raise PreparedError(f"prepared read: a value is not a parameter of the SQL: a lookup rewrites it "
                                    f"({error})") from error
            written.append((compiler, sql, params, found))
        return _Plan(written, alias)


_LIMIT, _OFFSET = 7_340_001, 7_340_003  # the stand-in slice of paged reads, found and replaced in the SQL


class Pages:
    """A prepared read's rows as the paginator slices them (``Rows.pages``). Give the paginator the count when the
    page knows it (a kept total); else it asks ``count()``, the same read counted (compiled once too)."""

    def __init__(self, read: Rows, values: dict):
        self.read, self.values = read, values

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None or index.start is None or index.stop is None:
            raise TypeError("prepared pages are read by a slice with a start and a stop")
        if index.stop <= index.start:
            return []
        return self.read(**self.values, _slice=(index.start, index.stop))

    def count(self) -> int:
        return self.read.counted(**self.values)


class Rows(Prepared):
    """``rows(**values)``: what ``list(queryset)`` gives."""

    def __init__(self, build, /, **params):
        super().__init__(build, **params)
        self._querysets: dict[tuple, QuerySet] = {}
        self._counter: RowCount | None = None

    def _plan(self, alias: str, shape: tuple, page: tuple[int, bool] | None = None) -> tuple[_Plan, QuerySet]:
        """``page``: a paged read's size and whether it is the first page. The size is written into the SQL (a list
        has one), and so is the first page's lack of an OFFSET: PostgreSQL plans a prepared ``LIMIT 50`` once, but
        re-plans ``LIMIT $1`` or ``OFFSET $1`` on every call (it cannot tell how far the rows are read). The other
        pages take their OFFSET as a parameter."""
        key = (alias, shape, page)
        plan = self._plans.get(key)
        if plan is None:
            querysets = []

            def write(built):
                queryset = self._queryset(built, alias)
                if page:  # written with a stand-in slice, replaced by the page's LIMIT and OFFSET
                    if queryset.query.is_sliced:
                        raise PreparedError("prepared read: a paged read must not be sliced")
                    queryset = queryset[_OFFSET:_OFFSET + _LIMIT]
                querysets.append(queryset)
                compiler = queryset.query.get_compiler(using=queryset.db)
                sql, params = compiler.as_sql()
                if page:
                    limit = f" LIMIT {_LIMIT} OFFSET {_OFFSET}"
                    if not sql.endswith(limit):
                        raise PreparedError(f"prepared read: the LIMIT is not at the end of the SQL: {sql}")
                    size, first = page
                    sql = sql[: -len(limit)] + f" LIMIT {int(size)}" + ("" if first else " OFFSET %s")
                return compiler, sql, params

            plan = self._plans[key] = self._compile(shape, write, alias)
            self._querysets[key] = querysets[0]
        return plan, self._querysets[key]

    def __call__(self, *, using: str | None = None, _slice: tuple[int, int] | None = None, **values) -> list:
        values, shape = self._values(values)
        alias = using or "default"
        page = None if _slice is None else (_slice[1] - _slice[0], _slice[0] == 0)
        plan, template = self._plan(alias, shape, page)
        if not plan.sql:
            return []
        params = plan.bind(values)
        if page and not page[1]:
            params.append(_slice[0])
        compiler = plan.compiler_for(alias, params)
        query = object.__new__(type(template.query))
        query.__dict__ = template.query.__dict__.copy()
        query.get_compiler = lambda *args, **kwargs: compiler
        queryset = object.__new__(type(template))
        queryset.__dict__ = template.__dict__.copy()
        queryset._query, queryset._result_cache = query, None  # not ``.query =``: its setter resets the iterable
        with _prepared_on_server(alias):
            return list(queryset._iterable_class(queryset))

    def first(self, **values):
        """The first row, or None (the queryset should be sliced ``[:1]``)."""
        rows = self(**values)
        return rows[0] if rows else None

    def pages(self, **values) -> Pages:
        """The rows to page through: ``pages[start:stop]`` reads that slice (the paginator's page) with the
        same kept SQL, its LIMIT and OFFSET parameters too. The queryset must not be sliced."""
        return Pages(self, values)

    def counted(self, **values) -> int:
        """How many rows the read gives (``RowCount`` of the same queryset, made on first use)."""
        if self._counter is None:
            self._counter = RowCount(self._build, **self._params)
        return self._counter(**values)

    def get_or_404(self, **values):
        """The row, or a 404 (``get_object_or_404`` on a selector's queryset)."""
        row = self.first(**values)
        if row is None:
            raise Http404
        return row


class RowCount(Prepared):
    """``count(**values)``: how many rows the queryset gives (its slice included: ``[:100]`` counts up to 100)."""

    def __call__(self, *, using: str | None = None, **values) -> int:
        values, shape = self._values(values)
        alias = using or "default"
        plan = self._plans.get((alias, shape))
        if plan is None:
            def write(built):
                queryset = self._queryset(built, alias)
                if not queryset.query.is_sliced:  # as count() does: an ordering's joins count nothing
                    queryset = queryset.order_by()
                queryset = queryset.values("pk")
                compiler = queryset.query.get_compiler(using=queryset.db)
                sql, params = compiler.as_sql()
                return compiler, f"SELECT COUNT(*) FROM ({sql}) AS counted", params

            plan = self._plans[(alias, shape)] = self._compile(shape, write, alias)
        if not plan.sql:
            return 0
        with prepared_cursor(alias) as cursor:
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
        self._outputs: dict[tuple, tuple] = {}

    def _plan(self, alias: str, shape: tuple) -> _Plan:
        plan = self._plans.get((alias, shape))
        if plan is None:
            def write(built):
                query = self._queryset(built, alias).query.chain()
                written = []
                query.__class__ = _recording(type(query))
                query._prepared_target, query._prepared_written = query, written
                query.get_aggregation(alias, dict(self._aggregates))
                if not written:
                    raise PreparedError("prepared read: this aggregate needs a subquery; use RowCount or Rows")
                compiler, sql, params = written[0]
                del compiler.execute_sql  # the recorder; calls run the compiler's own
                return compiler, sql, params

            plan = self._compile(shape, write, alias)
            columns = list(plan.compiler.query.annotation_select.items())
            self._outputs[(alias, shape)] = ([name for name, _ in columns],
                                             plan.compiler.get_converters([c for _, c in columns]))
            self._plans[(alias, shape)] = plan
        return plan

    def __call__(self, *, using: str | None = None, **values) -> dict:
        values, shape = self._values(values)
        alias = using or "default"
        plan = self._plan(alias, shape)
        compiler = plan.compiler_for(alias, plan.bind(values))
        with _prepared_on_server(alias):
            row = compiler.execute_sql(SINGLE)
        names, converters = self._outputs[(alias, shape)]
        row = next(compiler.apply_converters((row,), converters)) if converters else row
        return dict(zip(names, row, strict=True))


def attach(instance, name: str, rows: list) -> None:
    """Put the rows of a related set (``instance.<name>``, a reverse foreign key), read by a prepared read, where
    ``prefetch_related`` puts them: ``instance.<name>.all()`` gives them without a query, each row knowing its
    instance."""
    manager = getattr(instance, name)
    for row in rows:
        manager.field.set_cached_value(row, instance)
    queryset = manager.get_queryset()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
