"""The interface applications/ and reviews/ call, and the invariants the database holds."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from funding import services
from funding.models import Grant, Tranche
from funding.workflow import CancelEvent
from qinshui_station.models import AuditEntry
from tests import factories
from tests.funding.factories import accepted, funded_station

D = Decimal


def test_create_grant_schedules_the_40_percent_first_tranche(db, hr_user):
    ws = factories.WorkstationFactory()
    grant = services.create_grant(workstation=ws, amount=D("100000.00"), actor=hr_user)
    assert grant.amount == D("100000.00")
    assert list(grant.tranches.values_list("kind", "amount", "state")) == [("first", D("40000.00"), "scheduled")]
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "grant_created", "tranche_scheduled"]


def test_hr_is_told_to_approve_the_scheduled_tranche(db, hr_user):
    ws = factories.WorkstationFactory()
    services.create_grant(workstation=ws, amount=D("100000.00"), actor=hr_user)
    assert list(hr_user.notifications.values_list("message", flat=True)) == [
        f"{ws.name}第一批（40%，建站启动资金）¥40,000.00已安排，请审批。"]


def test_a_grant_too_small_for_a_positive_first_tranche_is_refused(db, hr_user):
    ws = factories.WorkstationFactory()
    with pytest.raises(ValidationError) as info:
        services.create_grant(workstation=ws, amount=D("0.01"), actor=hr_user)
    assert info.value.message_dict == {"amount": [
        "补助金额¥0.01过小：按40%计算的第一批资金为¥0.00，每批拨付金额须大于零。"]}
    assert not Grant.objects.exists()


@pytest.mark.parametrize("amount", [D("0"), D("-5.00")])
def test_a_grant_of_zero_or_less_is_refused(db, hr_user, amount):
    ws = factories.WorkstationFactory()
    with pytest.raises(ValidationError) as info:
        services.create_grant(workstation=ws, amount=amount, actor=hr_user)
    assert info.value.message_dict == {"amount": ["补助金额须大于零且精确到分。"]}


def test_a_station_gets_one_grant(db, hr_user):
    ws, _grant = funded_station(hr=hr_user)
    with pytest.raises(ValidationError) as info:
        services.create_grant(workstation=ws, amount=D("100000.00"), actor=hr_user)
    assert info.value.messages == ["该工作站已有建设补助，不能重复安排。"]


def test_second_tranche_is_the_rest(db, hr_user):
    ws, grant = funded_station(hr=hr_user, amount=D("99999.99"))
    accepted(ws)
    tranche = services.schedule_second_tranche(workstation=ws, actor=hr_user)
    assert (tranche.kind, tranche.amount, tranche.state) == ("second", D("59999.99"), "scheduled")
    assert sum(grant.tranches.values_list("amount", flat=True)) == D("99999.99")


def test_second_tranche_only_once(db, hr_user):
    ws, _grant = funded_station(hr=hr_user)
    accepted(ws)
    services.schedule_second_tranche(workstation=ws, actor=hr_user)
    with pytest.raises(ValidationError) as info:
        services.schedule_second_tranche(workstation=ws, actor=hr_user)
    assert info.value.messages == [f"第二批资金已安排，不能重复安排。{ws.name}"]


def test_no_second_tranche_before_the_final_acceptance(db, hr_user):
    """SPEC.md: the 60% after the construction period's final acceptance is passed — a station still being built
    is refused, by name (the demo scheduled one for a station whose period runs to 2027)."""
    ws, grant = funded_station(hr=hr_user)
    with pytest.raises(ValidationError) as info:
        services.schedule_second_tranche(workstation=ws, actor=hr_user)
    assert info.value.messages == [f"工作站尚未通过建设期满验收，不能安排第二批资金（验收合格后拨付60%）。{ws.name}"]
    assert list(grant.tranches.values_list("kind", flat=True)) == ["first"]


def test_no_second_tranche_for_a_revoked_station(db, hr_user):
    from qinshui_station.services import revoke_workstation

    ws, _grant = funded_station(hr=hr_user)
    revoke_workstation(workstation_id=ws.pk, actor=hr_user, ground="fraud", facts="材料造假")
    with pytest.raises(ValidationError) as info:
        services.schedule_second_tranche(workstation=ws, actor=hr_user)
    assert info.value.messages == [f"工作站已撤销，不能安排第二批资金。{ws.name}"]


def test_unknown_cancel_event_is_a_programming_error(db, hr_user):
    ws, _grant = funded_station(hr=hr_user)
    with pytest.raises(ValueError):
        services.cancel_open_tranches(reasons={ws.pk: "x"}, actor=hr_user, event="whim")


# --- The database holds the invariants even against code that skips the services ---------------------

def _immediate():
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_db_refuses_a_first_tranche_other_than_40_percent(db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranche amounts differ"), transaction.atomic():
        Tranche.objects.filter(grant=grant).update(amount=D("40000.01"))
        _immediate()


def test_db_refuses_tranches_summing_past_the_grant(db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranches sum to 100000.01"), transaction.atomic():
        Tranche.objects.create(grant=grant, kind="second", amount=D("60000.01"))
        _immediate()


def test_db_refuses_changing_the_grant_under_its_tranches(db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranche amounts differ"), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(amount=D("90000.00"))
        _immediate()


def test_db_refuses_turning_a_first_tranche_into_a_second(db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranche amounts differ"), transaction.atomic():
        Tranche.objects.filter(grant=grant).update(kind="second")
        _immediate()


def test_a_tranche_state_change_is_not_checked_again(db, hr_user):
    """The check fires on what it checks (amount, grant, kind, rows added or removed): a state change alone
    queues nothing. Shown on a grant made inconsistent behind the trigger's back (replica mode skips triggers)."""
    _ws, grant = funded_station(hr=hr_user)
    _immediate()  # the grant's own checks (its first tranche was inserted in this test's transaction)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("UPDATE funding_tranche SET amount = 40000.01 WHERE grant_id = %s", [grant.pk])
            cursor.execute("SET LOCAL session_replication_role = origin")
        Tranche.objects.filter(grant=grant).update(state="cancelled", cancel_event=CancelEvent.MANUAL, cancel_reason="测试")
        _immediate()
    with pytest.raises(IntegrityError, match="tranche amounts differ"), transaction.atomic():
        Tranche.objects.filter(grant=grant).update(amount=D("40000.02"))
        _immediate()


