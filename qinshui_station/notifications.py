"""In-portal notifications plus an e-mail in Chinese that links to the page to act on.

``notify(users, message, url)`` is the one entry point: it writes the in-portal notification and, for each
recipient who has an address and has not turned e-mail off for that kind, an outbox row (``Delivery``) and a
worker job, all in the caller's transaction. The worker (qinshui_station.delivery, tasks.py) sends the e-mail
after commit, with retries and back-off; a rolled-back change sends nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qinshui_station import bulk
from qinshui_station.addresses import addresses
from qinshui_station.models import DeliveryState, Notification
from qinshui_station.models.notifications import WORKFLOW
from qinshui_station.prepared import RowCount
from qinshui_station.registry import NotificationKind, register_notification_kind
from qinshui_station.roles import Role

register_notification_kind(NotificationKind(
    WORKFLOW, _("待办事项通知"), tuple(Role.values),
    _("申报、审核、评审、公示、评估和拨付中需要您办理或知悉的事项")))


def notify(users: Iterable, message: str, url: str = "", *, kind: str = WORKFLOW) -> int:
    """``users`` (None and inactive ones skipped) are told ``message``, linking ``url``; see ``notify_many``."""
    return notify_many(((u.pk, message, url) for u in users if u is not None and u.is_active), kind=kind)


def notify_many(rows: Iterable[tuple[int, str, str]], *, kind: str = WORKFLOW) -> int:
    """(recipient id, message, url) rows: the in-portal notifications, the e-mails in the outbox (recipients with
    an address who have not turned ``kind`` off) and the worker's jobs (one for a single e-mail, else one per
    ``MAIL_PER_JOB`` e-mails: ``tasks.deliver_emails``), in one statement in the caller's
    transaction, whatever the number (the rows travel through ``bulk.rows``; subject and body are ``SUBJECT`` and
    ``BODY`` filled by the database). Inactive recipients are skipped. Returns how many were notified."""
    values = [(recipient_id, message, url, mail_link(url)) for recipient_id, message, url in rows]
    if not values:
        return 0
    from qinshui_station.tasks import deliver_email, deliver_emails

    now = timezone.now()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        source, params = bulk.rows(cursor, [("id", "bigint"), ("message", "text"), ("url", "text"),
                                            ("link", "text")], values)
        cursor.execute(f"""
            WITH wanted AS (
                SELECT r.n, r.id, r.message, r.url, r.link, u.email,
                       u.email <> '' AND NOT EXISTS (
                           SELECT 1 FROM qinshui_station_emailpreference p
                           WHERE p.user_id = r.id AND p.kind = %s AND NOT p.email) AS mailed
                FROM {source} JOIN qinshui_station_user u ON u.id = r.id AND u.is_active
            ), sent AS (
                INSERT INTO qinshui_station_notification (recipient_id, message, url, created_at)
                SELECT id, left(message, %s), url, %s FROM wanted ORDER BY n
                RETURNING id
            ), queued AS (
                INSERT INTO qinshui_station_delivery
                    (recipient_id, kind, to_address, subject, body, status, attempts, last_error, created_at)
                SELECT id, %s, email, format(%s, left(message, %s)), format(%s, message, link, %s), %s, 0, '', %s
                FROM wanted WHERE mailed ORDER BY n
                RETURNING id
            ), chunks AS (  -- the jobs: one e-mail alone, else up to MAIL_PER_JOB e-mails per job
                SELECT (ROW_NUMBER() OVER (ORDER BY id) - 1) / %s AS chunk, id FROM queued
            )
            SELECT (SELECT COUNT(*) FROM sent),
                   cardinality(procrastinate_defer_jobs_v1(ARRAY(
                       SELECT ROW(%s, CASE WHEN COUNT(*) = 1 THEN %s ELSE %s END, %s, NULL, NULL,
                                  CASE WHEN COUNT(*) = 1 THEN jsonb_build_object('delivery_id', MIN(id))
                                       ELSE jsonb_build_object('delivery_ids', jsonb_agg(id ORDER BY id)) END,
                                  NULL)::procrastinate_job_to_defer_v1
                       FROM chunks GROUP BY chunk ORDER BY chunk)))
        """, [kind, *params, MESSAGE_CHARS, now, kind, SUBJECT, SUBJECT_CHARS, BODY, link(PREFERENCES_URL),
              DeliveryState.PENDING, now, settings.MAIL_PER_JOB, deliver_email.queue, deliver_email.name,
              deliver_emails.name, deliver_email.priority])
        notified, _jobs = cursor.fetchone()
    return notified


def urls(name: str, ids) -> dict[int, str]:
    """``reverse(name, args=[pk])`` for many pks, reversing once (bulk notifications link each object)."""
    return addresses(name, ids)


def link(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def mail_link(url: str) -> str:
    """The absolute link an e-mail gives: the page to act on, else the home page."""
    return link(url) or link("/home/")


# An e-mail's subject and body (PostgreSQL ``format()`` templates, which ``notify_many`` fills in the database):
# every e-mail names the page where its recipient acts, as an absolute link.
SUBJECT = "【沁水县技师工作站】%1$s"
SUBJECT_CHARS = 60  # of the message, in the subject
BODY = ("%1$s\n\n请登录沁水县技师工作站管理平台办理：%2$s\n\n"
        "（本邮件由系统自动发送，请勿回复。不想再收到此类邮件，可在“邮件通知设置”中关闭：%3$s）")
PREFERENCES_URL = "/notifications/preferences/"
MESSAGE_CHARS = 300  # an in-portal notification keeps this much of the message (the e-mail all of it)


UNREAD_SHOWN = 99  # the badge counts up to this, then says "99+"


_UNREAD = RowCount(lambda *, user: Notification.objects.filter(recipient_id=user, read_at__isnull=True).order_by()
                [: UNREAD_SHOWN + 1], user=int)  # on every signed-in page: compiled once (qinshui_station.prepared)


def unread_count(user) -> int:
    """How many unread notifications, counted up to ``UNREAD_SHOWN`` + 1: the badge says "99+" beyond, so the
    count reads at most 100 index entries (an office with 8,000 unread notices paid 6 ms a page to count them
    all). Counted once a request: the menu's badge and the home page's to-do item show the same number from one
    query — for the signed-in person, the query that loads him (``backends.PortalBackend``; the person is loaded
    anew for every request; ``services.mark_notifications_read`` forgets it)."""
    count = getattr(user, "_unread_notifications", None)
    if count is None:
        count = _UNREAD(user=user.pk)
        user._unread_notifications = count
    return count


def unread_label(count: int) -> str:
    """The badge's text: the number, or "99+"."""
    return f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count)


def forget_unread_count(user) -> None:
    if getattr(user, "_unread_notifications", None) is not None:
        user._unread_notifications = None
