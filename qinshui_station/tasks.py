"""The core's worker tasks (procrastinate, autodiscovered): sending the outbox, and running again the jobs of a
worker that died."""

from __future__ import annotations

import logging

from django.conf import settings
from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.contrib.django import app

from qinshui_station import delivery

logger = logging.getLogger(__name__)


class MailRetry(BaseRetryStrategy):
    """MAIL_MAX_ATTEMPTS attempts in all; before attempt n+1, MAIL_RETRY_BASE_SECONDS × 4^(n-1)."""

    def get_retry_decision(self, *, exception, job):
        if not isinstance(exception, delivery.DeliveryFailed) or job.attempts + 1 >= settings.MAIL_MAX_ATTEMPTS:
            return None
        return RetryDecision(retry_in={"seconds": settings.MAIL_RETRY_BASE_SECONDS * 4 ** job.attempts})


@app.task(name="deliver_email", queue="mail", retry=MailRetry(), pass_context=True)
def deliver_email(context, delivery_id: int) -> str:
    final = context.job.attempts + 1 >= settings.MAIL_MAX_ATTEMPTS
    return delivery.send(delivery_id=delivery_id, final=final)


@app.task(name="deliver_emails", queue="mail", retry=MailRetry(), pass_context=True)
def deliver_emails(context, delivery_ids: list[int]) -> dict[str, int]:
    """A bulk change's e-mails, up to MAIL_PER_JOB in one job (notifications.notify_many): each sent as
    ``deliver_email`` sends one; the job is retried for those still pending."""
    final = context.job.attempts + 1 >= settings.MAIL_MAX_ATTEMPTS
    return delivery.send_each(delivery_ids=delivery_ids, final=final)


async def rerun_stalled_jobs() -> int:
    """Jobs left running by a worker with no heartbeat for WORKER_STALLED_SECONDS run again (each task guards
    against doing its work twice: the outbox row's state, the reminders' unique record)."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=settings.WORKER_STALLED_SECONDS)
    for job in stalled:
        logger.warning("running again job %s (%s) of a dead worker", job.id, job.task_name)
        await app.job_manager.retry_job(job)
    return len(stalled)


@app.periodic(cron="* * * * *", periodic_id="rerun_stalled_jobs")
@app.task(name="rerun_stalled_jobs", queue="maintenance", queueing_lock="rerun_stalled_jobs", pass_context=True)
async def rerun_stalled_jobs_task(context, timestamp: int) -> int:
    return await rerun_stalled_jobs()


@app.periodic(cron="17 19 * * *", periodic_id="delete_old_jobs")  # 03:17 Beijing time
@app.task(name="delete_old_jobs", queue="maintenance", queueing_lock="delete_old_jobs", pass_context=True)
async def delete_old_jobs(context, timestamp: int) -> None:
    """Finished jobs are kept 30 days (the outbox rows themselves are kept)."""
    await app.job_manager.delete_old_jobs(nb_hours=30 * 24, include_failed=False)
