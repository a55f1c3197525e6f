"""The funding app's state tables (第十一条 – 第十三条).

- A tranche: scheduled → approved (HR) → disbursed (finance), or cancelled.
- An expenditure the unit recorded: recorded → questioned (HR or finance) → cleared, or misuse upheld (HR),
  which revokes the station (第十条 ground 6) and opens a recovery.
- A recovery: pending → recovered (finance records the date and the voucher).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from funding.states import (
    OPEN_TRANCHE_STATES,
    CancelEvent,
    ExpenditureState,
    RecoveryState,
    TrancheKind,
    TrancheState,
)
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import Role
from qinshui_station.workflow import Move, TransitionRefused, permits, require_role

__all__ = ["EXPENDITURE_TRANSITIONS", "OPEN_TRANCHE_STATES", "RECOVERY_TRANSITIONS", "TRANSITIONS", "CancelEvent",
           "ExpenditureState", "RecoveryState", "TrancheKind", "TrancheState", "can_record_expenditure",
           "expenditure_guard"]


def _station_standing(actor, tranche) -> None:
    """A revoked station's money is not paid (its open tranches are cancelled on revocation)."""
    if tranche is not None and tranche.grant.workstation.state == WorkstationState.REVOKED:
        raise TransitionRefused(gettext("工作站已撤销，其未拨付资金不再拨付。"))


def _payable(actor, tranche) -> None:
    """Paid into the account the unit keeps in its profile: none there, nothing can be recorded as paid."""
    _station_standing(actor, tranche)
    unit = tranche.grant.workstation.unit
    if not unit.bank_account_number.strip():
        raise ValidationError(gettext("%(unit)s尚未在“单位信息”中填写银行开户账号，不能登记拨付。") % {"unit": unit})


def expenditure_guard(actor, station) -> None:
    """Only the station's own unit records a use of its subsidy, and only while the title stands."""
    require_role(actor, Role.UNIT)
    if actor.organization_id != station.unit_id:
        raise PermissionDenied(gettext("只有工作站所在单位可以登记补助资金支出。"))
    if station.state == WorkstationState.REVOKED:
        raise ValidationError(gettext("工作站已撤销，不能再登记补助资金支出。"))


def can_record_expenditure(actor, station) -> bool:
    return permits(expenditure_guard, actor, station)


State = TrancheState
# (from, to): who may make the move, whether a reason is required, and what the button says.
TRANSITIONS = {
    (State.SCHEDULED, State.APPROVED): Move(Role.HR, label=_("审批通过"), guard=_station_standing),
    (State.APPROVED, State.DISBURSED): Move(
        Role.FINANCE, label=_("登记拨付"), guard=_payable,
        confirm=_("登记后该笔资金视为已拨付到单位账户，不可撤回。"),
    ),
    (State.SCHEDULED, State.CANCELLED): Move(
        Role.HR, reason=True, label=_("取消"), style="danger",
        confirm=_("取消后该笔资金不再拨付，不可恢复。"),
    ),
    (State.APPROVED, State.CANCELLED): Move(
        Role.HR, reason=True, label=_("取消"), style="danger",
        confirm=_("取消后该笔资金不再拨付，不可恢复。"),
    ),
}


EXPENDITURE_TRANSITIONS = {
    (ExpenditureState.RECORDED, ExpenditureState.QUESTIONED): Move(
        Role.HR, Role.FINANCE, reason=True, label=_("提出疑问"), style="warning", reason_missing=_("请填写疑问。")),
    (ExpenditureState.CLEARED, ExpenditureState.QUESTIONED): Move(
        Role.HR, Role.FINANCE, reason=True, label=_("再次提出疑问"), style="warning",
        reason_missing=_("请填写疑问。")),
    (ExpenditureState.QUESTIONED, ExpenditureState.CLEARED): Move(
        Role.HR, Role.FINANCE, reason=True, label=pgettext_lazy("action", "核实无误"),
        reason_missing=_("请填写核查结论。")),
    (ExpenditureState.QUESTIONED, ExpenditureState.MISUSE): Move(
        Role.HR, reason=True, label=_("认定违规使用"), style="danger",
        confirm=_("认定后将以“违规使用县级专项补助资金”为由撤销该工作站称号（第十条），取消全部未拨付资金，"
                  "并登记应追回金额。此操作不可撤回。"),
    ),
}


RECOVERY_TRANSITIONS = {
    (RecoveryState.PENDING, RecoveryState.RECOVERED): Move(
        Role.FINANCE, label=_("登记已追回"), confirm=_("登记后该笔追回款视为已缴回县财政，不可撤回。")),
}
