"""In-portal notifications plus an e-mail in Chinese that links to the page to act on.

``notify(users, message, url)`` is the one entry point: it writes the in-portal notification and, for each
recipient who has an address and has not turned e-mail off for that kind, an outbox row (``Delivery``) and a
worker job, all in the caller's transaction. The worker (qinshui_station.delivery, tasks.py) sends the e-mail
after commit, with retries and back-off; a rolled-back change sends nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qinshui_station.models import Delivery, EmailPreference, Notification
from qinshui_station.models.notifications import WORKFLOW
from qinshui_station.registry import NotificationKind, register_notification_kind
from qinshui_station.roles import Role

register_notification_kind(NotificationKind(
    WORKFLOW, _("待办事项通知"), tuple(Role.values),
    _("申报、审核、评审、公示、评估和拨付中需要您办理或知悉的事项")))


def notify(users: Iterable, message: str, url: str = "", *, kind: str = WORKFLOW) -> int:
    recipients = [u for u in users if u is not None and u.is_active]
    if not recipients:
        return 0
    Notification.objects.bulk_create([Notification(recipient=u, message=message[:300], url=url) for u in recipients])
    queue_mail([(u.pk, u.email, message, url) for u in recipients if u.email], kind=kind)
    return len(recipients)


def notify_many(rows: Iterable[tuple[int, str, str]], *, kind: str = WORKFLOW) -> int:
    """Bulk work's notifications: (recipient id, message, url) rows in one INSERT … SELECT, inactive recipients
    skipped as in ``notify``; the e-mails are queued in the same transaction."""
    ids, messages, urls = [], [], []
    for recipient_id, message, url in rows:
        ids.append(recipient_id)
        messages.append(message[:300])
        urls.append(url)
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH sent AS (
                INSERT INTO qinshui_station_notification (recipient_id, message, url, created_at)
                SELECT r.id, r.message, r.url, %s
                FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS r(id, message, url)
                JOIN qinshui_station_user u ON u.id = r.id AND u.is_active
                RETURNING recipient_id, message, url)
            SELECT sent.recipient_id, u.email, sent.message, sent.url
            FROM sent JOIN qinshui_station_user u ON u.id = sent.recipient_id
        """, [timezone.now(), ids, messages, urls])
        sent = cursor.fetchall()
    queue_mail([(user_id, email, message, url) for user_id, email, message, url in sent if email], kind=kind)
    return len(sent)


def urls(name: str, ids) -> dict[int, str]:
    """``reverse(name, args=[pk])`` for many pks, reversing once (bulk notifications link each object)."""
    marker = 987654321987
    pattern = reverse(name, args=[marker])
    return {pk: pattern.replace(str(marker), str(pk)) for pk in ids}


def link(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def compose(message: str, url: str) -> tuple[str, str]:
    """(subject, body): every e-mail names the page where its recipient acts, as an absolute link."""
    preferences = link("/notifications/preferences/")
    body = (f"{message}\n\n请登录沁水县技师工作站管理平台办理：{link(url) or link('/home/')}\n\n"
            f"（本邮件由系统自动发送，请勿回复。不想再收到此类邮件，可在“邮件通知设置”中关闭：{preferences}）")
    return f"【沁水县技师工作站】{message[:60]}", body


def queue_mail(rows: list[tuple[int, str, str, str]], *, kind: str) -> list[int]:
    """(user id, address, message, url) rows → outbox rows and one worker job each, in the caller's transaction.
    Recipients who turned e-mail off for ``kind`` are left out."""
    if not rows:
        return []
    muted = set(EmailPreference.objects.filter(user_id__in={r[0] for r in rows}, kind=kind, email=False)
                .values_list("user_id", flat=True))
    deliveries = Delivery.objects.bulk_create([
        Delivery(recipient_id=user_id, kind=kind, to_address=email, subject=subject, body=body)
        for user_id, email, message, url in rows if user_id not in muted
        for subject, body in [compose(message, url)]])
    ids = [d.pk for d in deliveries]
    if ids:
        from qinshui_station.tasks import deliver_email

        deliver_email.batch_defer(*({"delivery_id": pk} for pk in ids))
    return ids


def email_wanted(user, kind: str) -> bool:
    return not EmailPreference.objects.filter(user=user, kind=kind, email=False).exists()


def unread_count(user) -> int:
    """Counted once a request: the menu's badge and the home page's to-do item show the same number from one
    query (the person is loaded anew for every request; ``services.mark_notifications_read`` forgets it)."""
    count = getattr(user, "_unread_notifications", None)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._unread_notifications = count
    return count


def forget_unread_count(user) -> None:
    if getattr(user, "_unread_notifications", None) is not None:
        user._unread_notifications = None
