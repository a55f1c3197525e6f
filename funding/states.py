"""The states of the funding app's records (a tranche, an expenditure, a recovery) and their kinds. Nothing of
the project is imported here."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class ExpenditureState(models.TextChoices):
    RECORDED = "recorded", _("已登记")
    QUESTIONED = "questioned", _("存疑待核")
    CLEARED = "cleared", _("核实无误")
    MISUSE = "misuse", pgettext_lazy("expenditure state", "认定违规使用")  # the state; the move is "Uphold misuse"


class RecoveryState(models.TextChoices):
    PENDING = "pending", _("待追回")
    RECOVERED = "recovered", _("已追回")


OPEN_TRANCHE_STATES = (TrancheState.SCHEDULED, TrancheState.APPROVED)
