"""``manage.py bench_finalize``: times finalizing a round of N evaluations (ranking, quota, grades and the
consequences) inside a transaction that is rolled back. docs/performance.md."""

import cProfile
import gc
import hashlib
import json
import re
import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from devtools.management.commands.seed_scale import switch_database


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Build a round of --stations evaluations in a rolled-back transaction and time its finalization."

    def add_arguments(self, parser):
        parser.add_argument("--stations", type=int, default=20000)
        parser.add_argument("--database-url", help="run against this database (created if missing)")
        parser.add_argument("--statements", type=int, default=6, help="how many of the slowest statements to show")
        parser.add_argument("--profile", metavar="FILE", help="write cProfile's statistics of finalize_round here")
        parser.add_argument("--digest", action="store_true",
                            help="print a digest of everything the finalization wrote (compare two versions' effects)")

    def handle(self, *args, stations, database_url, profile=None, digest=False, **options):
        switch_database(database_url, sys.argv)
        from django.conf import settings
        from django.core.management import call_command

        from devtools.scale import Builder
        from qinshui_station.models import AuditEntry, Notification, Revocation
        from reviews import services
        from reviews.models import Evaluation

        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        call_command("migrate", verbosity=0)
        try:
            with transaction.atomic():
                started = time.monotonic()
                builder = Builder(prefix="benchfin")
                round_ = builder.round_to_finalize(stations=stations)
                with connection.cursor() as cursor:
                    # the build's own deferred tranche checks (20,000 first tranches) are not the finalization's:
                    # check them now, outside the timing, as their own commit would in a real county
                    flush_started = time.monotonic()
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    build_checks = time.monotonic() - flush_started
                    cursor.execute("ANALYZE")
                services.recompute_assessed(round_id=round_.pk)
                standing = services.round_standing(round_)
                if standing.tied_ids:
                    services.decide_tie(actor=builder.hr, round_id=round_.pk,
                                        excellent_ids=standing.tied_ids[:standing.places], reason="基准测试：按编号")
                built = time.monotonic() - started
                audit_before, notes_before = AuditEntry.objects.count(), Notification.objects.count()
                marks = _marks() if digest else None
                connection.queries_log.clear()  # DEBUG on: the build filled the 9,000-entry log
                collector = _Collections()
                started, cpu_started = time.monotonic(), time.process_time()
                profiler = cProfile.Profile() if profile else None
                with CaptureQueriesContext(connection) as captured:
                    if profiler:
                        profiler.enable()
                    services.finalize_round(actor=builder.hr, round_id=round_.pk)
                    if profiler:
                        profiler.disable()
                        profiler.dump_stats(profile)
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred tranche trigger, timed too
                elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
                collector.stop()
                queries = len(captured)
                slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:options["statements"]]
                grades = dict(Evaluation.objects.filter(round=round_).values_list("grade").annotate(
                    n=__import__("django.db.models", fromlist=["Count"]).Count("pk")).values_list("grade", "n"))
                self.stdout.write(f"bench_finalize: built {stations} evaluations in {built:.1f} s (rolled back; "
                                  f"the build's own deferred tranche checks {build_checks:.2f} s)")
                in_statements = sum(float(q["time"]) for q in captured.captured_queries)
                self.stdout.write(f"  finalize_round: {elapsed:.2f} s, {queries} queries ({in_statements:.2f} s in them), "
                                  f"this process's CPU {cpu:.2f} s "
                                  f"(of which the garbage collector {collector.seconds:.2f} s in {collector.count} "
                                  f"collections, {collector.full} full); slowest statements:")
                for q in slowest:
                    self.stdout.write(f"    {float(q['time']):6.2f} s  {' '.join(q['sql'].split())[:110]}")
                self.stdout.write(f"  grades: {grades}; revoked {Revocation.objects.filter(workstation__evaluations__round=round_).count()}, "
                                  f"audit entries +{AuditEntry.objects.count() - audit_before}, "
                                  f"notifications +{Notification.objects.count() - notes_before}")
                if digest:
                    self.stdout.write(f"  digest of what it wrote: {_digest(round_, marks)}")
                raise Rollback
        except Rollback:
            pass


class _Collections:
    """How often, and how long, Python's cyclic garbage collector ran (``gc.callbacks``) until ``stop()``."""

    def __init__(self):
        self.count = self.full = 0
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.count += 1
            self.full += info["generation"] == 2

    def stop(self):
        gc.callbacks.remove(self._callback)


def _marks() -> dict:
    """The last id of each table the finalization adds rows to (what is newer is its)."""
    from django.db.models import Max

    from qinshui_station.models import AuditEntry, Delivery, Notification

    return {model: model.objects.aggregate(m=Max("pk"))["m"] or 0 for model in (AuditEntry, Notification, Delivery)}


def _digest(round_, marks: dict) -> str:
    """A SHA-256 of the finalization's effects without the ids a build gives (its rows are new each run): the
    evaluations, stations, revocations, tranches and grants' sums of the round's stations, and the new audit
    entries, notifications and e-mails (a url's or link's ids written as #), each list sorted."""
    from funding.models import Grant, Tranche
    from qinshui_station.models import AuditEntry, Delivery, Notification, Revocation, Workstation
    from reviews.models import Evaluation

    def ids(text: str) -> str:
        return re.sub(r"/\d+/", "/#/", text)

    stations = Workstation.objects.filter(evaluations__round=round_)
    parts = {
        "evaluations": Evaluation.objects.filter(round=round_).values_list(
            "workstation__name", "state", "grade", "rank", "assessed_total"),
        "stations": stations.values_list("name", "state", "revoked_on", "period_ended_announced_on"),
        "revocations": Revocation.objects.filter(workstation__in=stations).values_list(
            "workstation__name", "ground", "facts", "effective_on", "decided_by__username"),
        "tranches": Tranche.objects.filter(grant__workstation__in=stations).values_list(
            "grant__workstation__name", "kind", "amount", "state", "cancel_reason", "cancel_event"),
        "grants": Grant.objects.filter(workstation__in=stations).values_list(
            "workstation__name", "amount", "disbursed", "pending", "cancelled", "second_not_due_since"),
        "audit": [(t, label, action, before, after, reason, json.dumps(data, sort_keys=True, ensure_ascii=False), actor)
                  for t, label, action, before, after, reason, data, actor in AuditEntry.objects.filter(
                      pk__gt=marks[AuditEntry]).values_list("object_type", "object_label", "action", "from_state",
                                                            "to_state", "reason", "data", "actor_label")],
        "notifications": [(who, message, ids(url)) for who, message, url in Notification.objects.filter(
            pk__gt=marks[Notification]).values_list("recipient__username", "message", "url")],
        "deliveries": [(who, to, subject, ids(body), status) for who, to, subject, body, status in
                       Delivery.objects.filter(pk__gt=marks[Delivery]).values_list(
                           "recipient__username", "to_address", "subject", "body", "status")],
    }
    text = repr({name: sorted(map(repr, rows)) for name, rows in parts.items()})
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in parts.items())
    return f"{hashlib.sha256(text.encode()).hexdigest()[:16]} ({counts})"
