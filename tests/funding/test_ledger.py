"""The county ledger: filters, totals to the fen, a constant number of queries, and an Excel export whose
totals are the database's."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from funding import services
from funding.models import Expenditure, Grant, Tranche
from funding.selectors import LedgerTotals, batch_years, ledger_grants, ledger_totals, ledger_years
from tests import factories
from tests.funding.factories import accepted, disbursed_station, funded_station, spend

D = Decimal


def _county(hr, finance, n=3):
    """n stations over two batches and two departments, in every tranche state, with spending."""
    dept_a, dept_b = factories.DepartmentFactory(), factories.DepartmentFactory()
    stations = []
    for i in range(n):
        unit = factories.UnitFactory(department=dept_a if i % 2 == 0 else dept_b)
        unit_user = factories.UnitUserFactory(organization=unit)
        batch = 2024 if i % 3 == 0 else 2025
        amount = D("100000.00") if i % 2 == 0 else D("33333.33")
        if i % 3 == 2:
            ws, _grant = funded_station(hr=hr, amount=amount, unit=unit, batch_year=batch)  # scheduled
        else:
            ws, _grant = disbursed_station(hr=hr, finance=finance, amount=amount, unit=unit, batch_year=batch)
            spend(ws, unit_user, D("1234.56") + i, code="materials")
        stations.append(ws)
    return dept_a, dept_b, stations


def _db_totals(grants):
    ids = grants.values("pk")
    return {
        "granted": grants.aggregate(s=Sum("amount"))["s"],
        "disbursed": Tranche.objects.filter(grant__in=ids, state="disbursed").aggregate(s=Sum("amount"))["s"],
        "spent": Expenditure.objects.filter(grant__in=ids).aggregate(s=Sum("amount"))["s"],
    }


def test_totals_equal_the_sum_of_the_rows_and_the_database(db, hr_user, finance_user):
    _county(hr_user, finance_user, n=6)
    rows = list(ledger_grants(hr_user))
    totals = ledger_totals(hr_user)
    assert totals.stations == len(rows) == 6
    assert totals.granted == sum(r.amount for r in rows) == D("399999.99")
    assert totals.disbursed == sum(r.disbursed for r in rows) == D("106666.66")
    assert totals.spent == sum(r.spent for r in rows) == D("4946.24")
    assert totals.pending == sum(r.pending for r in rows) == D("53333.33")
    assert totals.balance == D("106666.66") - totals.spent
    db_totals = _db_totals(Grant.objects.all())
    assert (totals.granted, totals.disbursed, totals.spent) == (
        db_totals["granted"], db_totals["disbursed"], db_totals["spent"])


def test_filter_by_batch_state_and_department(db, hr_user, finance_user):
    dept_a, _dept_b, stations = _county(hr_user, finance_user, n=6)
    assert {g.workstation for g in ledger_grants(hr_user, batch=2024)} == {stations[0], stations[3]}
    assert {g.workstation for g in ledger_grants(hr_user, state="scheduled")} == {stations[2], stations[5]}
    assert {g.workstation for g in ledger_grants(hr_user, department=dept_a.pk)} == {
        stations[0], stations[2], stations[4]}
    totals = ledger_totals(hr_user, batch=2025, department=dept_a.pk)
    assert (totals.stations, totals.granted, totals.disbursed) == (2, D("200000.00"), D("40000.00"))


def test_totals_from_the_years_read_once_equal_the_databases(db, hr_user, finance_user):
    """The page reads the year rows once for its filter and its totals (ledger_years): the same figures as the
    totals' own query, for every year and for all years, and the filter's years newest first."""
    _county(hr_user, finance_user, n=6)
    years = ledger_years(hr_user)
    assert batch_years(hr_user, years) == batch_years(hr_user) == [2025, 2024]
    for batch in (None, 2024, 2025, 2023):
        assert ledger_totals(hr_user, batch=batch, years=years) == ledger_totals(hr_user, batch=batch)
    totals = ledger_totals(hr_user, years=years)
    assert (totals.stations, totals.granted, totals.disbursed, totals.spent) == (
        6, D("399999.99"), D("106666.66"), D("4946.24"))
    assert ledger_totals(hr_user, batch=2023, years=years) == LedgerTotals()


def test_the_page_shows_the_totals_to_the_fen(client, db, hr_user, finance_user):
    _county(hr_user, finance_user, n=6)
    client.force_login(finance_user)
    html = client.get(reverse("funding:ledger")).content.decode()
    assert 'data-total="granted">¥399,999.99<' in html
    assert 'data-total="disbursed">¥106,666.66<' in html
    assert 'data-total="spent">¥4,946.24<' in html
    assert 'data-total="balance">¥101,720.42<' in html


def _ledger_queries(client, user, params=""):
    client.force_login(user)
    client.get(reverse("home"))  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("funding:ledger") + params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_ledger_uses_a_constant_number_of_queries(client, db, hr_user, finance_user):
    _county(hr_user, finance_user, n=3)
    few = _ledger_queries(client, hr_user)
    _county(hr_user, finance_user, n=12)
    many = _ledger_queries(client, hr_user)
    assert few == many
    assert many <= 15
    # filtered by state, the totals are summed from the filtered grants' kept sums (one query more); unfiltered
    # (and by year) they come from the year rows the filter's choices were read from
    assert _ledger_queries(client, hr_user, "?batch=2025") == many
    assert _ledger_queries(client, hr_user, "?batch=2025&state=disbursed") == many + 1


def _export(client, user, params=""):
    client.force_login(user)
    response = client.get(reverse("funding:ledger_export") + params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.streaming
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def _totals_row(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    total = next(r for r in rows if r[0] == "合计")
    return header, rows[1:rows.index(total)], dict(zip(header, total, strict=True))


def test_export_totals_equal_the_database(client, db, hr_user, finance_user):
    _county(hr_user, finance_user, n=6)
    workbook = _export(client, finance_user)
    assert workbook.sheetnames == ["补助资金台账", "拨付明细"]
    _header, rows, total = _totals_row(workbook["补助资金台账"])
    db_totals = _db_totals(Grant.objects.all())
    assert len(rows) == 6
    assert D(str(total["补助金额"])) == db_totals["granted"] == D("399999.99")
    assert D(str(total["已拨付"])) == db_totals["disbursed"] == D("106666.66")
    assert D(str(total["已支出"])) == db_totals["spent"] == D("4946.24")
    assert D(str(total["结余"])) == D("101720.42")
    assert total["牌匾编号"] == "6个工作站"
    # The rows add up to the totals row, to the fen.
    assert sum(D(str(r[9])) for r in rows) == D("106666.66")


def test_export_follows_the_filters_like_the_page(client, db, hr_user, finance_user):
    _dept_a, dept_b, _stations = _county(hr_user, finance_user, n=6)
    params = f"?batch=2025&department={dept_b.pk}"
    workbook = _export(client, hr_user, params)
    _header, rows, total = _totals_row(workbook["补助资金台账"])
    page_totals = ledger_totals(hr_user, batch=2025, department=dept_b.pk)
    assert len(rows) == page_totals.stations == 2
    assert D(str(total["补助金额"])) == page_totals.granted == D("66666.66")
    assert D(str(total["已拨付"])) == page_totals.disbursed == D("13333.33")


@pytest.mark.parametrize("role_fixture,account", [("finance_user", "0506012309024012345"),
                                                  ("hr_user", "***************2345")])
def test_export_masks_accounts_except_for_finance(client, request, db, hr_user, finance_user, role_fixture, account):
    disbursed_station(hr=hr_user, finance=finance_user)
    workbook = _export(client, request.getfixturevalue(role_fixture))
    header, rows, _total = _totals_row(workbook["补助资金台账"])
    assert rows[0][header.index("银行开户账号")] == account
    tranche_rows = list(workbook["拨付明细"].iter_rows(values_only=True))
    assert tranche_rows[1][10] == account


def test_cancelled_and_recovered_money_is_in_the_ledger(db, hr_user, finance_user):
    unit_user = factories.UnitUserFactory()
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    accepted(ws)
    services.schedule_second_tranche(workstation=ws, actor=hr_user)
    e = spend(ws, unit_user, D("500.00"))
    services.question_expenditure(expenditure_id=e.pk, actor=hr_user, reason="存疑")
    services.uphold_misuse(expenditure_id=e.pk, actor=hr_user, reason="挪用", recovery_amount=D("500.00"))
    row = ledger_grants(hr_user).get()
    totals = ledger_totals(hr_user)
    assert (row.disbursed, row.cancelled, row.pending, row.recovery_due, row.recovered) == (
        D("40000.00"), D("60000.00"), D("0.00"), D("500.00"), D("0.00"))
    assert (totals.cancelled, totals.recovery_due) == (D("60000.00"), D("500.00"))
    assert (row.first_state, row.second_state) == ("disbursed", "cancelled")


def _page_queries(client, user, url):
    client.force_login(user)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["funding:tranche_list", "funding:expenditure_list", "funding:recovery_list"])
def test_list_pages_use_a_constant_number_of_queries(client, db, hr_user, finance_user, url_name):
    url = reverse(url_name) + "?state="
    _county(hr_user, finance_user, n=3)
    few = _page_queries(client, finance_user, url)
    _county(hr_user, finance_user, n=9)
    assert _page_queries(client, finance_user, url) == few <= 15


def test_dashboards_use_a_constant_number_of_queries(client, db, hr_user, finance_user):
    _county(hr_user, finance_user, n=3)
    counts = [_page_queries(client, user, reverse("home")) for user in (hr_user, finance_user)]
    _county(hr_user, finance_user, n=9)
    assert [_page_queries(client, user, reverse("home")) for user in (hr_user, finance_user)] == counts
