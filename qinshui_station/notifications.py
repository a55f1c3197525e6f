"""In-portal notifications plus an e-mail in Chinese that links to the page to act on.

Mail is sent after the surrounding transaction commits, so a rolled-back change sends nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from qinshui_station.models import Notification


def notify(users: Iterable, message: str, url: str = "") -> int:
    recipients = [u for u in users if u is not None and u.is_active]
    if not recipients:
        return 0
    Notification.objects.bulk_create([Notification(recipient=u, message=message[:300], url=url) for u in recipients])
    _mail_after_commit([_mail(message, url, u.email) for u in recipients if u.email])
    return len(recipients)


def notify_many(rows: Iterable[tuple[int, str, str]]) -> int:
    """Bulk work's notifications: (recipient id, message, url) rows in one INSERT … SELECT, inactive recipients
    skipped as in ``notify``; the e-mails go out after commit, over one connection."""
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
            SELECT u.email, sent.message, sent.url FROM sent JOIN qinshui_station_user u ON u.id = sent.recipient_id
        """, [timezone.now(), ids, messages, urls])
        sent = cursor.fetchall()
    _mail_after_commit([_mail(message, url, email) for email, message, url in sent if email])
    return len(sent)


def urls(name: str, ids) -> dict[int, str]:
    """``reverse(name, args=[pk])`` for many pks, reversing once (bulk notifications link each object)."""
    marker = 987654321987
    pattern = reverse(name, args=[marker])
    return {pk: pattern.replace(str(marker), str(pk)) for pk in ids}


def _mail(message: str, url: str, email: str) -> tuple:
    link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    body = f"{message}\n\n请登录沁水县技师工作站管理平台办理：{link}\n\n（本邮件由系统自动发送，请勿回复。）"
    return (f"【沁水县技师工作站】{message[:60]}", body, settings.DEFAULT_FROM_EMAIL, [email])


def _mail_after_commit(mails: list[tuple]) -> None:
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
