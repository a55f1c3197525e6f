"""The worker's side of the outbox: send one ``Delivery``, exactly once.

The row is locked (``SELECT … FOR UPDATE``) for the whole attempt, so two workers never send it at once, and a
row no longer PENDING is never sent again. A worker killed before it hands the message to the mail server leaves
the row PENDING and its job running; the job is run again once the worker is known dead
(``recover_stalled_jobs``) and the e-mail goes out once. The one window left is between the mail server accepting
the message and our commit (a few milliseconds): a kill exactly there sends it twice, with the same Message-ID,
which mail clients show once (docs/reminders.md, 'Delivery').

Bulk work queues one job per ``MAIL_PER_JOB`` e-mails (``send_each``): each e-mail is still sent by ``send``, in
its own transaction under its own lock, so a killed worker's job run again skips what was sent; a failure is
retried with the job, after the same back-off, for the e-mails still PENDING only (docs/decisions.md)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from qinshui_station.models import Delivery, DeliveryState

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """An attempt failed and another will follow (the worker's retry strategy schedules it)."""


def send(*, delivery_id: int, final: bool) -> str:
    """One attempt. Returns the row's state afterwards; raises DeliveryFailed when a later attempt should follow."""
    error = ""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != DeliveryState.PENDING:
            return delivery.status if delivery else "gone"
        delivery.attempts += 1
        try:
            EmailMessage(delivery.subject, delivery.body, settings.DEFAULT_FROM_EMAIL, [delivery.to_address],
                         headers={"Message-ID": delivery.message_id}).send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001  any failure of the mail server is recorded and retried
            error = f"{type(exc).__name__}: {exc}"[:2000] or type(exc).__name__
            delivery.last_error = error
            if final:
                delivery.status = DeliveryState.FAILED
                delivery.failed_at = timezone.now()
                logger.warning("delivery %s failed for good after %s attempts: %s", delivery.pk,
                               delivery.attempts, error)
        else:
            delivery.status = DeliveryState.SENT
            delivery.sent_at = timezone.now()
        delivery.full_clean()
        delivery.save()
    if error and not final:
        raise DeliveryFailed(error)
    return delivery.status


def send_each(*, delivery_ids: list[int], final: bool) -> dict[str, int]:
    """One attempt at each of these e-mails (``send``, one by one; those no longer PENDING are left alone).
    Raises DeliveryFailed, once all were tried, when a later attempt should follow for any of them."""
    outcome: dict[str, int] = {}
    errors = []
    for delivery_id in delivery_ids:
        try:
            status = send(delivery_id=delivery_id, final=final)
        except DeliveryFailed as error:
            status = "retry"
            errors.append(str(error))
        outcome[status] = outcome.get(status, 0) + 1
    if errors:
        raise DeliveryFailed(f"{len(errors)} of {len(delivery_ids)} e-mails to try again; first: {errors[0]}")
    return outcome
