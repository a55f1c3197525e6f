"""A refused step on a tranche, an expenditure or a recovery comes back on its page with the reason typed and
the message at what caused it: the confirmation box, the reason's box, the amount (issue 13, point 4). They
were a message at the top of the next page, the reason gone."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.models import Expenditure, Tranche
from tests.factories import FinanceUserFactory
from tests.funding.factories import disbursed_station, first_tranche, funded_station, spend

pytestmark = pytest.mark.django_db
CONFIRM_FIRST = "请先勾选“我已了解上述后果，确认执行”。"
REASON = "单位申请放弃第二笔补助，已提交书面说明。"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def expenditure(hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    return spend(ws, unit_user, Decimal("8000.00"), code="talent-training", description="外出考察")


def test_cancelling_without_the_box_keeps_the_reason_and_asks_at_the_box(client, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    client.force_login(hr_user)
    response = client.post(reverse("funding:tranche_cancel", args=[tranche.pk]), {"reason": REASON})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'name="reason" rows="2" required>{REASON}</textarea>' in html
    assert f'<div class="invalid-feedback d-block" id="confirm-cancel-error">{CONFIRM_FIRST}</div>' in html
    assert _messages(response) == []
    assert Tranche.objects.get(pk=tranche.pk).state == "scheduled"


def test_cancelling_with_a_blank_reason_says_so_at_the_reason(client, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    client.force_login(hr_user)
    response = client.post(reverse("funding:tranche_cancel", args=[tranche.pk]), {"reason": "  ", "confirm": "1"})
    assert response.status_code == 400
    assert '<div class="invalid-feedback d-block" id="reason-cancel-error">请填写理由。</div>' in (
        response.content.decode())
    assert Tranche.objects.get(pk=tranche.pk).state == "scheduled"


def test_disbursing_without_the_box_says_so_at_the_box_not_at_the_top(client, hr_user, finance_user):
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    client.force_login(finance_user)
    response = client.post(reverse("funding:tranche_disburse", args=[tranche.pk]),
                           {"disbursed_on": "2026-11-20", "voucher_number": "记-7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<div class="invalid-feedback d-block" id="confirm-disburse-error">{CONFIRM_FIRST}</div>' in html
    assert 'value="记-7"' in html
    assert _messages(response) == []


def test_disbursing_without_a_voucher_and_dated_tomorrow_is_told_both_at_once(client, hr_user, finance_user):
    """The form's own check (no voucher) used to stop before the date's rules: a second refusal."""
    from datetime import timedelta

    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    client.force_login(finance_user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("funding:tranche_disburse", args=[tranche.pk]),
                           {"confirm": "1", "disbursed_on": f"{tomorrow:%Y-%m-%d}", "voucher_number": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "拨付日期不能晚于今天。" in html
    assert 'name="voucher_number"' in html and 'id="id_voucher_number"' in html
    assert html.count('class="invalid-feedback"') == 2
    assert Tranche.objects.get(pk=tranche.pk).state == "approved"


def test_disbursing_a_tranche_already_paid_says_so_at_the_top_of_the_page_as_it_now_stands(
        client, hr_user, finance_user):
    """A second finance clerk presses 登记拨付 on a page opened before the first one paid: the refusal is said at
    the top of the tranche's page, which now shows the payment (its form's place is gone)."""
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    today = timezone.localdate()
    services.disburse_tranche(tranche_id=tranche.pk, actor=FinanceUserFactory(), disbursed_on=today,
                              voucher_number="记-1")
    client.force_login(finance_user)
    response = client.post(reverse("funding:tranche_disburse", args=[tranche.pk]),
                           {"confirm": "1", "disbursed_on": today.isoformat(), "voucher_number": "记-2"})
    assert response.status_code == 400
    assert _messages(response) == [f"该笔资金已于{today:%Y-%m-%d}拨付（凭证号记-1），不能重复拨付。"]
    assert 'name="voucher_number"' not in response.content.decode()
    assert Tranche.objects.get(pk=tranche.pk).voucher_number == "记-1"


def test_recording_a_recovery_already_recorded_says_so_at_the_top(client, expenditure, hr_user, finance_user):
    services.question_expenditure(expenditure_id=expenditure.pk, actor=hr_user, reason="票据抬头不符")
    recovery = services.uphold_misuse(expenditure_id=expenditure.pk, actor=hr_user, reason="以培训名义旅游",
                                      recovery_amount=Decimal("8000.00"))
    today = timezone.localdate()
    services.mark_recovered(recovery_id=recovery.pk, actor=FinanceUserFactory(), recovered_on=today,
                            voucher_number="记-9")
    client.force_login(finance_user)
    response = client.post(reverse("funding:recovery_recovered", args=[recovery.pk]),
                           {"confirm": "1", "recovered_on": today.isoformat(), "voucher_number": "记-10"})
    assert response.status_code == 400
    assert _messages(response) == [f"该笔款项已于{today:%Y-%m-%d}登记追回（凭证号记-9），不能重复登记。"]
    assert 'name="voucher_number"' not in response.content.decode()


@pytest.mark.parametrize(("step", "said"), [("question", "请填写疑问。"), ("clear", "请填写核查结论。")])
def test_a_blank_question_or_conclusion_is_refused_at_its_box(client, expenditure, hr_user, step, said):
    """Each box asks for what it is called (疑问, 核查结论), not for a 理由 no box is labelled with."""
    if step == "clear":
        services.question_expenditure(expenditure_id=expenditure.pk, actor=hr_user, reason="票据抬头不符")
    client.force_login(hr_user)
    response = client.post(reverse(f"funding:expenditure_{step}", args=[expenditure.pk]), {"reason": " \n "})
    assert response.status_code == 400
    assert f'<div class="invalid-feedback d-block mb-2" id="{step}-reason-error">{said}</div>' in (
        response.content.decode())


def test_a_question_refused_because_the_expenditure_moved_on_is_said_at_the_top(client, expenditure, hr_user):
    """The page no longer offers 提出疑问 (another person upheld a misuse meanwhile): the reason at the top."""
    client.force_login(hr_user)
    page = client.get(reverse("funding:expenditure_detail", args=[expenditure.pk])).content.decode()
    assert 'id="question-reason"' in page
    services.question_expenditure(expenditure_id=expenditure.pk, actor=hr_user, reason="票据抬头不符")
    services.uphold_misuse(expenditure_id=expenditure.pk, actor=hr_user, reason="以培训名义旅游",
                           recovery_amount=Decimal("8000.00"))
    response = client.post(reverse("funding:expenditure_question", args=[expenditure.pk]), {"reason": "请说明"})
    assert response.status_code == 400
    assert 'id="question-reason"' not in response.content.decode()
    assert len(_messages(response)) == 1 and _messages(response)[0] in response.content.decode()


def test_a_question_with_text_keeps_it_when_refused(client, expenditure, hr_user):
    """The text typed is in the box again (the refusal here: the reason is only spaces and a line break)."""
    client.force_login(hr_user)
    response = client.post(reverse("funding:expenditure_question", args=[expenditure.pk]), {"reason": "   "})
    assert 'name="reason" rows="2" required aria-describedby="question-reason-error">   </textarea>' in (
        response.content.decode())


def test_an_amount_refused_when_upholding_keeps_the_reason(client, expenditure, hr_user):
    services.question_expenditure(expenditure_id=expenditure.pk, actor=hr_user, reason="票据抬头不符")
    client.force_login(hr_user)
    response = client.post(reverse("funding:expenditure_uphold", args=[expenditure.pk]), {
        "reason": "以培训名义旅游", "recovery_amount": "9999999.00", "confirm": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="reason" rows="2" required>以培训名义旅游</textarea>' in html
    assert response.context["kept_uphold"]["reason"] == "以培训名义旅游"
    assert "应追回金额不能超过已拨付金额" in response.context["uphold_fields"]
    assert _messages(response) == []
    assert Expenditure.objects.get(pk=expenditure.pk).state == "questioned"


def test_the_clearing_step_reads_as_an_action_in_english(client, hr_user, expenditure):
    """Its title and button said "Cleared", the state's name, not what the person does."""
    services.question_expenditure(expenditure_id=expenditure.pk, actor=hr_user, reason="发票抬头不符")
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("funding:expenditure_detail", args=[expenditure.pk])).content.decode()
    start = html.index(f'action="/funding/expenditures/{expenditure.pk}/clear/"')
    form = html[start:html.index("</form>", start)]
    assert '<h2 class="h6">Confirm as valid</h2>' in form
    assert '<button class="btn btn-primary" type="submit">Confirm as valid</button>' in form


