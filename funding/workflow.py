"""A tranche's life (第十一条): scheduled → approved (HR) → disbursed (finance), or cancelled."""

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


State = TrancheState
TRANSITIONS = {
    (State.SCHEDULED, State.APPROVED): Move(Role.HR, label=_("审批通过")),
    (State.APPROVED, State.DISBURSED): Move(
        Role.FINANCE, label=_("登记拨付"),
        confirm=_("登记后该笔资金视为已拨付到单位账户，不可撤回。"),
    ),
    (State.SCHEDULED, State.CANCELLED): Move(Role.HR, reason=True, label=_("取消"), style="danger"),
    (State.APPROVED, State.CANCELLED): Move(Role.HR, reason=True, label=_("取消"), style="danger"),
}
