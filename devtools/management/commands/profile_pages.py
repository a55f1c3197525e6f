"""``manage.py profile_pages``: where each page of ``bench_http`` spends its time, in this process (no server):
renders each page a few times through Django's test client as its person, and reports the mean wall time,
this process's CPU time (what the app server spends, less disturbed by a loaded machine), the queries, the
time the database took and the CPU time of the connection's PostgreSQL backend (``pg cpu``, when the server runs
on this machine). ``--profile NAME`` prints pyinstrument's tree for one page
(``pip install pyinstrument``; a development tool). docs/performance.md.

Run it as production runs (``DEBUG=0 SECRET_KEY=… ALLOWED_HOSTS=127.0.0.1``): with DEBUG on, Django logs every
query and the templates keep their debug information, which adds to the app's CPU what gunicorn never spends."""

import os
import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from devtools.management.commands.bench_http import page_targets
from devtools.management.commands.seed_scale import switch_database


class Command(BaseCommand):
    help = "Time each benchmarked page in-process: wall and CPU ms, queries, database ms; optionally a profile."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="scale")
        parser.add_argument("--database-url")
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument("--only", action="append", default=[], help="a page name (repeatable)")
        parser.add_argument("--profile", help="print pyinstrument's profile of this page")
        parser.add_argument("--queries", action="store_true", help="print each query's time")

    def handle(self, *args, prefix, database_url, repeat, only, profile, queries, **options):
        switch_database(database_url, sys.argv)
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["*"]
        from qinshui_station.models import User

        clients = {}
        for name, (path, username) in page_targets(prefix).items():
            if name == "bare view" or (only and name not in only) or (profile and name != profile):
                continue
            if username not in clients:
                clients[username] = Client()
                if username:
                    clients[username].force_login(User.objects.get(username=username))
            client = clients[username]
            response = client.get(path)  # warm: templates compiled, connection open
            assert response.status_code == 200, (name, response.status_code)
            if profile:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.0005)
                profiler.start()
                for _ in range(repeat):
                    client.get(path)
                profiler.stop()
                self.stdout.write(profiler.output_text(unicode=True, color=False, show_all=False))
            with CaptureQueriesContext(connection) as captured:
                pg_started = _backend_cpu_ms()
                started, cpu_started = time.perf_counter(), time.process_time()
                for _ in range(repeat):
                    client.get(path)
                elapsed = (time.perf_counter() - started) * 1000 / repeat
                cpu = (time.process_time() - cpu_started) * 1000 / repeat
                pg_cpu = (_backend_cpu_ms() - pg_started) / repeat if pg_started is not None else float("nan")
            per = captured.captured_queries[: len(captured.captured_queries) // repeat]
            db_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000 / repeat
            self.stdout.write(f"{name:<16} {elapsed:7.1f} ms  cpu {cpu:6.1f} ms  {len(per):3d} queries  db {db_ms:6.1f} ms  "
                              f"pg cpu {pg_cpu:5.1f} ms  {len(response.content) // 1024:4d} KB  {path}")
            if queries:
                for q in sorted(per, key=lambda q: -float(q["time"]))[:8]:
                    self.stdout.write(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:300]}")
            reset_queries()


def _backend_cpu_ms() -> float | None:
    """The CPU time (user + system, ms) of this connection's PostgreSQL backend so far, read from /proc: a loaded
    machine disturbs it far less than the database's wall time. None when the server is not on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
