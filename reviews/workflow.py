"""The three workflows of the annual evaluation (第九条): a round, a station's evaluation in it, and an
expert's assignment to that evaluation. One table each; services, buttons, tests and docs read them."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qinshui_station.roles import Role
from qinshui_station.workflow import Move, TransitionRefused


class RoundState(models.TextChoices):
    OPEN = "open", _("评估进行中")
    FINALIZED = "finalized", _("已定级")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    GRADED = "graded", _("已定级")
    WITHDRAWN = "withdrawn", _("已撤销，不再评估")


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("待评分")
    SUBMITTED = "submitted", _("已提交评分")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


def _own_station(actor, evaluation) -> None:
    if evaluation is not None and evaluation.workstation.unit_id != actor.organization_id:
        raise PermissionDenied(gettext("只能办理本单位工作站的年度评估。"))


def _no_expert_has_submitted(actor, evaluation) -> None:
    if evaluation is not None and evaluation.assignments.filter(state=AssignmentState.SUBMITTED).exists():
        raise TransitionRefused(gettext("已有专家提交评分，不能再退回修改。"))


def _own_assignment(actor, assignment) -> None:
    if assignment is not None and assignment.expert_id != actor.pk:
        raise PermissionDenied(gettext("这不是分配给您的评估。"))


ROUND_TRANSITIONS = {
    (RoundState.OPEN, RoundState.FINALIZED): Move(
        Role.HR, label=_("定级并锁定"), style="danger",
        confirm=_("定级后所有评分锁定、不可再改；不合格的工作站将被撤销称号、收回牌匾并取消未拨付资金；"
                  "通过建设期满验收的工作站转为验收合格并安排第二批资金。"),
    ),
}

EVALUATION_TRANSITIONS = {
    (EvaluationState.DRAFT, EvaluationState.SUBMITTED): Move(
        Role.UNIT, guard=_own_station, label=_("提交评估申请"),
        confirm=_("提交后不能再修改，除非县人社局退回修改。"),
    ),
    (EvaluationState.SUBMITTED, EvaluationState.RETURNED): Move(
        Role.HR, reason=True, guard=_no_expert_has_submitted, label=_("退回修改"), style="warning",
    ),
    (EvaluationState.RETURNED, EvaluationState.SUBMITTED): Move(
        Role.UNIT, guard=_own_station, label=_("重新提交"),
        confirm=_("提交后不能再修改，除非县人社局退回修改。"),
    ),
    # Finalizing the round grades every submitted evaluation at once (services.finalize_round).
    (EvaluationState.SUBMITTED, EvaluationState.GRADED): Move(Role.HR, label=_("定级")),
    # The station lost its title during the round (第十条): it is no longer evaluated.
    (EvaluationState.DRAFT, EvaluationState.WITHDRAWN): Move(Role.HR, reason=True),
    (EvaluationState.SUBMITTED, EvaluationState.WITHDRAWN): Move(Role.HR, reason=True),
    (EvaluationState.RETURNED, EvaluationState.WITHDRAWN): Move(Role.HR, reason=True),
}

ASSIGNMENT_TRANSITIONS = {
    (AssignmentState.ASSIGNED, AssignmentState.SUBMITTED): Move(
        Role.EXPERT, guard=_own_assignment, label=_("提交评分"),
        confirm=_("提交后本人评分不能再修改；提交后可看到其他专家已提交的评分。"),
    ),
}
