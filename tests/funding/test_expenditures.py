"""第十二条: what the subsidy may pay for, spending within what was disbursed, and the evidence."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.utils import timezone

from funding import services
from funding.models import Expenditure, ExpenditureCategory
from qinshui_station.models import AuditEntry
from tests import factories
from tests.funding.factories import category, disbursed_station, funded_station, invoice, spend

D = Decimal
ARTICLE = ("《沁水县技师工作站管理考核办法》第十二条：补助资金主要用于技师工作站所需仪器设备购置改造与维护、"
           "原材料消耗、技能攻关、人才培养、技能交流等支出，不得用于差旅费、劳务费等与技师工作站建设无关的其他开支。")


def test_the_categories_are_the_countys_table(db):
    assert list(ExpenditureCategory.objects.order_by("-allowed", "order").values_list("name", "allowed")) == [
        ("仪器设备购置改造与维护", True), ("原材料消耗", True), ("技能攻关", True), ("人才培养", True),
        ("技能交流", True), ("差旅费", False), ("劳务费", False), ("与工作站建设无关的其他开支", False)]


def test_unit_records_an_allowed_expenditure_with_its_invoice(db, hr_user, finance_user, unit_user):
    ws, grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    expenditure = spend(ws, unit_user, D("12345.67"), code="materials")
    assert (expenditure.grant, expenditure.amount, expenditure.category.name, expenditure.state) == (
        grant, D("12345.67"), "原材料消耗", "recorded")
    document = expenditure.documents.get()
    assert (document.original_name, document.content_type, document.uploaded_by) == (
        "发票.pdf", "application/pdf", unit_user)
    entry = AuditEntry.objects.get(action="expenditure_recorded")
    assert entry.data == {"amount": "12345.67", "category": "materials", "documents": 1}


@pytest.mark.parametrize("code,name", [("travel", "差旅费"), ("labour-fees", "劳务费"),
                                       ("unrelated", "与工作站建设无关的其他开支")])
def test_refused_categories_are_refused_at_the_field_with_the_article(db, hr_user, finance_user, unit_user,
                                                                      code, name):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    with pytest.raises(ValidationError) as info:
        spend(ws, unit_user, D("500.00"), code=code)
    assert info.value.message_dict == {"category": [f"“{name}”不能使用补助资金列支。{ARTICLE}"]}
    assert not Expenditure.objects.exists()


def test_spending_past_the_disbursed_amount_is_refused_with_the_figures(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    spend(ws, unit_user, D("35000.00"))
    with pytest.raises(ValidationError) as info:
        spend(ws, unit_user, D("6000.00"))
    assert info.value.message_dict == {"amount": [
        "补助资金支出不能超过已拨付金额：已拨付¥40,000.00，已支出¥35,000.00，本次¥6,000.00，超出¥1,000.00。"]}
    assert Expenditure.objects.count() == 1


def test_spending_exactly_the_disbursed_amount_is_accepted(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    spend(ws, unit_user, D("39999.99"))
    spend(ws, unit_user, D("0.01"))
    with pytest.raises(ValidationError) as info:
        spend(ws, unit_user, D("0.01"))
    assert info.value.message_dict == {"amount": [
        "补助资金支出不能超过已拨付金额：已拨付¥40,000.00，已支出¥40,000.00，本次¥0.01，超出¥0.01。"]}


def test_nothing_can_be_spent_before_a_disbursement(db, hr_user, unit_user):
    ws, _grant = funded_station(hr=hr_user, unit=unit_user.organization)
    with pytest.raises(ValidationError) as info:
        spend(ws, unit_user, D("100.00"))
    assert info.value.message_dict == {"amount": [
        "补助资金支出不能超过已拨付金额：已拨付¥0.00，已支出¥0.00，本次¥100.00，超出¥100.00。"]}


def test_an_invoice_or_voucher_is_required(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    with pytest.raises(ValidationError) as info:
        services.record_expenditure(workstation_id=ws.pk, actor=unit_user, spent_on=timezone.localdate(),
                                    category=category(), amount=D("10.00"), description="配件", documents=[])
    assert info.value.message_dict == {"documents": ["请上传发票或支出凭证（PDF、JPEG或PNG）。"]}


def test_an_invoice_that_is_not_pdf_or_image_is_refused(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    fake = SimpleUploadedFile("发票.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        services.record_expenditure(workstation_id=ws.pk, actor=unit_user, spent_on=timezone.localdate(),
                                    category=category(), amount=D("10.00"), description="配件", documents=[fake])
    assert info.value.message_dict == {"documents": [
        "文件“发票.pdf”不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）。"]}
    assert not Expenditure.objects.exists()


def test_a_future_date_is_refused(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    with pytest.raises(ValidationError) as info:
        spend(ws, unit_user, D("10.00"), on=timezone.localdate() + timedelta(days=1))
    assert info.value.message_dict == {"spent_on": ["支出日期不能晚于今天。"]}


@pytest.mark.parametrize("role_fixture", ["other_unit_user", "hr_user", "finance_user", "department_user"])
def test_only_the_stations_unit_records_expenditures(db, request, hr_user, finance_user, unit_user, role_fixture):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    with pytest.raises(PermissionDenied):
        spend(ws, request.getfixturevalue(role_fixture), D("10.00"))


def test_float_amounts_are_a_programming_error(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    with pytest.raises(TypeError):
        services.record_expenditure(workstation_id=ws.pk, actor=unit_user, spent_on=timezone.localdate(),
                                    category=category(), amount=10.5, description="配件", documents=[invoice()])


@pytest.mark.django_db(transaction=True)
def test_two_expenditures_at_once_cannot_overspend_together(hr_user, finance_user):
    unit_user = factories.UnitUserFactory()
    colleague = factories.UnitUserFactory(organization=unit_user.organization)
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def record(name, actor):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            spend(ws, actor, D("25000.00"), description=f"支出{name}")
            outcomes[name] = "ok"
        except ValidationError as error:
            outcomes[name] = error.message_dict["amount"][0]
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=args) for args in (("A", unit_user), ("B", colleague))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == [
        "ok", "补助资金支出不能超过已拨付金额：已拨付¥40,000.00，已支出¥25,000.00，本次¥25,000.00，超出¥10,000.00。"]
    assert Expenditure.objects.count() == 1
