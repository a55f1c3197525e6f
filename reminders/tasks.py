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


@app.periodic(cron=settings.CONSTRUCTION_END_CRON, periodic_id="construction_periods")
@app.task(name="end_construction_periods", queue="reminders", queueing_lock="end_construction_periods",
          pass_context=True)
def end_construction_periods(context, timestamp: int) -> int:
    """Daily: the stations whose construction period ended without acceptance, announced once each
    (qinshui_station.services.end_construction_periods; idempotent, so a rerun announces nothing again)."""
    from qinshui_station import services

    today = timezone.now().astimezone(SHANGHAI).date()
    return len(services.end_construction_periods(today=today))
