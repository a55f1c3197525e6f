"""The ledger's pages: who sees what, the statement and its chart, the confirmation step, dashboards."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from funding.demo import load_demo as load_funding_demo
from funding.models import ExpenditureDocument, Grant, Tranche
from qinshui_station.demo import load_demo
from qinshui_station.models import Workstation
from tests import factories
from tests.funding.factories import PDF, disbursed_station, first_tranche, funded_station, spend

D = Decimal
ACCOUNT = "0506012309024012345"
MASKED = "***************2345"


@pytest.fixture
def station(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    spend(ws, unit_user, D("12000.00"), code="equipment")
    spend(ws, unit_user, D("3000.50"), code="talent-training", description="高级工培训班")
    return ws


def test_statement_shows_the_figures_the_chart_and_the_table(client, station, unit_user):
    client.force_login(unit_user)
    html = client.get(reverse("funding:statement", args=[station.pk])).content.decode()
    assert 'data-figure="granted">¥100,000.00<' in html
    assert 'data-figure="disbursed">¥40,000.00<' in html
    assert 'data-figure="open">¥0.00<' in html
    assert 'data-figure="spent">¥15,000.50<' in html
    assert 'data-figure="balance">¥24,999.50<' in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "仪器设备购置改造与维护 ¥12,000.00（80.0%）；原材料消耗 ¥0.00（0.0%）；技能攻关 ¥0.00（0.0%）；" \
           "人才培养 ¥3,000.50（20.0%）；技能交流 ¥0.00（0.0%）" in html
    # The largest category takes the full bar area (72% of the width); the others in proportion.
    assert 'width="72.0%" height="16" fill="#a61b1b" data-amount="12000.00"' in html
    assert 'width="18.0%" height="16" fill="#a61b1b" data-amount="3000.50"' in html
    assert "<td>人才培养</td><td class=\"text-end\">¥3,000.50</td><td class=\"text-end\">20.0%</td>" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    # the caption names the table it matches (it said “the table below”, beside the chart on a desktop)
    assert "已支出合计 ¥15,000.50；图中数据与“按类别支出”表相同。" in html
    assert "<caption>按类别支出（与图中数据相同）</caption>" in html


def test_statement_lists_each_expenditure_with_its_documents_in_upload_order(client, station, unit_user):
    """The spending rows come with their documents (read with them, in one query): each row links its own."""
    newer, older = station.grant.expenditures.order_by("-pk")
    extra = ExpenditureDocument.objects.create(expenditure=older, file=older.documents.get().file,
                                               original_name="付款凭证<2>.pdf", content_type="application/pdf",
                                               size=1, sha256="0" * 64, uploaded_by=unit_user)
    client.force_login(unit_user)
    html = client.get(reverse("funding:statement", args=[station.pk])).content.decode()
    first, second = (older.documents.order_by("pk")[0], extra)
    base = reverse("funding:expenditure_document", args=[older.pk, first.pk])
    assert (f'<td><a href="{base}">{first.original_name}</a>、<a href="'
            f'{reverse("funding:expenditure_document", args=[older.pk, second.pk])}">付款凭证&lt;2&gt;.pdf</a></td>'
            ) in html
    only = newer.documents.get()
    assert f'<td><a href="{reverse("funding:expenditure_document", args=[newer.pk, only.pk])}">' \
           f'{only.original_name}</a></td>' in html
    assert html.count("/documents/") == 3


@pytest.mark.parametrize("role_fixture,shown", [
    ("unit_user", ACCOUNT), ("finance_user", ACCOUNT), ("hr_user", MASKED), ("department_user", MASKED),
    ("org_dept_user", MASKED),
])
def test_bank_account_in_full_only_to_finance_and_the_unit(client, request, station, role_fixture, shown):
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get(reverse("funding:statement", args=[station.pk])).content.decode()
    assert f"<span data-account>{shown}</span>" in html
    assert (ACCOUNT in html) == (shown == ACCOUNT)


@pytest.mark.parametrize("role_fixture", ["other_unit_user", "other_department_user", "expert"])
def test_others_do_not_reach_the_statement(client, request, station, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("funding:statement", args=[station.pk])).status_code == 404


@pytest.fixture
def only_funding_panel(monkeypatch):
    """The workstation page with the funding panel alone (other apps' panels are theirs to test)."""
    from funding.views import workstation_panel
    from qinshui_station.registry import registry

    monkeypatch.setattr(registry, "workstation_panels", [workstation_panel])


def test_the_workstation_page_has_the_funding_panel(client, station, department_user, only_funding_panel):
    client.force_login(department_user)
    html = client.get(reverse("workstation_detail", args=[station.pk])).content.decode()
    assert "建设补助资金" in html
    assert f'href="/funding/stations/{station.pk}/"' in html
    assert "¥24,999.50" in html


def test_a_station_without_grant_has_no_panel(client, unit_user, only_funding_panel):
    ws = factories.WorkstationFactory(unit=unit_user.organization)
    client.force_login(unit_user)
    html = client.get(reverse("workstation_detail", args=[ws.pk])).content.decode()
    assert "建设补助资金" not in html


def test_invoice_is_served_to_the_unit_and_not_to_another(client, station, unit_user, other_unit_user):
    document = station.grant.expenditures.first().documents.get()
    url = document.get_absolute_url()
    client.force_login(unit_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(other_unit_user)
    assert client.get(url).status_code == 404


# --- Recording an expenditure through the form -------------------------------------------------------------

def _post_expenditure(client, ws, **overrides):
    data = {"spent_on": f"{timezone.localdate():%Y-%m-%d}", "category": overrides.pop("category"),
            "amount": "1000.00", "description": "购置量具",
            "documents": SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf")}
    data.update(overrides)
    return client.post(reverse("funding:expenditure_create", args=[ws.pk]), data)


def test_the_form_refuses_travel_at_the_field(client, station, unit_user):
    from funding.models import ExpenditureCategory

    client.force_login(unit_user)
    travel = ExpenditureCategory.objects.get(code="travel")
    response = _post_expenditure(client, station, category=travel.pk)
    assert response.status_code == 400
    assert response.context["form"].errors["category"][0].startswith("“差旅费”不能使用补助资金列支。《沁水县技师")
    assert "差旅费（不得列支）" in response.content.decode()


def test_the_form_refuses_overspending_with_the_figures(client, station, unit_user):
    from funding.models import ExpenditureCategory

    client.force_login(unit_user)
    response = _post_expenditure(client, station, category=ExpenditureCategory.objects.get(code="materials").pk,
                                 amount="25000.00")
    assert response.status_code == 400
    assert response.context["form"].errors["amount"] == [
        "补助资金支出不能超过已拨付金额：已拨付¥40,000.00，已支出¥15,000.50，本次¥25,000.00，超出¥0.50。"]


def test_a_refused_expenditure_asks_for_the_invoice_chosen_to_be_chosen_again(client, station, unit_user):
    """The invoice was chosen and the amount refused (by the service: overspending; by the form: three decimals):
    the page comes back with the file box empty — a browser keeps no file chosen — and says which file to choose
    again, at the file box (it said nothing: the person sent the corrected form without the invoice)."""
    from funding.models import ExpenditureCategory

    client.force_login(unit_user)
    materials = ExpenditureCategory.objects.get(code="materials").pk
    for amount in ("25000.00", "100.005"):
        response = _post_expenditure(client, station, category=materials, amount=amount)
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert set(errors) == {"amount", "documents"}
        assert errors["documents"] == ["请重新选择文件：发票.pdf（页面退回后，浏览器不保留已选的文件）。"]
        assert "请重新选择文件：发票.pdf" in response.content.decode()


def test_an_expenditure_refused_without_a_file_chosen_asks_only_for_the_file(client, station, unit_user):
    from funding.models import ExpenditureCategory

    client.force_login(unit_user)
    response = _post_expenditure(client, station, category=ExpenditureCategory.objects.get(code="materials").pk,
                                 amount="25000.00", documents=[])
    assert response.status_code == 400
    assert "请重新选择文件" not in response.content.decode()


def test_an_amount_with_three_decimals_is_refused_in_plain_chinese(client, station, unit_user):
    """Django's own wording was “确认小数不超过 2 位.” (an English full stop, spaces around the figure)."""
    from funding.models import ExpenditureCategory

    client.force_login(unit_user)
    response = _post_expenditure(client, station, category=ExpenditureCategory.objects.get(code="materials").pk,
                                 amount="100.125")
    assert response.status_code == 400
    assert response.context["form"].errors["amount"] == ["最多保留2位小数。"]


def test_an_expenditure_dated_tomorrow_without_an_invoice_is_told_both_at_once(client, station, unit_user):
    """The form's own check (no file) used to stop before the service's (the date): a second refusal for what the
    first could have said."""
    from datetime import timedelta

    from funding.models import ExpenditureCategory

    client.force_login(unit_user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    before = station.grant.expenditures.count()
    response = _post_expenditure(client, station, category=ExpenditureCategory.objects.get(code="materials").pk,
                                 spent_on=f"{tomorrow:%Y-%m-%d}", documents=[])
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["spent_on"] == ["支出日期不能晚于今天。"]
    assert set(errors) == {"spent_on", "documents"}
    assert station.grant.expenditures.count() == before


def test_the_form_records_an_allowed_expenditure(client, station, unit_user):
    from funding.models import ExpenditureCategory

    client.force_login(unit_user)
    response = _post_expenditure(client, station, category=ExpenditureCategory.objects.get(code="materials").pk)
    assert response.status_code == 302
    assert response["Location"] == f"/funding/stations/{station.pk}/"
    assert station.grant.expenditures.filter(category__code="materials", amount=D("1000.00")).count() == 1


# --- The confirmation step -----------------------------------------------------------------------------------

def test_disbursing_without_ticking_the_box_is_refused(client, db, hr_user, finance_user):
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    client.force_login(hr_user)
    client.post(reverse("funding:tranche_approve", args=[tranche.pk]))
    client.force_login(finance_user)
    data = {"disbursed_on": f"{timezone.localdate():%Y-%m-%d}", "voucher_number": "记-7"}
    response = client.post(reverse("funding:tranche_disburse", args=[tranche.pk]), data)
    assert response.status_code == 400
    assert "请先勾选“我已了解上述后果，确认执行”。" in response.content.decode()
    assert Tranche.objects.get(pk=tranche.pk).state == "approved"
    response = client.post(reverse("funding:tranche_disburse", args=[tranche.pk]), {**data, "confirm": "1"})
    assert response.status_code == 302
    assert Tranche.objects.get(pk=tranche.pk).state == "disbursed"


def test_cancelling_by_hand_needs_the_box_and_a_reason(client, db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    client.force_login(hr_user)
    client.post(reverse("funding:tranche_cancel", args=[tranche.pk]), {"reason": "单位申请放弃"})
    assert Tranche.objects.get(pk=tranche.pk).state == "scheduled"
    client.post(reverse("funding:tranche_cancel", args=[tranche.pk]), {"reason": "单位申请放弃", "confirm": "1"})
    assert Tranche.objects.get(pk=tranche.pk).state == "cancelled"


def test_the_tranche_page_offers_each_role_its_own_buttons(client, db, hr_user, finance_user):
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    url = reverse("funding:tranche_detail", args=[tranche.pk])
    client.force_login(hr_user)
    html = client.get(url).content.decode()
    assert "审批通过" in html and "取消该笔拨付" in html and "登记拨付" not in html
    client.force_login(finance_user)
    html = client.get(url).content.decode()
    assert "审批通过" not in html and "取消该笔拨付" not in html


@pytest.mark.parametrize("url_name", ["funding:ledger", "funding:ledger_export", "funding:tranche_list",
                                      "funding:recovery_list"])
@pytest.mark.parametrize("role_fixture", ["unit_user", "department_user", "expert", "org_dept_user"])
def test_staff_pages_refuse_other_roles(client, request, url_name, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse(url_name)).status_code == 403


# --- Dashboards and menus ------------------------------------------------------------------------------------

def test_hr_sees_tranches_to_approve(client, db, hr_user):
    funded_station(hr=hr_user)
    funded_station(hr=hr_user)
    client.force_login(hr_user)
    html = client.get(reverse("home")).content.decode()
    assert '<div class="count">2</div>' in html and "待审批的补助资金" in html


def test_finance_sees_tranches_to_disburse(client, db, hr_user, finance_user):
    _ws, grant = funded_station(hr=hr_user)
    from funding import services

    services.approve_tranche(tranche_id=first_tranche(grant).pk, actor=hr_user)
    client.force_login(finance_user)
    html = client.get(reverse("home")).content.decode()
    assert "待拨付的补助资金" in html
    assert 'href="/funding/tranches/?state=approved"' in html


def test_unit_sees_its_balance(client, station, unit_user, hr_user, finance_user):
    client.force_login(unit_user)
    html = client.get(reverse("home")).content.decode()
    assert "补助资金结余 ¥24,999.50" in html
    assert "获补助工作站1个：已拨付¥40,000.00，已支出¥15,000.50" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("home")).content.decode()
    assert "1 funded station: ¥40,000.00 disbursed, ¥15,000.50 spent" in html  # one station, not "1 … stations"

    disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    html = client.get(reverse("home")).content.decode()
    assert "2 funded stations: ¥80,000.00 disbursed, ¥15,000.50 spent" in html


@pytest.mark.parametrize("role_fixture,present,absent", [
    ("unit_user", ["资金支出"], ["补助资金台账", "资金拨付", "资金追回"]),
    ("hr_user", ["补助资金台账", "资金拨付", "资金支出", "资金追回"], []),
    ("finance_user", ["补助资金台账", "资金拨付", "资金支出", "资金追回"], []),
    ("department_user", [], ["补助资金台账", "资金拨付", "资金支出", "资金追回"]),
])
def test_menus(client, request, role_fixture, present, absent):
    client.force_login(request.getfixturevalue(role_fixture))
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index('id="mainnav"'):html.index("</nav>", html.index('id="mainnav"'))]
    for label in present:
        assert label in nav
    for label in absent:
        assert label not in nav


# --- Demo data -------------------------------------------------------------------------------------------------

def test_demo_creates_nothing_without_a_workstation(db):
    load_demo()
    assert load_funding_demo() == []
    assert not Grant.objects.exists()


def test_demo_gives_a_demo_station_its_grant_once(db):
    load_demo()
    unit = factories.UnitFactory._meta.model.objects.get(name="山西沁水机械制造有限公司")
    ws = factories.WorkstationFactory(unit=unit)
    assert load_funding_demo() == [f"补助资金：{ws.name} ¥100,000.00，第一批待审批"]
    assert load_funding_demo() == []
    assert list(Workstation.objects.get(pk=ws.pk).grant.tranches.values_list("amount", flat=True)) == [
        D("40000.00")]


def test_misuse_is_upheld_and_recovered_through_the_pages(client, station, hr_user, finance_user):
    from funding.models import Recovery

    expenditure = station.grant.expenditures.get(category__code="talent-training")
    client.force_login(finance_user)
    client.post(reverse("funding:expenditure_question", args=[expenditure.pk]), {"reason": "培训名单与发票不符"})
    client.force_login(hr_user)
    html = client.get(expenditure.get_absolute_url()).content.decode()
    assert "认定违规使用县级专项补助资金" in html and 'value="3000.50"' in html
    url = reverse("funding:expenditure_uphold", args=[expenditure.pk])
    data = {"reason": "虚列培训支出", "recovery_amount": "3000.50"}
    assert client.post(url, data).status_code == 400
    assert not Recovery.objects.exists()
    response = client.post(url, {**data, "confirm": "1"})
    recovery = Recovery.objects.get()
    assert response["Location"] == f"/funding/recoveries/{recovery.pk}/"
    station.refresh_from_db()
    assert station.state == "revoked"
    client.force_login(finance_user)
    response = client.post(reverse("funding:recovery_recovered", args=[recovery.pk]),
                           {"recovered_on": f"{timezone.localdate():%Y-%m-%d}", "voucher_number": "缴-1",
                            "confirm": "1"})
    assert response.status_code == 302
    recovery.refresh_from_db()
    assert (recovery.state, recovery.recovered_voucher) == ("recovered", "缴-1")
    html = client.get(reverse("funding:statement", args=[station.pk])).content.decode()
    assert 'data-figure="recovery_due">¥3,000.50<' in html and 'data-figure="recovered">¥3,000.50<' in html


def test_statement_tranche_rows_link_for_the_offices_and_say_why_one_was_cancelled(client, hr_user, finance_user,
                                                                                  unit_user):
    from funding import services

    ws, grant = funded_station(hr=hr_user, unit=unit_user.organization)
    tranche = first_tranche(grant)
    services.cancel_tranche(tranche_id=tranche.pk, actor=hr_user, reason="单位<申请>撤回")
    cells = ('<td class="text-end">¥40,000.00</td><td><span class="badge state-badge state-cancelled '
             'text-bg-danger">已取消</span></td>\n  <td></td><td></td><td></td>\n'
             '  <td>人工取消：单位&lt;申请&gt;撤回</td></tr>')
    url = reverse("funding:statement", args=[ws.pk])
    client.force_login(unit_user)
    html = client.get(url).content.decode()
    assert "<tr>\n  <td>第一批（40%，建站启动资金）</td>\n  " + cells in html  # never paid: no day, voucher, account
    client.force_login(finance_user)
    html = client.get(url).content.decode()
    assert (f'<tr>\n  <td><a href="{reverse("funding:tranche_detail", args=[tranche.pk])}">第一批（40%，建站启动资金）'
            "</a></td>\n  " + cells) in html


def test_the_upheld_misuse_state_reads_as_a_state_in_english(client, station, hr_user):
    """The state and the move shared one msgid (认定违规使用): the list's filter and badges said “Uphold misuse”."""
    from funding.states import ExpenditureState
    from funding.workflow import EXPENDITURE_TRANSITIONS

    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("funding:expenditure_list")).content.decode()
    assert '<option value="misuse">Misuse upheld</option>' in html
    move = EXPENDITURE_TRANSITIONS[(ExpenditureState.QUESTIONED, ExpenditureState.MISUSE)]
    from django.utils import translation

    with translation.override("en"):
        assert (str(ExpenditureState.MISUSE.label), str(move.label)) == ("Misuse upheld", "Uphold misuse")
    with translation.override("zh-hans"):
        assert (str(ExpenditureState.MISUSE.label), str(move.label)) == ("认定违规使用", "认定违规使用")
