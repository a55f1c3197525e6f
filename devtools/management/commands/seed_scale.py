"""``manage.py seed_scale``: a large county for the benchmarks (docs/performance.md). A development tool in
the ``devtools`` app, above every other app (the builder: devtools/scale.py)."""

import os
import sys
import time
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone


def switch_database(url: str | None, argv: list[str]) -> None:
    """Re-run this command with DATABASE_URL=url (settings read it at start-up), creating the database on its
    server when it does not exist."""
    if not url or os.environ.get("DATABASE_URL") == url:
        return
    import dj_database_url
    import psycopg2

    params = dj_database_url.parse(url)
    conn = psycopg2.connect(dbname="postgres", user=params["USER"], password=params["PASSWORD"],
                            host=params["HOST"] or params.get("OPTIONS", {}).get("host"),
                            port=params["PORT"] or None)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{params["NAME"]}"')
    conn.close()
    args, skip = [], False
    for arg in argv:
        if skip or arg.startswith("--database-url"):
            skip = arg == "--database-url"
            continue
        args.append(arg)
    os.execvpe(sys.executable, [sys.executable, *args], {**os.environ, "DATABASE_URL": url})


def dataset_day(today: date, years: int) -> date:
    """The day the dataset is dated as of. The measures date from 2023 and no batch can precede them, so ``years``
    recognized batches exist only from FIRST_YEAR + years on: before that, the same day of that year (a
    projection of the county, for the benchmarks; the dataset lives in its own database)."""
    from devtools.scale import FIRST_YEAR

    year = max(today.year, FIRST_YEAR + years)
    if year == today.year:
        return today
    return today.replace(year=year, day=28) if (today.month, today.day) == (2, 29) else today.replace(year=year)


class Command(BaseCommand):
    help = "Build a large dataset (default 20,000 stations, 5 years) with bulk inserts; prints time and row counts."

    def add_arguments(self, parser):
        parser.add_argument("--stations", type=int, default=20000)
        parser.add_argument("--years", type=int, default=5, help="batches recognized in the years before this one")
        parser.add_argument("--database-url", help="build into this database (created if missing) instead of "
                                                   "the current DATABASE_URL")
        parser.add_argument("--prefix", default="scale", help="usernames and names start with this")
        parser.add_argument("--as-of", type=date.fromisoformat, help=(
            "date the dataset as of this day (YYYY-MM-DD). Default: today, or the same day of the first year in which "
            "the measures (from 2023) have had --years batches, whichever is later"))

    def handle(self, *args, stations, years, database_url, prefix, as_of, **options):
        switch_database(database_url, sys.argv)
        from django.conf import settings

        from devtools.scale import PASSWORD, Builder
        from qinshui_station.models import User

        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # no mail to generated accounts
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        if User.objects.filter(username=f"{prefix}_hr").exists():
            raise CommandError(f"this database already holds a '{prefix}' dataset: use another --prefix or database")
        with transaction.atomic():
            builder = Builder(prefix=prefix, today=as_of or dataset_day(timezone.localdate(), years))
            builder.history(stations=stations, years=years)
        with transaction.atomic():
            from django.db import connection
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(f"seed_scale: {stations} stations as of {builder.today}, batches {builder.batch_years[0]}–"
                          f"{builder.year - 1} and {builder.year}'s open one, rounds {builder.batch_years[0] + 1}–"
                          f"{builder.year}, in {elapsed:.1f} s")
        for name, count in sorted(builder.counts.items()):
            self.stdout.write(f"  {name:<16} {count:>10,}")
        self.stdout.write(f"accounts (password {PASSWORD}): {prefix}_hr, {prefix}_finance, {prefix}_dept, "
                          f"{prefix}_expert0..59, {builder.unit_user.username} (a unit)")
