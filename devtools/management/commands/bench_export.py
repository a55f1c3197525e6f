"""``manage.py bench_export``: the county-ledger workbook of the current database (all stations, no filter)
as finance sees it, with its time, size, Python allocation peak (tracemalloc) and the process's peak RSS.
docs/performance.md. OPENPYXL_LXML=False measures openpyxl without lxml."""

import resource
import sys
import time
import tracemalloc as tracing

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Time the county-ledger Excel export and measure its peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="scale_finance", help="username of the finance or HR account")
        parser.add_argument("--tracemalloc", action="store_true",
                            help="also trace Python allocations (slows the export about twofold)")

    def handle(self, *args, user, tracemalloc: bool, **options):
        import openpyxl

        from funding.export import ledger_workbook
        from funding.models import Grant
        from qinshui_station.models import User

        account = User.objects.get(username=user)
        stations = Grant.objects.count()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if tracemalloc:
            tracing.start()
        started = time.monotonic()
        spool = ledger_workbook(account)
        spool.seek(0, 2)
        size = spool.tell()
        elapsed = time.monotonic() - started
        peak = tracing.get_traced_memory()[1] if tracemalloc else None
        tracing.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"bench_export: {stations} stations, lxml={'yes' if openpyxl.LXML else 'no'}, "
                          f"python {sys.version.split()[0]}")
        traced = f", Python allocation peak {peak / 1e6:.1f} MB" if peak is not None else ""
        self.stdout.write(f"  {elapsed:.1f} s, workbook {size / 1e6:.1f} MB{traced}, process max RSS {rss:.0f} MB "
                          f"(before the export {rss_before:.0f} MB)")
