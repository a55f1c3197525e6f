"""Sums kept with the rows they sum (funding/sums.py): every funding service leaves the grant's sums and its batch
year's totals equal to a recomputation from the rows, in the same transaction; ``check_sums`` finds a difference."""

from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from funding import services, sums
from funding.models import Grant, LedgerYear
from tests import factories as core
from tests.funding import factories as ff

pytestmark = pytest.mark.django_db

KEPT = ("disbursed", "pending", "cancelled", "spent", "questioned", "recovery_due", "recovered")


def kept(grant) -> dict:
    grant.refresh_from_db()
    return {name: getattr(grant, name) for name in KEPT}


def year(y: int) -> dict:
    row = LedgerYear.objects.get(batch_year=y)
    return {name: getattr(row, name) for name in ("stations", "granted", *KEPT)}


def test_each_service_keeps_the_grant_and_its_year_equal_to_the_rows():
    hr, finance = core.HRUserFactory(), core.FinanceUserFactory()
    ws, grant = ff.funded_station(hr=hr, batch_year=2024)
    assert kept(grant) == {**dict.fromkeys(KEPT, D("0")), "pending": D("40000.00")}
    ws, grant = ff.disbursed_station(hr=hr, finance=finance, batch_year=2024)
    unit_user = core.UnitUserFactory(organization=ws.unit)
    first = ff.spend(ws, unit_user, D("1000.00"))
    ff.spend(ws, unit_user, D("250.50"))
    services.question_expenditure(expenditure_id=first.pk, actor=hr, reason="请补充发票原件")
    assert kept(grant) == {**dict.fromkeys(KEPT, D("0")), "disbursed": D("40000.00"), "spent": D("1250.50"),
                           "questioned": D("1000.00")}
    ff.accepted(ws)
    services.schedule_second_tranche(workstation=ws, actor=hr)
    assert kept(grant)["pending"] == D("60000.00")
    recovery = services.uphold_misuse(expenditure_id=first.pk, actor=hr, reason="用于差旅", recovery_amount=D("1000.00"))
    services.mark_recovered(recovery_id=recovery.pk, actor=finance, recovered_on=timezone.localdate(),
                            voucher_number="缴-1")
    assert kept(grant) == {"disbursed": D("40000.00"), "pending": D("0"), "cancelled": D("60000.00"),
                           "spent": D("1250.50"), "questioned": D("0"), "recovery_due": D("1000.00"),
                           "recovered": D("1000.00")}
    assert year(2024) == {"stations": 2, "granted": D("200000.00"), "disbursed": D("40000.00"),
                          "pending": D("40000.00"), "cancelled": D("60000.00"), "spent": D("1250.50"),
                          "questioned": D("0"), "recovery_due": D("1000.00"), "recovered": D("1000.00")}
    assert sums.mismatches() == []


def test_the_many_station_services_keep_them_too():
    hr, finance = core.HRUserFactory(), core.FinanceUserFactory()
    stations = [ff.disbursed_station(hr=hr, finance=finance, batch_year=2025)[0] for _ in range(3)]
    ff.accepted(*stations[:2])
    services.schedule_second_tranches(workstation_ids=[s.pk for s in stations[:2]], actor=hr)
    services.cancel_open_tranches(reasons={stations[0].pk: "评估不合格"}, actor=hr, event="failed_evaluation")
    pending = [Grant.objects.get(workstation=s).pending for s in stations]
    assert pending == [D("0"), D("60000.00"), D("0")]
    assert year(2025)["cancelled"] == D("60000.00")
    assert sums.mismatches() == []


def test_check_sums_reports_a_difference_and_repairs_it():
    hr, finance = core.HRUserFactory(), core.FinanceUserFactory()
    _ws, grant = ff.disbursed_station(hr=hr, finance=finance, batch_year=2024)
    call_command("check_sums")  # all equal: no error
    Grant.objects.filter(pk=grant.pk).update(disbursed=D("1.00"))
    assert sums.mismatches() == [
        f"grant {grant.pk}: disbursed stored 1.00 but the rows sum to 40000.00",
        "year 2024: disbursed stored 40000.00 but the grants sum to 1.00"]
    with pytest.raises(CommandError, match="2 kept sums differ"):
        call_command("check_sums")
    call_command("check_sums", "--repair")
    assert kept(grant)["disbursed"] == D("40000.00")
    assert sums.mismatches() == []
