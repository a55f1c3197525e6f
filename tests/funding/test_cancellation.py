"""Revocation and a failed evaluation cancel every tranche not yet paid (the callers: reviews, and the
misuse decision here)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from funding import services
from funding.workflow import CancelEvent
from qinshui_station.models import AuditEntry, RevocationGround
from qinshui_station.services import revoke_workstation
from tests.funding.factories import accepted, disbursed_station, first_tranche, funded_station

D = Decimal


def test_revocation_cancels_the_open_tranches(db, hr_user, finance_user):
    ws, grant = funded_station(hr=hr_user)
    revoke_workstation(workstation_id=ws.pk, actor=hr_user, ground=RevocationGround.INACTIVE, facts="一年未开展活动")
    reason = "不开展技术交流、技术革新、技术攻关，传技带徒：一年未开展活动"
    tranche = first_tranche(grant)
    assert (tranche.state, tranche.cancel_event, tranche.cancel_reason) == ("cancelled", "revocation", reason)
    entry = AuditEntry.objects.get(action="tranche_cancelled")
    assert (entry.from_state, entry.to_state, entry.reason, entry.data) == (
        "scheduled", "cancelled", reason, {"event": "revocation"})
    assert services.cancel_open_tranches(reasons={ws.pk: "撤销称号"}, actor=hr_user,
                                         event=CancelEvent.REVOCATION) == 0


def test_failed_evaluation_cancels_the_approved_second_tranche_and_keeps_the_paid_first(db, hr_user,
                                                                                       finance_user):
    ws, grant = disbursed_station(hr=hr_user, finance=finance_user)
    accepted(ws)
    second = services.schedule_second_tranche(workstation=ws, actor=hr_user)
    services.approve_tranche(tranche_id=second.pk, actor=hr_user)
    count = services.cancel_open_tranches(reasons={ws.pk: "2027年度评估不合格"}, actor=hr_user,
                                          event=CancelEvent.FAILED_EVALUATION)
    assert count == 1
    assert sorted(grant.tranches.values_list("kind", "state", "cancel_event")) == [
        ("first", "disbursed", ""), ("second", "cancelled", "failed_evaluation")]


def test_cancelling_when_nothing_is_open_cancels_nothing(db, hr_user, finance_user):
    ws, _grant = disbursed_station(hr=hr_user, finance=finance_user)
    assert services.cancel_open_tranches(reasons={ws.pk: "撤销"}, actor=hr_user,
                                         event=CancelEvent.REVOCATION) == 0


def test_cancellation_needs_a_reason(db, hr_user):
    ws, _grant = funded_station(hr=hr_user)
    with pytest.raises(ValidationError) as info:
        services.cancel_open_tranches(reasons={ws.pk: "  "}, actor=hr_user, event=CancelEvent.REVOCATION)
    assert info.value.messages == ["取消拨付须说明原因。"]


def test_the_unit_and_the_bureaus_are_told(db, hr_user, finance_user, unit_user):
    ws, _grant = funded_station(hr=hr_user, unit=unit_user.organization)
    services.cancel_open_tranches(reasons={ws.pk: "年度评估不合格"}, actor=hr_user,
                                  event=CancelEvent.FAILED_EVALUATION)
    expected = f"{ws.name}的1笔未拨付补助资金已取消（年度评估不合格）：年度评估不合格"
    for user in (unit_user, hr_user, finance_user):
        assert user.notifications.filter(message=expected).count() == 1


def test_a_cancelled_tranche_is_not_paid(db, hr_user, finance_user):
    from qinshui_station.workflow import TransitionRefused

    ws, grant = funded_station(hr=hr_user)
    tranche = first_tranche(grant)
    services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    services.cancel_open_tranches(reasons={ws.pk: "撤销"}, actor=hr_user, event=CancelEvent.REVOCATION)
    with pytest.raises(TransitionRefused):
        services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user, disbursed_on=timezone.localdate(),
                                  voucher_number="记-1")
