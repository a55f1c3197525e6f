"""In-portal notifications plus an e-mail in Chinese that links to the page to act on.

Mail is sent after the surrounding transaction commits, so a rolled-back change sends nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from qinshui_station.models import Notification


def notify(users: Iterable, message: str, url: str = "") -> int:
    recipients = [u for u in users if u is not None and u.is_active]
    if not recipients:
        return 0
    Notification.objects.bulk_create([Notification(recipient=u, message=message[:300], url=url) for u in recipients])
    link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    body = f"{message}\n\n请登录沁水县技师工作站管理平台办理：{link}\n\n（本邮件由系统自动发送，请勿回复。）"
    mails = [
        (f"【沁水县技师工作站】{message[:60]}", body, settings.DEFAULT_FROM_EMAIL, [u.email])
        for u in recipients
        if u.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(recipients)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