GONE = "该操作已无法办理：已是“%s”，无需再办理（可能已在其他页面或由他人办理）。"


def test_disbursing_unticked_a_tranche_already_paid_says_the_step_is_gone_not_to_tick_the_box(
        client, hr_user, finance_user):
    """The box left unticked on a page opened before a colleague paid: the service is not asked, so the engine's
    refusal of the move says why the step is gone (the box's message had no place and nothing was said)."""
    _ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    today = timezone.localdate()
    services.disburse_tranche(tranche_id=tranche.pk, actor=FinanceUserFactory(), disbursed_on=today,
                              voucher_number="记-1")
    client.force_login(finance_user)
    response = client.post(reverse("funding:tranche_disburse", args=[tranche.pk]),
                           {"disbursed_on": today.isoformat(), "voucher_number": "记-2"})
    assert response.status_code == 400
    assert _messages(response) == [GONE % "已拨付"]
    html = response.content.decode()
    assert 'name="voucher_number"' not in html and "confirm-disburse-error" not in html
    assert Tranche.objects.get(pk=tranche.pk).voucher_number == "记-1"


def test_recording_unticked_a_recovery_already_recorded_says_the_step_is_gone(
        client, expenditure, hr_user, finance_user):
    services.question_expenditure(expenditure_id=expenditure.pk, actor=hr_user, reason="票据抬头不符")
    recovery = services.uphold_misuse(expenditure_id=expenditure.pk, actor=hr_user, reason="以培训名义旅游",
                                      recovery_amount=Decimal("8000.00"))
    today = timezone.localdate()
    services.mark_recovered(recovery_id=recovery.pk, actor=FinanceUserFactory(), recovered_on=today,
                            voucher_number="记-9")
    client.force_login(finance_user)
    response = client.post(reverse("funding:recovery_recovered", args=[recovery.pk]),
                           {"recovered_on": today.isoformat(), "voucher_number": "记-10"})
    assert response.status_code == 400
    assert _messages(response) == [GONE % "已追回"]
    assert 'name="voucher_number"' not in response.content.decode()



def test_the_tranche_and_expenditure_pages_name_the_station_once(client, hr_user, expenditure):
    """The station's name already says its unit: the pages wrote the unit again after it
    (“沁水县技师工作站（X有限公司·钳工）（X有限公司）”)."""
    station = expenditure.grant.workstation
    tranche = expenditure.grant.tranches.get(kind="first")
    client.force_login(hr_user)
    for url in (reverse("funding:tranche_detail", args=[tranche.pk]),
                reverse("funding:expenditure_detail", args=[expenditure.pk])):
        html = client.get(url).content.decode()
        shown = html[html.index("工作站</dt>"):]
        shown = shown[:shown.index("</dd>")]
        assert shown.count(station.unit.name) == 1, url