def test_db_accepts_the_exact_split(db, hr_user):
    _ws, grant = funded_station(hr=hr_user, amount=D("33333.33"))
    with transaction.atomic():
        Tranche.objects.create(grant=grant, kind="second", amount=D("20000.00"))
        _immediate()
    assert sum(grant.tranches.values_list("amount", flat=True)) == D("33333.33")


def test_db_refuses_a_second_first_tranche(db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranche_one_per_kind"), transaction.atomic():
        Tranche.objects.create(grant=grant, kind="first", amount=D("40000.00"))


@pytest.mark.parametrize("amount", [D("0.00"), D("-1.00")])
def test_db_refuses_a_tranche_amount_of_zero_or_less(db, hr_user, amount):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranche_amount_positive"), transaction.atomic():
        Tranche.objects.filter(grant=grant).update(amount=amount)


def test_db_refuses_a_cancelled_tranche_without_reason(db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranche_cancelled_has_reason"), transaction.atomic():
        Tranche.objects.filter(grant=grant).update(state="cancelled", cancel_event=CancelEvent.MANUAL)


def test_db_refuses_a_disbursement_without_voucher(db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranche_disbursed_has_payment"), transaction.atomic():
        Tranche.objects.filter(grant=grant).update(state="disbursed", approved_at=timezone.now())


def test_db_refuses_an_approval_without_date(db, hr_user):
    _ws, grant = funded_station(hr=hr_user)
    with pytest.raises(IntegrityError, match="tranche_approved_has_approval"), transaction.atomic():
        Tranche.objects.filter(grant=grant).update(state="approved")
