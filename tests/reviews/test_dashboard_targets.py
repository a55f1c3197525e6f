"""A unit's home page from October on: the stations behind 第七条's yearly targets (this year's entries only; a
kind without a target holds nobody back)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.hooks import dashboard
from reviews.models import LedgerEntry, LedgerKind, LedgerTarget
from tests import factories

pytestmark = pytest.mark.skipif(timezone.localdate().month < 10, reason="the item shows from October on")


def _entries(station, kind, n, recorder, *, year):
    for i in range(n):
        person = {"person_name": f"学员{i}", "occupation": "钳工", "result": "取得高级工证书"} \
            if kind == LedgerKind.TRAINED else {"title": f"条目{i}"}
        LedgerEntry.objects.create(workstation=station, kind=kind, occurred_on=date(year, 3, 1 + i),
                                   recorded_by=recorder, **person)


def _behind_item(user):
    return [item for item in dashboard(user) if item.order == 25]


def test_only_the_stations_behind_a_target_this_year_are_counted(db, unit_user):
    year = timezone.localdate().year
    on_track = factories.WorkstationFactory(unit=unit_user.organization, plaque_number="QSJS-2025-001")
    behind = factories.WorkstationFactory(unit=unit_user.organization, plaque_number="QSJS-2025-002")
    for kind, minimum in LedgerTarget.objects.values_list("kind", "minimum"):
        _entries(on_track, kind, minimum, unit_user, year=year)
        _entries(behind, kind, minimum, unit_user, year=year - 1)  # last year's do not count
    _entries(behind, LedgerKind.TRAINED, 4, unit_user, year=year)  # one short of five
    [item] = _behind_item(unit_user)
    assert item.count == 1
    assert item.url == reverse("reviews:ledger", args=[behind.pk])


def test_a_kind_without_a_target_holds_nobody_back(db, unit_user):
    year = timezone.localdate().year
    station = factories.WorkstationFactory(unit=unit_user.organization)
    for kind, minimum in LedgerTarget.objects.exclude(kind=LedgerKind.COMPETITION).values_list("kind", "minimum"):
        _entries(station, kind, minimum, unit_user, year=year)
    assert len(_behind_item(unit_user)) == 1
    LedgerTarget.objects.filter(kind=LedgerKind.COMPETITION).delete()
    assert _behind_item(unit_user) == []


def test_a_station_with_no_entry_at_all_is_behind_and_a_revoked_one_is_not(db, unit_user):
    """The grouped query gives a station without any entry one row with no kind: it is behind every target."""
    year = timezone.localdate().year
    first = factories.WorkstationFactory(unit=unit_user.organization, plaque_number="QSJS-2025-001")
    empty = factories.WorkstationFactory(unit=unit_user.organization, plaque_number="QSJS-2025-002")
    factories.WorkstationFactory(unit=unit_user.organization, plaque_number="QSJS-2025-003", state="revoked",
                                 revoked_on=date(year, 6, 1))
    for kind, minimum in LedgerTarget.objects.values_list("kind", "minimum"):
        _entries(first, kind, minimum, unit_user, year=year)
    [item] = _behind_item(unit_user)
    assert (item.count, item.url) == (1, reverse("reviews:ledger", args=[empty.pk]))

