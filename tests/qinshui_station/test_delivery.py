"""E-mail through the outbox: queued in the transaction that caused it, sent after commit by the real worker
(tests/worker.py runs procrastinate against the test database), retried with back-off, failed for good after
MAIL_MAX_ATTEMPTS, sent again by HR."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from qinshui_station import notifications, services
from qinshui_station.models import Delivery, DeliveryState, EmailPreference, Notification
from tests import factories
from tests.worker import clean_jobs, drain  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_jobs")]


def test_notify_queues_one_delivery_and_one_job_in_the_callers_transaction(unit_user):
    with transaction.atomic():
        notifications.notify([unit_user], "您的申报已退回修改。", "/applications/7/")
        assert Delivery.objects.count() == 1
        assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.to_address, delivery.status, delivery.attempts, delivery.kind) == (
        unit_user.email, DeliveryState.PENDING, 0, "workflow")
    assert delivery.subject == "【沁水县技师工作站】您的申报已退回修改。"
    job = ProcrastinateJob.objects.get()
    assert (job.task_name, job.queue_name, job.args, job.status) == (
        "deliver_email", "mail", {"delivery_id": delivery.pk}, "todo")


def test_a_rolled_back_change_queues_nothing(unit_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify([unit_user], "不会发出", "/home/")
        raise RuntimeError
    assert (Notification.objects.count(), Delivery.objects.count(), ProcrastinateJob.objects.count()) == (0, 0, 0)


def test_the_worker_sends_after_commit_with_a_link_to_the_page_where_the_person_acts(settings, unit_user):
    settings.SITE_URL = "https://station.qinshui.gov.cn"
    notifications.notify([unit_user], "您的申报已退回修改。", "/applications/7/")
    drain()
    [message] = mail.outbox
    assert message.to == [unit_user.email]
    assert "请登录沁水县技师工作站管理平台办理：https://station.qinshui.gov.cn/applications/7/" in message.body
    assert "https://station.qinshui.gov.cn/notifications/preferences/" in message.body
    delivery = Delivery.objects.get()
    assert message.extra_headers["Message-ID"] == f"<delivery-{delivery.pk}@qinshui-station>"
    assert (delivery.status, delivery.attempts, delivery.sent_at is not None) == (DeliveryState.SENT, 1, True)
    drain()  # nothing left: sent once
    assert len(mail.outbox) == 1


def test_email_off_for_a_kind_keeps_the_in_portal_notification(unit_user):
    other = factories.UnitUserFactory()
    EmailPreference.objects.create(user=unit_user, kind="workflow", email=False)
    EmailPreference.objects.create(user=other, kind="filing_closes", email=False)
    notifications.notify([unit_user, other], "评估已开始", "/reviews/evaluations/")
    assert Notification.objects.filter(recipient=unit_user).count() == 1
    assert list(Delivery.objects.values_list("recipient_id", flat=True)) == [other.pk]


def test_a_mail_server_that_refuses_is_retried_then_failed_for_good_then_retried_by_hr(settings, unit_user, hr_user):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    settings.MAIL_MAX_ATTEMPTS, settings.MAIL_RETRY_BASE_SECONDS = 3, 0
    notifications.notify([unit_user], "拨付已审批", "/funding/tranches/1/")
    drain()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryState.FAILED, 3)
    assert delivery.last_error.startswith("ConnectionRefusedError")
    # three runs of one job: two retried (DeliveryFailed), the third records the failure for good
    assert list(ProcrastinateJob.objects.filter(task_name="deliver_email").values_list("status", "attempts")) == [
        ("succeeded", 3)]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    services.retry_delivery(actor=hr_user, delivery_id=delivery.pk)
    drain()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(mail.outbox)) == (DeliveryState.SENT, 4, 1)


def test_the_back_off_grows_fourfold(settings):
    from procrastinate.jobs import Job

    from qinshui_station.delivery import DeliveryFailed
    from qinshui_station.tasks import MailRetry

    settings.MAIL_MAX_ATTEMPTS, settings.MAIL_RETRY_BASE_SECONDS = 6, 60
    waits = []
    for attempts in range(6):
        job = Job(id=1, queue="mail", lock=None, queueing_lock=None, task_name="deliver_email", attempts=attempts,
                  task_kwargs={})
        decision = MailRetry().get_retry_decision(exception=DeliveryFailed("x"), job=job)
        waits.append(decision and decision.retry_at)
    assert [w is not None for w in waits] == [True] * 5 + [False]
    gaps = [(w - waits[0]).total_seconds() for w in waits[1:5]]
    assert [round(g) for g in gaps] == [240 - 60, 960 - 60, 3840 - 60, 15360 - 60]


def test_only_a_delivery_that_failed_for_good_can_be_retried(unit_user, hr_user):
    from django.core.exceptions import PermissionDenied, ValidationError

    notifications.notify([unit_user], "x", "/home/")
    delivery = Delivery.objects.get()
    with pytest.raises(ValidationError):
        services.retry_delivery(actor=hr_user, delivery_id=delivery.pk)
    with pytest.raises(PermissionDenied):
        services.retry_delivery(actor=unit_user, delivery_id=delivery.pk)


def test_many_emails_of_one_change_go_to_the_worker_in_jobs_of_mail_per_job_and_are_each_sent_once(settings):
    settings.MAIL_PER_JOB = 2
    users = [factories.UnitUserFactory(email=f"u{i}@example.cn") for i in range(5)]
    assert notifications.notify_many([(u.pk, f"通知{i}", "/home/") for i, u in enumerate(users)]) == 5
    deliveries = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    assert list(ProcrastinateJob.objects.filter(queue_name="mail").order_by("id").values_list("task_name", "args")) == [
        ("deliver_emails", {"delivery_ids": deliveries[0:2]}), ("deliver_emails", {"delivery_ids": deliveries[2:4]}),
        ("deliver_email", {"delivery_id": deliveries[4]})]  # the one left over: a job of its own
    drain()
    assert sorted(m.to[0] for m in mail.outbox) == [f"u{i}@example.cn" for i in range(5)]
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryState.SENT, 1)}
    drain()  # nothing left: each sent once
    assert len(mail.outbox) == 5


def test_a_job_of_many_emails_is_retried_with_back_off_for_those_still_pending_then_fails_them_for_good(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    settings.MAIL_MAX_ATTEMPTS, settings.MAIL_RETRY_BASE_SECONDS = 3, 0
    users = [factories.UnitUserFactory(email=f"u{i}@example.cn") for i in range(2)]
    notifications.notify_many([(u.pk, "拨付已审批", "/funding/tranches/1/") for u in users])
    Delivery.objects.filter(to_address="u1@example.cn").update(status=DeliveryState.SENT, sent_at=timezone.now())
    drain()
    assert dict(Delivery.objects.values_list("to_address", "attempts")) == {"u0@example.cn": 3, "u1@example.cn": 0}
    assert Delivery.objects.get(to_address="u0@example.cn").status == DeliveryState.FAILED
    assert list(ProcrastinateJob.objects.filter(queue_name="mail").values_list("task_name", "status", "attempts")) == [
        ("deliver_emails", "succeeded", 3)]
