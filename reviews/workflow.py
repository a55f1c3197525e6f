"""The three workflows of the annual evaluation (第九条): a round, a station's evaluation in it, and an
expert's assignment to that evaluation. One table each; services, buttons, tests and docs read them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from qinshui_station.models.workstations import WorkstationState
from qinshui_station.prepared import Rows
from qinshui_station.punctuation import listed
from qinshui_station.roles import Role
from qinshui_station.workflow import Move, TransitionRefused, permits, require_role
from reviews.sheets import Rubric
from reviews.states import AssignmentState, EvaluationState, Grade, RoundState

__all__ = ["ASSIGNMENT_TRANSITIONS", "EVALUATION_TRANSITIONS", "ROUND_TRANSITIONS", "AssignmentState",
           "EvaluationState", "Grade", "RoundState"]


def _own_station(actor, evaluation) -> None:
    if evaluation is not None and evaluation.workstation.unit_id != actor.organization_id:
        raise PermissionDenied(gettext("只能办理本单位工作站的年度评估。"))


def round_open(round_) -> None:
    if round_.state == RoundState.FINALIZED:
        raise TransitionRefused(gettext("%(round)s已定级，评分和材料均已锁定，不能再修改。") % {"round": round_})


def complete_for_submission(evaluation) -> None:
    """The 申请表 is complete: the summary, the contact, a self-score for every judged item."""
    rubric = Rubric.load(evaluation.round.rubric_id)
    errors = {}
    if not evaluation.work_summary.strip():
        errors["work_summary"] = gettext("请填写工作站工作开展情况。")
    if not evaluation.contact_person.strip():
        errors["contact_person"] = gettext("请填写工作站联系人。")
    scored = set(evaluation.self_scores.values_list("item_id", flat=True))
    missing = [item.text for item in rubric.judged_items if item.pk not in scored]
    if missing:
        errors["self_scores"] = gettext("以下考核细则尚未自评：%(items)s") % {"items": listed(missing, "；")}
    if errors:
        raise ValidationError(errors)


def _may_submit(actor, evaluation) -> None:
    """The unit's own station, the round still open, within the filing window for a first submission
    (a form returned for correction may come back later), the form complete."""
    _own_station(actor, evaluation)
    round_open(evaluation.round)
    today = timezone.localdate()
    if evaluation.state == EvaluationState.DRAFT and not (evaluation.round.opens_on <= today
                                                          <= evaluation.round.closes_on):
        raise TransitionRefused(gettext("不在申报时间内（%(start)s至%(end)s），不能提交。") % {
            "start": evaluation.round.opens_on.isoformat(), "end": evaluation.round.closes_on.isoformat()})
    complete_for_submission(evaluation)


# asked on the evaluation's page (whether 退回 is offered) on every view: compiled once
def _submitted_sheets(*, evaluation):
    from reviews.models import Assignment  # the models import this module

    return Assignment.objects.filter(evaluation_id=evaluation, state=AssignmentState.SUBMITTED).order_by().values_list(
        "pk", flat=True)[:1]


_SUBMITTED_SHEET = Rows(_submitted_sheets, evaluation=int)


def _no_expert_has_submitted(actor, evaluation) -> None:
    round_open(evaluation.round)
    if evaluation is not None and _SUBMITTED_SHEET(evaluation=evaluation.pk):
        raise TransitionRefused(gettext("已有专家提交评分，不能再退回修改。"))


def scoring_guard(actor, assignment) -> None:
    """An expert scores (and submits) the assignment given to them, once, while the form is submitted and the
    round open."""
    if assignment.expert_id != actor.pk:
        raise PermissionDenied(gettext("这不是分配给您的评估。"))
    round_open(assignment.evaluation.round)
    if assignment.state != AssignmentState.ASSIGNED:
        if assignment.submitted_at is None:
            raise TransitionRefused(gettext("您已提交评分，不能再修改。"))
        raise TransitionRefused(gettext("您已于%(on)s提交评分，不能再修改。")
                                % {"on": f"{timezone.localtime(assignment.submitted_at):%Y-%m-%d}"})
    if assignment.evaluation.state != EvaluationState.SUBMITTED:
        raise TransitionRefused(gettext("该申请表当前状态为“%(state)s”，暂不能评分。")
                                % {"state": assignment.evaluation.get_state_display()})


def can_score(actor, assignment) -> bool:
    return permits(scoring_guard, actor, assignment)


_WITH_ROUND = _("评估等级在整轮定级时统一评定。")
_ON_REVOCATION = _("工作站称号撤销时，其年度评估自动撤回。")

ROUND_TRANSITIONS = {
    (RoundState.OPEN, RoundState.FINALIZED): Move(
        Role.HR, label=_("定级并锁定"), style="danger",
        confirm=_("定级后所有评分锁定、不可再改；不合格的工作站将被撤销称号、收回牌匾并取消未拨付资金；"
                  "通过建设期满验收的工作站转为验收合格并安排第二批资金。"),
    ),
}

EVALUATION_TRANSITIONS = {
    (EvaluationState.DRAFT, EvaluationState.SUBMITTED): Move(
        Role.UNIT, guard=_may_submit, label=_("提交评估申请"),
        confirm=_("提交后不能再修改，除非县人社局退回修改。"),
    ),
    (EvaluationState.SUBMITTED, EvaluationState.RETURNED): Move(
        Role.HR, reason=True, guard=_no_expert_has_submitted, label=pgettext_lazy("action", "退回修改"), style="warning",
        confirm=_("申请表将退回单位修改，单位会收到退回理由；单位重新提交前，专家不能评分，本轮也不能定级。"),
    ),
    (EvaluationState.RETURNED, EvaluationState.SUBMITTED): Move(
        Role.UNIT, guard=_may_submit, label=_("重新提交"),
        confirm=_("提交后不能再修改，除非县人社局退回修改。"),
    ),
    # Finalizing the round grades every submitted evaluation at once (services.finalize_round).
    (EvaluationState.SUBMITTED, EvaluationState.GRADED): Move(Role.HR, label=_("定级"), system=_WITH_ROUND),
    # The station lost its title during the round (第九条, 第十条, misuse): it is no longer evaluated.
    (EvaluationState.DRAFT, EvaluationState.WITHDRAWN): Move(Role.HR, reason=True, system=_ON_REVOCATION),
    (EvaluationState.SUBMITTED, EvaluationState.WITHDRAWN): Move(Role.HR, reason=True, system=_ON_REVOCATION),
    (EvaluationState.RETURNED, EvaluationState.WITHDRAWN): Move(Role.HR, reason=True, system=_ON_REVOCATION),
}

ASSIGNMENT_TRANSITIONS = {
    (AssignmentState.ASSIGNED, AssignmentState.SUBMITTED): Move(
        Role.EXPERT, guard=scoring_guard, label=_("提交评分"),
        confirm=_("提交后本人评分不能再修改；提交后可看到其他专家已提交的评分。"),
    ),
}


def ledger_guard(actor, station) -> None:
    """The work ledger (第八条) is kept by the station's own unit while the title stands."""
    require_role(actor, Role.UNIT)
    if actor.organization_id != station.unit_id:
        raise PermissionDenied(gettext("只能登记本单位工作站的台账。"))
    if station.state == WorkstationState.REVOKED:
        raise TransitionRefused(gettext("该工作站已被撤销，不能再登记台账。"))


