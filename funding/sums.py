"""Sums kept with the rows they sum (issue 16, docs/performance.md "Sums kept with their rows").

The county ledger and the dashboards show, for every grant, what was disbursed, is pending, was cancelled, spent,
questioned, is due back and was recovered, and the totals of the whole county. Summing the tranches,
expenditures and recoveries of 20,000 grants on every view cost most of a page's time, so:

- each ``Grant`` row carries its own sums (``SUM_FIELDS``);
- each ``LedgerYear`` row carries the totals of one batch year's grants (and their count).

Every service that writes a tranche, an expenditure or a recovery calls ``refresh(grant_ids=...)`` before its
transaction ends: the grants' sums are recomputed from their rows, then the totals of their batch years from
the grants. Nothing is added up incrementally, so a sum can only be wrong if a write skips ``refresh``;
``mismatches()`` (``manage.py check_sums``, and a test) compares every stored sum with a recomputation.

Locking: the grants are locked (in id order) before they are recomputed and the year rows (in year order)
before the years are; both statements run after their locks are held, so under READ COMMITTED they read what
concurrent writers committed and no update is lost. The year rows are locked last, after every row a service
locks, so the order of locks is the same in every transaction."""

from __future__ import annotations

from django.db import connection

SUM_FIELDS = ("disbursed", "pending", "cancelled", "spent", "questioned", "recovery_due", "recovered")

# The grants' sums computed from their rows; %(where)s limits the grants (to ids, or nothing).
_FRESH = """
    SELECT g.id,
           COALESCE(t.disbursed, 0) AS disbursed, COALESCE(t.pending, 0) AS pending,
           COALESCE(t.cancelled, 0) AS cancelled, COALESCE(e.spent, 0) AS spent,
           COALESCE(e.questioned, 0) AS questioned, COALESCE(r.due, 0) AS recovery_due,
           COALESCE(r.recovered, 0) AS recovered
    FROM funding_grant g
    LEFT JOIN (SELECT grant_id, SUM(amount) FILTER (WHERE state = 'disbursed') AS disbursed,
                      SUM(amount) FILTER (WHERE state IN ('scheduled', 'approved')) AS pending,
                      SUM(amount) FILTER (WHERE state = 'cancelled') AS cancelled
               FROM funding_tranche {tranche_where} GROUP BY grant_id) t ON t.grant_id = g.id
    LEFT JOIN (SELECT grant_id, SUM(amount) AS spent, SUM(amount) FILTER (WHERE state = 'questioned') AS questioned
               FROM funding_expenditure {row_where} GROUP BY grant_id) e ON e.grant_id = g.id
    LEFT JOIN (SELECT grant_id, SUM(amount) AS due, SUM(amount) FILTER (WHERE state = 'recovered') AS recovered
               FROM funding_recovery {row_where} GROUP BY grant_id) r ON r.grant_id = g.id
    {grant_where}
"""

# The totals of batch years computed from the grants' stored sums.
_YEARS = """
    SELECT w.batch_year, COUNT(*) AS stations, SUM(g.amount) AS granted,
           {sums}
    FROM funding_grant g JOIN qinshui_station_workstation w ON w.id = g.workstation_id
    {where}
    GROUP BY w.batch_year
"""


def _fresh(ids: list[int] | None) -> tuple[str, dict]:
    if ids is None:
        return _FRESH.format(tranche_where="", row_where="", grant_where=""), {}
    return (_FRESH.format(tranche_where="WHERE grant_id = ANY(%(ids)s)", row_where="WHERE grant_id = ANY(%(ids)s)",
                          grant_where="WHERE g.id = ANY(%(ids)s)"), {"ids": ids})


def _years_sql(where: str) -> str:
    return _YEARS.format(sums=", ".join(f"SUM(g.{f}) AS {f}" for f in SUM_FIELDS), where=where)


