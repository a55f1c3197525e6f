"""Every tranche move allowed and refused per role, the payment record, and the double disbursement."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from funding import services
from funding.models import Tranche
from funding.workflow import TRANSITIONS, TrancheState
from qinshui_station.models import AuditEntry, Notification, Workstation
from qinshui_station.workflow import TransitionRefused
from tests import factories
from tests.funding.factories import first_tranche, funded_station

D = Decimal
ROLE_FIXTURES = {"unit": "unit_user", "department": "department_user", "expert": "expert", "hr": "hr_user",
                 "finance": "finance_user", "org_dept": "org_dept_user"}


def _tranche_in(state, hr, finance, unit=None):
    ws, grant = funded_station(hr=hr, unit=unit or factories.UnitFactory())
    tranche = first_tranche(grant)
    if state in (TrancheState.APPROVED, TrancheState.DISBURSED):
        services.approve_tranche(tranche_id=tranche.pk, actor=hr)
    if state == TrancheState.DISBURSED:
        services.disburse_tranche(tranche_id=tranche.pk, actor=finance, disbursed_on=timezone.localdate(),
                                  voucher_number="记-1")
    if state == TrancheState.CANCELLED:
        services.cancel_tranche(tranche_id=tranche.pk, actor=hr, reason="测试取消")
    tranche.refresh_from_db()
    assert tranche.state == state
    return tranche


def _move(tranche, to, actor):
    if to == TrancheState.APPROVED:
        return services.approve_tranche(tranche_id=tranche.pk, actor=actor)
    if to == TrancheState.DISBURSED:
        return services.disburse_tranche(tranche_id=tranche.pk, actor=actor, disbursed_on=timezone.localdate(),
                                         voucher_number="记-2")
    return services.cancel_tranche(tranche_id=tranche.pk, actor=actor, reason="不再拨付")


CASES = [(src, dst, role) for (src, dst) in TRANSITIONS for role in ROLE_FIXTURES]


@pytest.mark.parametrize("src,dst,role", CASES, ids=[f"{s}->{d}-{r}" for s, d, r in CASES])
def test_each_move_is_open_to_its_roles_only(db, request, hr_user, finance_user, src, dst, role):
    actor = request.getfixturevalue(ROLE_FIXTURES[role])
    tranche = _tranche_in(src, hr_user, finance_user)
    if role in TRANSITIONS[(src, dst)].roles:
        _move(tranche, dst, actor)
        tranche.refresh_from_db()
        assert tranche.state == dst
    else:
        with pytest.raises(PermissionDenied):
            _move(tranche, dst, actor)
        tranche.refresh_from_db()
        assert tranche.state == src


def test_the_table_is_what_the_county_decided():
    assert {k: v.roles for k, v in TRANSITIONS.items()} == {
        ("scheduled", "approved"): ("hr",),
        ("approved", "disbursed"): ("finance",),
        ("scheduled", "cancelled"): ("hr",),
        ("approved", "cancelled"): ("hr",),
    }


REFUSED = [
    ("scheduled", "disbursed", "finance_user", "当前状态“待审批”不能转为“已拨付”。"),
    ("approved", "approved", "hr_user", "已是“已审批待拨付”，无需再办理（可能已在其他页面或由他人办理）。"),
    ("disbursed", "cancelled", "hr_user", "当前状态“已拨付”不能转为“已取消”。"),
    ("disbursed", "approved", "hr_user", "当前状态“已拨付”不能转为“已审批待拨付”。"),
    ("cancelled", "approved", "hr_user", "当前状态“已取消”不能转为“已审批待拨付”。"),
    ("cancelled", "disbursed", "finance_user", "当前状态“已取消”不能转为“已拨付”。"),
]


@pytest.mark.parametrize("src,dst,actor_fixture,message", REFUSED)
def test_moves_outside_the_table_are_refused_with_a_message(db, request, hr_user, finance_user, src, dst,
                                                            actor_fixture, message):
    tranche = _tranche_in(src, hr_user, finance_user)
    with pytest.raises(TransitionRefused) as info:
        _move(tranche, dst, request.getfixturevalue(actor_fixture))
    assert str(info.value) == message


def test_paying_twice_names_the_first_payment(db, hr_user, finance_user):
    tranche = _tranche_in(TrancheState.DISBURSED, hr_user, finance_user)
    with pytest.raises(TransitionRefused) as info:
        _move(tranche, TrancheState.DISBURSED, finance_user)
    assert str(info.value) == f"该笔资金已于{timezone.localdate():%Y-%m-%d}拨付（凭证号记-1），不能重复拨付。"


def test_disbursement_copies_the_units_account_at_that_moment(db, hr_user, finance_user):
    unit = factories.UnitFactory(bank_account_name="沁水甲公司", bank_name="中国农业银行沁水支行",
                                 bank_account_number="6228 4801 2345 6789")
    tranche = _tranche_in(TrancheState.APPROVED, hr_user, finance_user, unit=unit)
    services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user, disbursed_on=timezone.localdate(),
                              voucher_number=" 记-2026-0088 ")
    unit.bank_account_number = "1111222233334444"
    unit.save()
    tranche.refresh_from_db()
    assert (tranche.paid_account_name, tranche.paid_bank, tranche.paid_account_number, tranche.voucher_number) == (
        "沁水甲公司", "中国农业银行沁水支行", "6228480123456789", "记-2026-0088")
    assert tranche.disbursed_by == finance_user


def test_disbursement_needs_the_units_bank_account(db, hr_user, finance_user):
    unit = factories.UnitFactory(name="无账户公司", bank_account_number="")
    tranche = _tranche_in(TrancheState.APPROVED, hr_user, finance_user, unit=unit)
    with pytest.raises(ValidationError) as info:
        _move(tranche, TrancheState.DISBURSED, finance_user)
    assert info.value.messages == ["无账户公司尚未在“单位信息”中填写银行开户账号，不能登记拨付。"]


def test_disbursement_date_cannot_be_in_the_future(db, hr_user, finance_user):
    tranche = _tranche_in(TrancheState.APPROVED, hr_user, finance_user)
    with pytest.raises(ValidationError) as info:
        services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user,
                                  disbursed_on=timezone.localdate() + timedelta(days=1), voucher_number="记-3")
    assert info.value.message_dict == {"disbursed_on": ["拨付日期不能晚于今天。"]}


def test_disbursement_needs_a_voucher_number(db, hr_user, finance_user):
    tranche = _tranche_in(TrancheState.APPROVED, hr_user, finance_user)
    with pytest.raises(ValidationError) as info:
        services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user, disbursed_on=timezone.localdate(),
                                  voucher_number="  ")
    assert info.value.message_dict == {"voucher_number": ["请填写记账凭证号。"]}


def test_manual_cancellation_needs_a_reason(db, hr_user, finance_user):
    tranche = _tranche_in(TrancheState.SCHEDULED, hr_user, finance_user)
    with pytest.raises(TransitionRefused) as info:
        services.cancel_tranche(tranche_id=tranche.pk, actor=hr_user, reason=" ")
    assert str(info.value) == "请填写理由。"


def test_every_state_change_is_audited(db, hr_user, finance_user):
    tranche = _tranche_in(TrancheState.DISBURSED, hr_user, finance_user)
    entries = AuditEntry.objects.filter(object_type="funding.tranche", object_id=str(tranche.pk)).order_by("pk")
    assert [(e.action, e.from_state, e.to_state, e.actor_id) for e in entries] == [
        ("tranche_scheduled", "", "scheduled", hr_user.pk),
        ("tranche_approved", "scheduled", "approved", hr_user.pk),
        ("tranche_disbursed", "approved", "disbursed", finance_user.pk),
    ]


def test_finance_is_told_to_pay_and_the_unit_that_it_was_paid(db, hr_user, finance_user, unit_user):
    ws, grant = funded_station(hr=hr_user, unit=unit_user.organization)
    tranche = first_tranche(grant)
    services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    assert list(Notification.objects.filter(recipient=finance_user).values_list("message", "url")) == [
        (f"{ws.name}第一批（40%，建站启动资金）¥40,000.00已审批，请登记拨付。", f"/funding/tranches/{tranche.pk}/")]
    services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user, disbursed_on=timezone.localdate(),
                              voucher_number="记-9")
    assert list(Notification.objects.filter(recipient=unit_user).values_list("message", "url")) == [
        (f"{ws.name}第一批（40%，建站启动资金）¥40,000.00已拨付到单位账户。", f"/funding/stations/{ws.pk}/")]


def test_a_revoked_stations_tranche_is_not_approved(db, hr_user, finance_user):
    from qinshui_station.services import revoke_workstation

    tranche = _tranche_in(TrancheState.SCHEDULED, hr_user, finance_user)
    revoke_workstation(workstation_id=tranche.grant.workstation_id, actor=hr_user, ground="fraud", facts="造假")
    with pytest.raises(TransitionRefused) as info:
        services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    assert str(info.value) == "当前状态“已取消”不能转为“已审批待拨付”。"


def test_a_revoked_stations_open_tranche_is_not_paid_even_if_left_open(db, hr_user, finance_user):
    """The table's guard: were a tranche of a revoked station left open (a fault elsewhere), it is not paid."""
    tranche = _tranche_in(TrancheState.APPROVED, hr_user, finance_user)
    Workstation.objects.filter(pk=tranche.grant.workstation_id).update(state="revoked", revoked_on=timezone.localdate())
    with pytest.raises(TransitionRefused) as info:
        services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user, disbursed_on=timezone.localdate(),
                                  voucher_number="记-1")
    assert str(info.value) == "工作站已撤销，其未拨付资金不再拨付。"


