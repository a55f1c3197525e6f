"""Names shared between a batch's applications, kept with the members (``SharedName``; issue 16, docs/performance.md
"Sums kept with their rows").

HR is warned when two applications of a batch propose the same person (same trimmed name, same 职业资格/职称): a
team applies for a station or a master studio, not twice (第五条). Counting every (name, qualification) over the
batch's members on every view of the batch page cost PostgreSQL 15 ms for a batch of 4,000 applications, so the
names held by two or more applications in the running are kept as rows:

- ``replace_members`` (a counted application's members changed) and ``_move`` (an application entering or leaving
  the running: submitted, not recommended, not recognized, put back on the list) call ``refresh`` before their
  transaction ends;
- ``refresh`` recounts, from the members, every name the applications hold or held — nothing is added up
  incrementally, so a row can only be wrong if a write skips ``refresh``; ``mismatches()`` (``manage.py
  check_sums``, and a test) compares the rows with a recount of every batch.

Locking: two units adding the same name in one batch at once would each count only their own uncommitted member
and neither would keep the name. Each name is locked (a transaction-level advisory lock, in the names' order, so
that two transactions take them in the same order) before it is recounted; the recount runs after the lock is
held, so under READ COMMITTED it sees what the other transaction committed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from applications.states import State

NOT_COUNTED = (State.DRAFT, State.NOT_RECOMMENDED, State.NOT_RECOGNIZED)  # whose members overlap no one's
_LOCKS = 16_071  # the advisory locks' first key: the names' locks, apart from any other use of advisory locks

Key = tuple[int, str, str]  # (batch, trimmed name, qualification)

# The (name, qualification) held by two or more counted applications of the batch, counted from the members;
# %(keys)s limits it to some names (or nothing: every batch).
_COUNTED = """
    SELECT a.batch_id, TRIM(m.name) AS name, m.qualification, COUNT(DISTINCT m.application_id) AS applications
    FROM applications_member m JOIN applications_application a ON a.id = m.application_id
    {keys}
    WHERE NOT a.state = ANY(%(not_counted)s)
    GROUP BY 1, 2, 3 HAVING COUNT(DISTINCT m.application_id) > 1
"""
_KEYS_JOIN = """JOIN unnest(%(batches)s::bigint[], %(names)s::text[], %(qualifications)s::text[])
                    AS k(batch_id, name, qualification)
               ON k.batch_id = a.batch_id AND k.name = TRIM(m.name) AND k.qualification = m.qualification"""


def keys_of(application_ids: Iterable[int]) -> set[Key]:
    """The names these applications propose, as the keys ``refresh`` takes (read before members are replaced)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT a.batch_id, TRIM(m.name), m.qualification FROM applications_member m "
                       "JOIN applications_application a ON a.id = m.application_id WHERE a.id = ANY(%s)",
                       [sorted({int(pk) for pk in application_ids})])
        return set(cursor.fetchall())


def refresh(*, application_ids: Iterable[int] = (), former: Iterable[Key] = ()) -> None:
    """Recount the names these applications propose and the ``former`` names (those they proposed before their
    members were replaced), inside the caller's transaction (module docstring)."""
    keys = sorted(keys_of(application_ids) | set(former))
    if not keys:
        return
    batches, names, qualifications = (list(column) for column in zip(*keys, strict=True))
    params = {"batches": batches, "names": names, "qualifications": qualifications,
              "not_counted": list(NOT_COUNTED), "space": _LOCKS}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%(space)s, hashtext(k.batch_id || '/' || k.qualification "
                       "|| '/' || k.name)) FROM unnest(%(batches)s::bigint[], %(names)s::text[], "
                       "%(qualifications)s::text[]) WITH ORDINALITY AS k(batch_id, name, qualification, n) "
                       "ORDER BY k.n", params)
        cursor.execute("DELETE FROM applications_sharedname s USING unnest(%(batches)s::bigint[], %(names)s::text[], "
                       "%(qualifications)s::text[]) AS k(batch_id, name, qualification) WHERE s.batch_id = k.batch_id "
                       "AND s.name = k.name AND s.qualification = k.qualification", params)
        cursor.execute("INSERT INTO applications_sharedname (batch_id, name, qualification, applications) "
                       + _COUNTED.format(keys=_KEYS_JOIN), params)


def refresh_all() -> None:
    """Every batch's names recounted (a migration, the scale dataset, a repair after a hand-made change)."""
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE applications_sharedname IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("DELETE FROM applications_sharedname")
        cursor.execute("INSERT INTO applications_sharedname (batch_id, name, qualification, applications) "
                       + _COUNTED.format(keys=""), {"not_counted": list(NOT_COUNTED)})


def mismatches(limit: int = 20) -> list[str]:
    """Every kept name that differs from a recount of the members, described (empty when all agree)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(s.batch_id, c.batch_id), COALESCE(s.name, c.name), "
            f"COALESCE(s.qualification, c.qualification), s.applications, c.applications "
            f"FROM applications_sharedname s FULL JOIN ({_COUNTED.format(keys='')}) c "
            f"ON c.batch_id = s.batch_id AND c.name = s.name AND c.qualification = s.qualification "
            f"WHERE s.applications IS DISTINCT FROM c.applications ORDER BY 1, 2, 3 LIMIT {int(limit)}",
            {"not_counted": list(NOT_COUNTED)})
        return [f"batch {batch} name {name!r} ({qualification}): kept {kept or 0} applications but the members "
                f"give {real or 0}" for batch, name, qualification, kept, real in cursor.fetchall()]
