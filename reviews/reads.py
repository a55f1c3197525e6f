"""A page's reads in one round trip. Each ``Read`` is a few scalar subqueries (one value each, usually a JSON
array as text) with the function that turns their values into its result; ``together`` runs several reads as one
``SELECT`` and returns their results in order, ``one`` runs a single read. The scoring form and the evaluation
page read the rubric, the sheet's values, the evidence and ledger, and the panel: one round trip instead of four,
each of which cost its execution in Python and the database's answer (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qinshui_station.prepared import prepared_cursor


@dataclass(frozen=True)
class Read:
    columns: tuple[str, ...]  # SQL expressions, each yielding one value
    params: tuple  # the columns' parameters, in the order of their placeholders
    parse: Callable[[tuple], Any]  # the columns' values → the read's result


def together(*reads: Read) -> list:
    with prepared_cursor() as cursor:  # the text is the same on every call: PostgreSQL keeps it prepared
        cursor.execute("SELECT " + ", ".join(c for read in reads for c in read.columns),
                       [p for read in reads for p in read.params])
        row = cursor.fetchone()
    results, start = [], 0
    for read in reads:
        results.append(read.parse(row[start:start + len(read.columns)]))
        start += len(read.columns)
    return results


def one(read: Read):
    return together(read)[0]
