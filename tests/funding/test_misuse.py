"""Questioned expenditures, an upheld misuse (revocation on 第十条's ground 6, open tranches cancelled,
a recovery recorded) and the recovery marked as recovered."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from funding import services
from funding.models import Recovery
from funding.workflow import EXPENDITURE_TRANSITIONS
from qinshui_station.models import AuditEntry, Revocation
from qinshui_station.workflow import TransitionRefused
from tests.funding.factories import accepted, disbursed_station, spend

D = Decimal
ROLE_FIXTURES = {"unit": "unit_user", "department": "department_user", "expert": "expert", "hr": "hr_user",
                 "finance": "finance_user", "org_dept": "org_dept_user"}


@pytest.fixture
def expenditure(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    return spend(ws, unit_user, D("8000.00"), code="talent-training", description="外出考察")


def _to(expenditure, state, hr):
    if state in ("questioned", "cleared", "misuse"):
        services.question_expenditure(expenditure_id=expenditure.pk, actor=hr, reason="票据抬头不符")
    if state == "cleared":
        services.clear_expenditure(expenditure_id=expenditure.pk, actor=hr, reason="已补正")
    expenditure.refresh_from_db()
    return expenditure


def _move(expenditure, to, actor):
    match to:
        case "questioned":
            return services.question_expenditure(expenditure_id=expenditure.pk, actor=actor, reason="请说明")
        case "cleared":
            return services.clear_expenditure(expenditure_id=expenditure.pk, actor=actor, reason="属实")
        case "misuse":
            return services.uphold_misuse(expenditure_id=expenditure.pk, actor=actor, reason="以培训名义旅游",
                                          recovery_amount=D("8000.00"))


CASES = [(src, dst, role) for (src, dst) in EXPENDITURE_TRANSITIONS for role in ROLE_FIXTURES]


@pytest.mark.parametrize("src,dst,role", CASES, ids=[f"{s}->{d}-{r}" for s, d, r in CASES])
def test_each_expenditure_move_is_open_to_its_roles_only(request, expenditure, hr_user, src, dst, role):
    actor = request.getfixturevalue(ROLE_FIXTURES[role])
    _to(expenditure, src, hr_user)
    if role in EXPENDITURE_TRANSITIONS[(src, dst)].roles:
        _move(expenditure, dst, actor)
        expenditure.refresh_from_db()
        assert expenditure.state == dst
    else:
        with pytest.raises(PermissionDenied):
            _move(expenditure, dst, actor)
        expenditure.refresh_from_db()
        assert expenditure.state == src


def test_misuse_cannot_be_upheld_without_a_question(expenditure, hr_user):
    with pytest.raises(TransitionRefused) as info:
        _move(expenditure, "misuse", hr_user)
    assert str(info.value) == "当前状态“已登记”不能转为“认定违规使用”。"


def test_the_unit_is_asked_to_explain(expenditure, finance_user, unit_user):
    services.question_expenditure(expenditure_id=expenditure.pk, actor=finance_user, reason="票据抬头不符")
    assert list(unit_user.notifications.order_by("-pk").values_list("message", flat=True)[:1]) == [
        f"{expenditure.grant.workstation.name}的一笔补助资金支出（¥8,000.00）被提出疑问：票据抬头不符"]


def test_upheld_misuse_revokes_cancels_and_records_the_recovery(expenditure, hr_user, finance_user):
    ws = expenditure.grant.workstation
    accepted(ws)
    second = services.schedule_second_tranche(workstation=ws, actor=hr_user)
    _to(expenditure, "questioned", hr_user)
    recovery = services.uphold_misuse(expenditure_id=expenditure.pk, actor=hr_user, reason="以培训名义旅游",
                                      recovery_amount=D("8000.00"))
    ws.refresh_from_db()
    second.refresh_from_db()
    expenditure.refresh_from_db()
    assert ws.state == "revoked"
    assert Revocation.objects.get(workstation=ws).ground == "subsidy_misuse"
    assert (second.state, second.cancel_event) == ("cancelled", "revocation")
    assert second.cancel_reason == "违规使用县级专项补助资金：以培训名义旅游"
    assert (expenditure.state, expenditure.decision) == ("misuse", "以培训名义旅游")
    assert (recovery.amount, recovery.state, recovery.expenditure) == (D("8000.00"), "pending", expenditure)
    assert list(AuditEntry.objects.filter(action__in=[
        "expenditure_misuse_upheld", "revoke", "tranche_cancelled", "recovery_recorded"]).order_by("pk")
        .values_list("action", flat=True)) == [
        "expenditure_misuse_upheld", "revoke", "tranche_cancelled", "recovery_recorded"]


def test_a_second_misuse_on_a_revoked_station_records_another_recovery(db, hr_user, finance_user, unit_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    first = spend(ws, unit_user, D("1000.00"))
    second = spend(ws, unit_user, D("2000.00"))
    for e in (first, second):
        _to(e, "questioned", hr_user)
    services.uphold_misuse(expenditure_id=first.pk, actor=hr_user, reason="挪用", recovery_amount=D("1000.00"))
    services.uphold_misuse(expenditure_id=second.pk, actor=hr_user, reason="挪用", recovery_amount=D("2000.00"))
    assert Revocation.objects.filter(workstation=ws).count() == 1
    assert sorted(Recovery.objects.values_list("amount", flat=True)) == [D("1000.00"), D("2000.00")]


def test_recovery_cannot_exceed_what_was_disbursed(expenditure, hr_user):
    _to(expenditure, "questioned", hr_user)
    with pytest.raises(ValidationError) as info:
        services.uphold_misuse(expenditure_id=expenditure.pk, actor=hr_user, reason="挪用",
                               recovery_amount=D("40000.01"))
    assert info.value.message_dict == {"recovery_amount": [
        "应追回金额不能超过已拨付金额：已拨付¥40,000.00，已登记追回¥0.00，本次¥40,000.01，超出¥0.01。"]}
    expenditure.refresh_from_db()
    assert expenditure.state == "questioned"
    assert expenditure.grant.workstation.state == "construction"


def _recovery(expenditure, hr):
    _to(expenditure, "questioned", hr)
    return services.uphold_misuse(expenditure_id=expenditure.pk, actor=hr, reason="挪用",
                                  recovery_amount=D("8000.00"))


def test_finance_marks_the_recovery_recovered(expenditure, hr_user, finance_user):
    recovery = _recovery(expenditure, hr_user)
    services.mark_recovered(recovery_id=recovery.pk, actor=finance_user, recovered_on=timezone.localdate(),
                            voucher_number="缴-2026-007")
    recovery.refresh_from_db()
    assert (recovery.state, recovery.recovered_on, recovery.recovered_voucher, recovery.recovered_by) == (
        "recovered", timezone.localdate(), "缴-2026-007", finance_user)


@pytest.mark.parametrize("role_fixture", ["unit_user", "hr_user", "department_user", "org_dept_user"])
def test_only_finance_marks_recovered(request, expenditure, hr_user, role_fixture):
    recovery = _recovery(expenditure, hr_user)
    with pytest.raises(PermissionDenied):
        services.mark_recovered(recovery_id=recovery.pk, actor=request.getfixturevalue(role_fixture),
                                recovered_on=timezone.localdate(), voucher_number="缴-1")


def test_a_recovery_is_recorded_recovered_once(expenditure, hr_user, finance_user):
    recovery = _recovery(expenditure, hr_user)
    services.mark_recovered(recovery_id=recovery.pk, actor=finance_user, recovered_on=timezone.localdate(),
                            voucher_number="缴-1")
    with pytest.raises(TransitionRefused) as info:
        services.mark_recovered(recovery_id=recovery.pk, actor=finance_user, recovered_on=timezone.localdate(),
                                voucher_number="缴-2")
    assert str(info.value) == f"该笔款项已于{timezone.localdate():%Y-%m-%d}登记追回（凭证号缴-1），不能重复登记。"
