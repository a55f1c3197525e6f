"""The reminders' periodic task (procrastinate, autodiscovered): the schedule for today, every hour of the
working day (settings.REMINDER_CRON). Idempotent, so a missed hour or a second worker changes nothing."""

from django.conf import settings
from django.utils import timezone
from procrastinate.contrib.django import app

from qinshui_station.workdays import SHANGHAI
from reminders import schedule


@app.periodic(cron=settings.REMINDER_CRON, periodic_id="reminders")
@app.task(name="run_reminders", queue="reminders", queueing_lock="run_reminders", pass_context=True)
def run_reminders(context, timestamp: int) -> int:
    today = timezone.now().astimezone(SHANGHAI).date()
    return len(schedule.run(today))
