"""The funding app's state tables (第十一条 – 第十三条).

- A tranche: scheduled → approved (HR) → disbursed (finance), or cancelled.
- An expenditure the unit recorded: recorded → questioned (HR or finance) → cleared, or misuse upheld (HR),
  which revokes the station (第十条 ground 6) and opens a recovery.
- A recovery: pending → recovered (finance records the date and the voucher).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qinshui_station.roles import Role
from qinshui_station.workflow import Move


class TrancheState(models.TextChoices):
    SCHEDULED = "scheduled", _("待审批")
    APPROVED = "approved", _("已审批待拨付")
    DISBURSED = "disbursed", _("已拨付")
    CANCELLED = "cancelled", _("已取消")


class TrancheKind(models.TextChoices):
    FIRST = "first", _("第一批（40%，建站启动资金）")
    SECOND = "second", _("第二批（60%，建设期满验收合格后）")


class CancelEvent(models.TextChoices):
    REVOCATION = "revocation", _("撤销工作站称号")
    FAILED_EVALUATION = "failed_evaluation", _("年度评估不合格")
    MANUAL = "manual", _("人工取消")


OPEN_TRANCHE_STATES = (TrancheState.SCHEDULED, TrancheState.APPROVED)

State = TrancheState
# (from, to): who may make the move, whether a reason is required, and what the button says.
TRANSITIONS = {
    (State.SCHEDULED, State.APPROVED): Move(Role.HR, label=_("审批通过")),
    (State.APPROVED, State.DISBURSED): Move(
        Role.FINANCE, label=_("登记拨付"),
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


class ExpenditureState(models.TextChoices):
    RECORDED = "recorded", _("已登记")
    QUESTIONED = "questioned", _("存疑待核")
    CLEARED = "cleared", _("核实无误")
    MISUSE = "misuse", _("认定违规使用")


EXPENDITURE_TRANSITIONS = {
    (ExpenditureState.RECORDED, ExpenditureState.QUESTIONED): Move(
        Role.HR, Role.FINANCE, reason=True, label=_("提出疑问"), style="warning"),
    (ExpenditureState.CLEARED, ExpenditureState.QUESTIONED): Move(
        Role.HR, Role.FINANCE, reason=True, label=_("再次提出疑问"), style="warning"),
    (ExpenditureState.QUESTIONED, ExpenditureState.CLEARED): Move(
        Role.HR, Role.FINANCE, reason=True, label=_("核实无误")),
    (ExpenditureState.QUESTIONED, ExpenditureState.MISUSE): Move(
        Role.HR, reason=True, label=_("认定违规使用"), style="danger",
        confirm=_("认定后将以“违规使用县级专项补助资金”为由撤销该工作站称号（第十条），取消全部未拨付资金，"
                  "并登记应追回金额。此操作不可撤回。"),
    ),
}


class RecoveryState(models.TextChoices):
    PENDING = "pending", _("待追回")
    RECOVERED = "recovered", _("已追回")


RECOVERY_TRANSITIONS = {
    (RecoveryState.PENDING, RecoveryState.RECOVERED): Move(
        Role.FINANCE, label=_("登记已追回"), confirm=_("登记后该笔追回款视为已缴回县财政，不可撤回。")),
}
