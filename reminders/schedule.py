"""Run the reminders' schedule for a day: evaluate every rule, record each reminder once, notify.

Idempotent: each (kind, key, recipient) is inserted with ``ON CONFLICT DO NOTHING`` on the unique constraint and
only the rows this run inserted are notified, all in one transaction. Two workers running at once, or the same day
run twice, send each reminder once: the second insert waits for the first transaction and then does nothing."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from qinshui_station import notifications, workdays
from qinshui_station.models import User
from qinshui_station.models.notifications import WORKFLOW
from qinshui_station.roles import Role
from reminders.rules import RULES, Reminder

logger = logging.getLogger(__name__)
CALENDAR_MISSING = WORKFLOW  # HR's notice that a year's holidays are missing is an ordinary to-do notice


def due(today: date) -> list[Reminder]:
    """Every reminder whose condition holds on ``today``, sent or not (sorted: kind, key, recipient).

    A rule that needs a year's holidays HR has not entered yet (workdays.CalendarUnavailable) yields nothing
    that day; HR is told once per missing year instead, and the rule catches up once the year is entered."""
    found: dict[tuple, Reminder] = {}
    missing: set[int] = set()
    for rule in RULES:
        try:
            rows = list(rule(today))
        except workdays.CalendarUnavailable as error:
            logger.warning("reminders %s skipped on %s: %s", rule.__name__, today, error)
            missing.add(error.year)
            continue
        found.update(((r.kind, r.key, r.recipient_id), r) for r in rows)
    for year in missing:
        for user_id in User.objects.filter(role=Role.HR, is_active=True).values_list("pk", flat=True):
            found[CALENDAR_MISSING, f"calendar:{year}", user_id] = Reminder(
                CALENDAR_MISSING, f"calendar:{year}", user_id, date(year, 1, 1),
                str(workdays.CalendarUnavailable(year)), reverse("staff_calendar"))
    return [found[k] for k in sorted(found)]


def pending(today: date) -> list[Reminder]:
    """What a run for ``today`` would send: the due reminders not yet sent."""
    from reminders.models import SentReminder

    reminders = due(today)
    sent = set(SentReminder.objects.filter(key__in={r.key for r in reminders})
               .values_list("kind", "key", "recipient_id"))
    return [r for r in reminders if (r.kind, r.key, r.recipient_id) not in sent]


def run(today: date) -> list[Reminder]:
    """Send what is due on ``today`` and not yet sent; returns what this run sent."""
    reminders = due(today)
    if not reminders:
        return []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO reminders_sentreminder (kind, key, recipient_id, due_on, run_for, message, url, created_at)
                SELECT r.kind, r.key, r.recipient_id, r.due_on, %s, r.message, r.url, %s
                FROM unnest(%s::varchar[], %s::varchar[], %s::bigint[], %s::date[], %s::varchar[], %s::varchar[])
                     AS r(kind, key, recipient_id, due_on, message, url)
                ON CONFLICT (kind, key, recipient_id) DO NOTHING
                RETURNING kind, key, recipient_id
            """, [today, timezone.now(), [r.kind for r in reminders], [r.key for r in reminders],
                  [r.recipient_id for r in reminders], [r.due_on for r in reminders],
                  [r.message[:300] for r in reminders], [r.url for r in reminders]])
            inserted = set(cursor.fetchall())
        sent = [r for r in reminders if (r.kind, r.key, r.recipient_id) in inserted]
        by_kind: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for r in sent:
            by_kind[r.kind].append((r.recipient_id, r.message, r.url))
        for kind, rows in by_kind.items():
            notifications.notify_many(rows, kind=kind)
    return sent
