"""Run the reminders' schedule for a day, as the worker does every hour (docs/reminders.md).

    manage.py run_reminders                          # today (Beijing time)
    manage.py run_reminders --today 2027-03-25       # as if it were that day
    manage.py run_reminders --today 2027-03-25 --dry-run   # list who would get what; send and record nothing
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qinshui_station.models import User
from qinshui_station.workdays import SHANGHAI, CalendarUnavailable
from reminders import schedule


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "Send the reminders due on a day (default today), each at most once; --dry-run only lists them."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=parse_day, default=None, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="list who would get what; send nothing")

    def handle(self, *args, today=None, dry_run=False, **options):
        today = today or timezone.now().astimezone(SHANGHAI).date()
        try:
            reminders = schedule.pending(today) if dry_run else schedule.run(today)
        except CalendarUnavailable as error:
            raise CommandError(str(error)) from None
        names = dict(User.objects.filter(pk__in={r.recipient_id for r in reminders}).values_list("pk", "username"))
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{today.isoformat()}: {len(reminders)} reminder(s) {verb}")
        for r in reminders:
            self.stdout.write(f"  {r.kind}\t{names.get(r.recipient_id, r.recipient_id)}\t{r.key}\t{r.message}\t{r.url}")
