"""Many rows from Python into one set-based statement.

``rows(cursor, columns, values)`` gives an SQL source (``FROM <source>``) of the rows, aliased ``r`` with the
given column names and an ``n`` (1, 2, … in the given order), and its parameters. A few rows travel as one array
per column (``unnest``); many are copied (``COPY … FROM STDIN``) into a temporary table dropped at the end of the
transaction: an array parameter is quoted element by element in Python (Django's psycopg cursor binds on the
client), which for a round's 40,000 audit entries cost seconds; COPY streams them in a fraction of that.
The statements that read the source are the same either way."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

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
