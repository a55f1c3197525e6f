"""Many rows from Python into one set-based statement.

``rows(cursor, columns, values)`` gives an SQL source (``FROM <source>``) of the rows, aliased ``r`` with the
given column names and an ``n`` (1, 2, … in the given order), and its parameters. A few rows travel as one array
per column (``unnest``); many are copied (``COPY … FROM STDIN``) into a temporary table dropped at the end of the
transaction: an array parameter is quoted element by element in Python (Django's psycopg cursor binds on the
client), which for a round's 40,000 audit entries cost seconds; COPY streams them in a fraction of that.
The statements that read the source are the same either way.

``insert(model, names, values, **constants)`` writes new rows of a model that way (a round's thousands of second
tranches: ``bulk_create`` bound nine parameters a row in Python). ``collector_paused()`` keeps Python's cycle
collector from walking the whole process again and again while a set-based service builds its rows."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

COPY_FROM = 500  # from this many rows on, COPY into a temporary table (callers hold a transaction:
#                  ``transaction.atomic(savepoint=False)`` around the source and the statement reading it)
_names = itertools.count(1)


def rows(cursor, columns: Sequence[tuple[str, str]], values: Sequence[Sequence]) -> tuple[str, list]:
    """``columns``: (name, PostgreSQL type) pairs; ``values``: one tuple per row in that order. Returns
    (SQL source aliased ``r(<names>, n)``, its parameters)."""
    names = ", ".join(name for name, _type in columns)
    if len(values) < COPY_FROM:
        arrays = ", ".join(f"%s::{pg_type}[]" for _name, pg_type in columns)
        return (f"unnest({arrays}) WITH ORDINALITY AS r({names}, n)",
                [[row[i] for row in values] for i in range(len(columns))])
    table = f"bulk_rows_{next(_names)}"
    cursor.execute(f"CREATE TEMPORARY TABLE {table} (n bigint, "
                   f"{', '.join(f'{name} {pg_type}' for name, pg_type in columns)}) ON COMMIT DROP")
    with cursor.copy(f"COPY {table} (n, {names}) FROM STDIN") as copy:
        for n, row in enumerate(values, 1):
            copy.write_row((n, *row))
    return f"{table} AS r", []


def insert(model, names: Sequence[str], values: Sequence[Sequence], **constants: Any) -> list[int]:
    """New rows of ``model`` in one ``INSERT … SELECT`` from ``rows``: ``names`` are the fields that differ between
    rows (``values``: a tuple per row, in that order), ``constants`` fields the same on every row; every other
    field takes its default (``auto_now``/``auto_now_add``: now) — what ``bulk_create`` would write, one parameter
    per constant. No ``save()``, no signals: the caller validates what it writes and the database checks its
    constraints. Returns the new primary keys in the order of ``values``."""
    from django.db import connection, transaction
    from django.utils import timezone

    if not values:
        return []
    meta, now = model._meta, timezone.now()
    varying = [meta.get_field(name) for name in names]
    given = {meta.get_field(name).attname: value for name, value in constants.items()}
    fixed = []
    for field in meta.concrete_fields:
        if field.primary_key or field in varying:
            continue
        if field.attname in given:
            value = given.pop(field.attname)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        fixed.append((field, field.get_db_prep_save(value, connection)))
    if given:
        raise TypeError(f"{meta.label}: not a field insert writes: {sorted(given)}")  # the primary key
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        source, params = rows(
            cursor, [(f"c{i}", field.db_type(connection)) for i, field in enumerate(varying)],
            [tuple(field.get_db_prep_save(value, connection) for field, value in zip(varying, row, strict=True))
             for row in values])
        columns = ", ".join(f'"{field.column}"' for field in [*(f for f, _v in fixed), *varying])
        chosen = ", ".join([*(f"%s::{field.db_type(connection)}" for field, _value in fixed),
                            *(f"r.c{i}" for i in range(len(varying)))])
        cursor.execute(f'INSERT INTO "{meta.db_table}" ({columns}) SELECT {chosen} FROM {source} ORDER BY r.n '
                       f'RETURNING "{meta.pk.column}"', [*(value for _field, value in fixed), *params])
        return [pk for (pk,) in cursor.fetchall()]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, then as it was. A set-based service makes hundreds of
    thousands of short-lived objects (rows, audit entries, notices) that reference counting frees (they hold no
    cycles); while it does, the collector ran over a thousand times, and each full collection walked every object
    the process holds — for a round of 20,000 evaluations about 2 s of the finalization's Python time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