def can_record_ledger(actor, station) -> bool:
    return permits(ledger_guard, actor, station)


def edit_guard(actor, evaluation) -> None:
    """The unit fills its own 申请表 while it is a draft or returned, and the round is open."""
    require_role(actor, Role.UNIT)
    if actor.organization_id != evaluation.workstation.unit_id:
        raise PermissionDenied(gettext("只能填写本单位工作站的年度评估申请表。"))
    round_open(evaluation.round)
    if not evaluation.is_editable:
        raise TransitionRefused(gettext("申请表已提交，不能修改；如需修改请联系县人社局退回。"))


def can_edit_evaluation(actor, evaluation) -> bool:
    return permits(edit_guard, actor, evaluation)


# an evaluation still being filed or reviewed: experts may be assigned to it, revocation withdraws it
OPEN_EVALUATION_STATES = (EvaluationState.DRAFT, EvaluationState.SUBMITTED, EvaluationState.RETURNED)


def assign_guard(actor, evaluation) -> None:
    """HR assigns experts to an evaluation still open, in a round not yet finalized (which expert: the service's
    conflict-of-interest and already-assigned checks)."""
    require_role(actor, Role.HR)
    round_open(evaluation.round)
    if evaluation.state not in OPEN_EVALUATION_STATES:
        raise TransitionRefused(gettext("该评估已不再进行，不能分配专家。"))


def can_assign_experts(actor, evaluation) -> bool:
    return permits(assign_guard, actor, evaluation)


def unassign_guard(actor, assignment) -> None:
    """HR takes an expert off an evaluation while the expert has not submitted and the round is open."""
    require_role(actor, Role.HR)
    round_open(assignment.evaluation.round)
    if assignment.state != AssignmentState.ASSIGNED:
        raise TransitionRefused(gettext("专家已提交评分，不能撤回分配。"))


def can_unassign(actor, assignment) -> bool:
    return permits(unassign_guard, actor, assignment)
