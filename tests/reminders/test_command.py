"""manage.py run_reminders: --dry-run lists who would get what and sends nothing; a run sends and records; two
runs at the same time (two workers) send each reminder once."""

import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from applications.models import Batch
from qinshui_station.models import Notification
from reminders.models import SentReminder
from tests import factories


@pytest.fixture
def batch(db):
    hr = factories.HRUserFactory(username="hr")
    factories.UnitUserFactory(username="ua")
    factories.UnitUserFactory(username="ub")
    return Batch.objects.create(year=2026, filing_opens_on=date(2026, 6, 1), filing_closes_on=date(2026, 6, 30),
                                created_by=hr)


def run(*args) -> str:
    out = StringIO()
    call_command("run_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_dry_run_lists_who_would_get_what_and_sends_nothing(batch):
    out = run("--today", "2026-06-01", "--dry-run")
    assert out.splitlines() == ["2026-06-01: 2 reminder(s) would send"] + [
        f"  filing_opens\t{user}\tbatch:{batch.pk}:opens\t2026年度技师工作站申报已开始，申报截止日期为2026年6月30日。"
        "\t/applications/new/" for user in ("ua", "ub")
    ]
    assert (SentReminder.objects.count(), Notification.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_a_run_sends_then_the_dry_run_shows_nothing_left(batch):
    assert run("--today", "2026-06-01").splitlines()[0] == "2026-06-01: 2 reminder(s) sent"
    assert Notification.objects.count() == 2
    assert run("--today", "2026-06-02", "--dry-run").splitlines() == ["2026-06-02: 0 reminder(s) would send"]


@pytest.mark.django_db
def test_a_bad_date_is_refused_with_a_message():
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD：2026-13-01"):
        run("--today", "2026-13-01")


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_send_each_reminder_once(batch):
    from reminders import schedule

    barrier, results = threading.Barrier(4), []

    def worker():
        try:
            barrier.wait()
            results.append(len(schedule.run(date(2026, 6, 1))))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [0, 0, 0, 2]
    assert Notification.objects.count() == 2
    assert SentReminder.objects.count() == 2
