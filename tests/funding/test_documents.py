"""A station's subsidy statement PDF, and the county ledger workbook against the ledger page."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as core
from tests.funding import factories as ff
from tests.qinshui_station.test_documents import flat, pdftotext

pytestmark = pytest.mark.django_db

UNIT = "沁水县喆昇机电设备有限公司"


def _station(hr_user, finance_user):
    ws, grant = ff.disbursed_station(hr=hr_user, finance=finance_user, name="沁水县喆昇钳工技师工作站",
                                     unit=core.UnitFactory(name=UNIT))
    unit_user = core.UnitUserFactory(organization=ws.unit)
    ff.spend(ws, unit_user, Decimal("12345.67"), code="equipment", description="购置王堃设计的液压试验台配件")
    ff.spend(ws, unit_user, Decimal("1000.01"), code="talent-training", description="师带徒培训教材")
    return ws, grant, unit_user


def test_the_statement_pdf_has_the_pages_figures_to_the_fen(client, hr_user, finance_user):
    ws, grant, unit_user = _station(hr_user, finance_user)
    client.force_login(unit_user)
    response = client.get(reverse("funding:statement_pdf", args=[ws.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = flat(pdftotext(b"".join(response.streaming_content)))
    for expected in (ws.name, UNIT, "¥100,000.00", "¥40,000.00", "¥13,345.68", "¥26,654.32",
                     "¥12,345.67", "¥1,000.01", "仪器设备购置改造与维护", "人才培养", "王堃", "记-2026-0001"):
        assert expected in text, expected
    page = client.get(reverse("funding:statement", args=[ws.pk])).content.decode()
    for figure in ("¥40,000.00", "¥13,345.68", "¥26,654.32"):
        assert figure in page


@pytest.mark.parametrize("who", ["other_unit_user", "other_department_user", "expert"])
def test_only_people_who_may_see_the_station_get_its_statement(client, hr_user, finance_user, who, request):
    ws, _grant, _unit_user = _station(hr_user, finance_user)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("funding:statement_pdf", args=[ws.pk])).status_code == 404


def test_the_ledger_workbook_totals_match_the_ledger_page(client, hr_user, finance_user):
    _station(hr_user, finance_user)
    ff.disbursed_station(hr=hr_user, finance=finance_user, amount=Decimal("99999.99"))
    client.force_login(finance_user)
    page = client.get(reverse("funding:ledger"))
    totals = page.context["totals"]
    response = client.get(reverse("funding:ledger_export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)["补助资金台账"]
                .iter_rows(values_only=True))
    total = dict(zip(rows[0], next(r for r in rows if r[0] == "合计"), strict=True))
    pairs = {"补助金额": totals.granted, "已拨付": totals.disbursed, "已支出": totals.spent, "结余": totals.balance}
    for column, figure in pairs.items():
        assert Decimal(str(total[column])).quantize(Decimal("0.01")) == figure, column
    assert totals.granted == Decimal("199999.99") and totals.spent == Decimal("13345.68")


def test_the_english_workbook_and_statement_call_a_tranche_a_tranche(client, hr_user, finance_user):
    ws, _grant, _unit_user = _station(hr_user, finance_user)
    client.force_login(finance_user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("funding:ledger_export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)["Disbursement details"]
                .iter_rows(values_only=True))
    assert rows[0][:5] == ("Recognition year", "Plaque number", "Workstation", "Tranche", "Amount")
    page = client.get(reverse("funding:statement", args=[ws.pk])).content.decode()
    assert '<th scope="col">Tranche</th>' in page and '<th scope="col">Batch</th>' not in page