# --- Two people press “登记拨付” at the same time --------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_concurrent_double_disbursement_pays_once(hr_user, finance_user):
    other_finance = factories.FinanceUserFactory()
    tranche = _tranche_in(TrancheState.APPROVED, hr_user, finance_user)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def press(name, actor):
        close_old_connections()  # each thread gets its own database connection
        try:
            barrier.wait(timeout=10)
            services.disburse_tranche(tranche_id=tranche.pk, actor=actor, disbursed_on=timezone.localdate(),
                                      voucher_number=f"记-{name}")
            outcomes[name] = "paid"
        except TransitionRefused as error:
            outcomes[name] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(name, actor))
               for name, actor in (("A", finance_user), ("B", other_finance))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["A", "B"]
    winners = [name for name, outcome in outcomes.items() if outcome == "paid"]
    assert len(winners) == 1
    loser = "B" if winners == ["A"] else "A"
    assert outcomes[loser] == (f"该笔资金已于{timezone.localdate():%Y-%m-%d}拨付（凭证号记-{winners[0]}），"
                               f"不能重复拨付。")
    tranche.refresh_from_db()
    assert (tranche.state, tranche.voucher_number) == ("disbursed", f"记-{winners[0]}")
    assert AuditEntry.objects.filter(action="tranche_disbursed", object_id=str(tranche.pk)).count() == 1
    assert Tranche.objects.filter(state="disbursed").count() == 1