def refresh(*, grant_ids) -> None:
    """Recompute the sums of these grants and the totals of their batch years (inside the caller's transaction)."""
    ids = sorted({int(pk) for pk in grant_ids})
    if not ids:
        return
    fresh, params = _fresh(ids)
    assignments = ", ".join(f"{f} = f.{f}" for f in SUM_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM funding_grant WHERE id = ANY(%(ids)s) ORDER BY id FOR UPDATE", params)
        cursor.execute(f"UPDATE funding_grant g SET {assignments} FROM ({fresh}) f WHERE g.id = f.id", params)
        cursor.execute("SELECT DISTINCT w.batch_year FROM funding_grant g JOIN qinshui_station_workstation w "
                       "ON w.id = g.workstation_id WHERE g.id = ANY(%(ids)s) ORDER BY 1", params)
        years = [year for (year,) in cursor.fetchall()]
        _refresh_years(cursor, years)


def _refresh_years(cursor, years: list[int]) -> None:
    cursor.execute("INSERT INTO funding_ledgeryear (batch_year, stations, granted, "
                   + ", ".join(SUM_FIELDS) + ") SELECT unnest(%(years)s::int[]), 0, 0"
                   + ", 0" * len(SUM_FIELDS) + " ON CONFLICT (batch_year) DO NOTHING", {"years": years})
    cursor.execute("SELECT batch_year FROM funding_ledgeryear WHERE batch_year = ANY(%(years)s) "
                   "ORDER BY batch_year FOR UPDATE", {"years": years})
    columns = ("stations", "granted", *SUM_FIELDS)
    cursor.execute(
        f"UPDATE funding_ledgeryear y SET {', '.join(f'{c} = COALESCE(s.{c}, 0)' for c in columns)} "
        f"FROM unnest(%(years)s::int[]) AS wanted(batch_year) "
        f"LEFT JOIN ({_years_sql('WHERE w.batch_year = ANY(%(years)s)')}) s ON s.batch_year = wanted.batch_year "
        f"WHERE y.batch_year = wanted.batch_year", {"years": years})


def refresh_all() -> None:
    """Every grant and every year (a migration, the scale dataset, a repair after a hand-made change)."""
    fresh, params = _fresh(None)
    assignments = ", ".join(f"{f} = f.{f}" for f in SUM_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE funding_grant, funding_ledgeryear IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"UPDATE funding_grant g SET {assignments} FROM ({fresh}) f WHERE g.id = f.id "
                       f"AND ({' OR '.join(f'g.{f} <> f.{f}' for f in SUM_FIELDS)})", params)
        cursor.execute("SELECT DISTINCT w.batch_year FROM funding_grant g JOIN qinshui_station_workstation w "
                       "ON w.id = g.workstation_id UNION SELECT batch_year FROM funding_ledgeryear ORDER BY 1")
        _refresh_years(cursor, [year for (year,) in cursor.fetchall()])


def mismatches(limit: int = 20) -> list[str]:
    """Every stored sum that differs from a recomputation from the rows, described (empty when all agree)."""
    fresh, params = _fresh(None)
    found = []
    with connection.cursor() as cursor:
        differs = " OR ".join(f"g.{f} <> f.{f}" for f in SUM_FIELDS)
        cursor.execute(f"SELECT g.id, {', '.join(f'g.{f}, f.{f}' for f in SUM_FIELDS)} FROM funding_grant g "
                       f"JOIN ({fresh}) f ON f.id = g.id WHERE {differs} ORDER BY g.id LIMIT {int(limit)}", params)
        for row in cursor.fetchall():
            pairs = zip(row[1::2], row[2::2], strict=True)
            found.append(f"grant {row[0]}: " + ", ".join(f"{name} stored {kept} but the rows sum to {real}"
                                                         for name, (kept, real) in zip(SUM_FIELDS, pairs, strict=True)
                                                         if kept != real))
        columns = ("stations", "granted", *SUM_FIELDS)
        cursor.execute(
            f"SELECT COALESCE(y.batch_year, s.batch_year), {', '.join(f'y.{c}, s.{c}' for c in columns)} "
            f"FROM funding_ledgeryear y FULL JOIN ({_years_sql('')}) s ON s.batch_year = y.batch_year "
            f"WHERE {' OR '.join(f'y.{c} IS DISTINCT FROM COALESCE(s.{c}, 0)' for c in columns)} "
            f"ORDER BY 1 LIMIT {int(limit)}")
        for row in cursor.fetchall():
            pairs = zip(row[1::2], row[2::2], strict=True)
            found.append(f"year {row[0]}: " + ", ".join(
                f"{name} stored {kept} but the grants sum to {real if real is not None else 0}"
                for name, (kept, real) in zip(columns, pairs, strict=True) if kept != (real if real is not None else 0)))
    return found
