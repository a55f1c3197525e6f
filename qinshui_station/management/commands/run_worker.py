"""The background worker: sends the outbox and runs the reminders' schedule (docs/reminders.md).

    manage.py run_worker                 # runs until SIGTERM / Ctrl-C (finishes the jobs in hand first)
    manage.py run_worker --one-shot      # runs what is due now, then stops (tests, cron-less hosts)

Any number of workers may run, on any hosts sharing the database: each job is taken by one of them."""

import asyncio
import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued


class Command(BaseCommand):
    help = "Run the background worker (e-mail delivery, reminders) against the portal's database."

    def add_arguments(self, parser):
        parser.add_argument("--one-shot", action="store_true", help="stop once no job is due")
        parser.add_argument("--concurrency", type=int, default=1)
        parser.add_argument("--name", default=None)

    def handle(self, *args, one_shot=False, concurrency=1, name=None, **options):
        if not logging.getLogger().handlers:
            logging.basicConfig(level=logging.INFO)
        logging.getLogger("procrastinate").setLevel(logging.INFO if options["verbosity"] > 1 else logging.WARNING)
        with app.replace_connector(app.connector.get_worker_connector()):
            asyncio.run(self._run(one_shot=one_shot, concurrency=concurrency, name=name))

    async def _defer_reminders(self) -> None:
        try:
            task = app.tasks["run_reminders"]
        except KeyError:
            return
        try:
            await task.configure(queueing_lock="run_reminders").defer_async(timestamp=int(time.time()))
        except AlreadyEnqueued:
            pass

    async def _run(self, *, one_shot: bool, concurrency: int, name: str | None) -> None:
        from qinshui_station.tasks import rerun_stalled_jobs

        async with app.open_async():
            # A worker that was killed left its jobs running: run them again before anything else.
            await rerun_stalled_jobs()
            # The reminders' schedule once now (idempotent), not only at the next hour of its cron.
            await self._defer_reminders()
            await app.run_worker_async(
                wait=not one_shot, concurrency=concurrency, name=name, install_signal_handlers=True,
                update_heartbeat_interval=settings.WORKER_HEARTBEAT_SECONDS,
                stalled_worker_timeout=settings.WORKER_STALLED_SECONDS,
                shutdown_graceful_timeout=30, delete_jobs="never")
