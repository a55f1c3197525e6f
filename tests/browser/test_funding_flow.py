"""Recognition → HR approves the first tranche → finance disburses it → the unit records an expenditure
with its invoice → the statement shows it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from funding import services
from funding.models import Tranche
from tests import factories
from tests.browser.fixtures import screenshot, sign_in
from tests.funding.factories import PDF, ensure_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_tranche_paid_and_spent(page, tmp_path):
    ensure_categories()
    hr = factories.HRUserFactory(username="hr_funding")
    factories.FinanceUserFactory(username="finance_funding")
    unit_user = factories.UnitUserFactory(username="unit_funding")
    station = factories.WorkstationFactory(unit=unit_user.organization, name="沁水县数控加工技师工作站")
    grant = services.create_grant(workstation=station, amount=Decimal("100000.00"), actor=hr)
    tranche = grant.tranches.get(kind="first")
    today = f"{timezone.localdate():%Y-%m-%d}"

    # HR approves the first tranche from the to-do list.
    sign_in(page, "hr_funding", factories.PASSWORD)
    page.get_by_role("link", name="待审批的补助资金").click()
    page.get_by_role("link", name="沁水县数控加工技师工作站").click()
    page.get_by_role("button", name="审批通过").click()
    assert "已审批通过，已通知县财政局拨付。" in page.content()
    screenshot(page, "funding-approved")

    # Finance records the payment, after ticking the confirmation box.
    sign_in(page, "finance_funding", factories.PASSWORD)
    page.get_by_role("link", name="待拨付的补助资金").click()
    page.get_by_role("link", name="沁水县数控加工技师工作站").click()
    assert page.locator("[data-account]").first.inner_text() == "0506012309024012345"
    page.get_by_label("拨付日期").fill(today)
    page.get_by_label("记账凭证号").fill("记-2026-0101")
    page.get_by_label("我已了解上述后果，确认执行").check()
    page.get_by_role("button", name="登记拨付").click()
    assert "已登记拨付。" in page.content()
    screenshot(page, "funding-disbursed")
    assert Tranche.objects.get(pk=tranche.pk).state == "disbursed"

    # The unit records an expenditure; travel is refused at the field with the article.
    invoice = tmp_path / "数控刀具发票.pdf"
    invoice.write_bytes(PDF)
    sign_in(page, "unit_funding", factories.PASSWORD)
    page.goto(f"/funding/stations/{station.pk}/")
    page.get_by_role("link", name="登记支出").click()
    page.get_by_label("支出日期").fill(today)
    page.get_by_label("支出类别").select_option(label="差旅费（不得列支）")
    page.get_by_label("金额（元）").fill("8600.50")
    page.get_by_label("用途说明").fill("赴外地参观")
    page.get_by_label("发票或支出凭证").set_input_files(str(invoice))
    page.get_by_role("button", name="登记").click()
    assert "“差旅费”不能使用补助资金列支。《沁水县技师工作站管理考核办法》第十二条" in page.content()
    screenshot(page, "funding-travel-refused")
    page.get_by_label("支出类别").select_option(label="仪器设备购置改造与维护")
    page.get_by_label("用途说明").fill("购置数控刀具一批")
    page.get_by_label("发票或支出凭证").set_input_files(str(invoice))
    page.get_by_role("button", name="登记").click()

    # The statement shows it: figures, the chart, the table and the invoice.
    assert "支出已登记。" in page.content()
    assert page.locator('[data-figure="disbursed"]').inner_text() == "¥40,000.00"
    assert page.locator('[data-figure="spent"]').inner_text() == "¥8,600.50"
    assert page.locator('[data-figure="balance"]').inner_text() == "¥31,399.50"
    assert page.get_by_role("img", name="补助资金按类别支出").is_visible()
    row = page.locator("[data-expenditures] tbody tr").first
    assert "仪器设备购置改造与维护" in row.inner_text() and "¥8,600.50" in row.inner_text()
    assert row.get_by_role("link", name="数控刀具发票.pdf").is_visible()
    screenshot(page, "funding-statement")
