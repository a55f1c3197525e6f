"""Running the real worker (procrastinate) against the test database: in this process until no job is due
(``drain``), or as a separate ``manage.py run_worker`` process (``start_worker``) that a test may kill."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections
from procrastinate.contrib.django import app

ROOT = Path(__file__).resolve().parent.parent


def drain(queues: tuple[str, ...] = ("mail",)) -> None:
    """Run the worker in this process until no job is due (jobs see only committed rows: use
    ``django_db(transaction=True)``). Mail goes to this process's backend (the locmem outbox in tests)."""

    async def run():
        async with app.open_async():
            await app.run_worker_async(wait=False, queues=list(queues), install_signal_handlers=False,
                                       listen_notify=False, delete_jobs="never")

    failure: list[BaseException] = []

    def thread():  # its own thread: the caller may be inside an event loop (Playwright's sync API)
        try:
            asyncio.run(run())
        except BaseException as error:  # noqa: BLE001  re-raised in the caller
            failure.append(error)
        finally:
            connections.close_all()

    with app.replace_connector(app.connector.get_worker_connector()):
        worker = threading.Thread(target=thread)
        worker.start()
        worker.join(300)
    if failure:
        raise failure[0]


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s.get("PASSWORD") else "")
    host = s["HOST"] or s.get("OPTIONS", {}).get("host") or "localhost"
    if host.startswith("/"):  # a socket directory
        return f"postgres://{auth}@/{s['NAME']}?host={quote(host, safe='')}" + (f"&port={s['PORT']}" if s["PORT"] else "")
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(mail_dir: Path, *, one_shot: bool = False, **env: str) -> subprocess.Popen:
    """``manage.py run_worker`` on the test database, e-mail written as files into ``mail_dir``."""
    environment = {**os.environ, "DATABASE_URL": database_url(), "EMAIL_FILE_PATH": str(mail_dir),
                   "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                   "WORKER_HEARTBEAT_SECONDS": "0.5", "WORKER_STALLED_SECONDS": "2", "SITE_URL": settings.SITE_URL,
                   **env}
    return subprocess.Popen([sys.executable, "manage.py", "run_worker", *(["--one-shot"] if one_shot else [])],
                            cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture
def clean_jobs(transactional_db):
    """The worker's tables (unmanaged models: the test database's flush leaves them) empty before each test."""

    def truncate():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_periodic_defers, procrastinate_workers "
                           "RESTART IDENTITY CASCADE")

    truncate()
    yield
    truncate()
