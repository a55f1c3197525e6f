"""An application's way from a unit's draft to a recognized workstation (第四条, 第五条).

ONE table: buttons, permission checks, the services, the tests and the state diagram in
docs/applications.md all read ``TRANSITIONS``. Guards are the object-level checks (ownership and the
preconditions of a move). The states live in ``applications.states`` (no imports), so this module imports
the models and the rules at the top. Also the batch's, the objection's and the expert assignment's tables.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from applications import rules
from applications.models import AttachmentKind
from applications.states import (
    DEAD,
    EDITABLE,
    IN_REVIEW,
    LIVE,
    BatchState,
    ExpertAssignmentState,
    ObjectionState,
    State,
)
from qinshui_station.roles import Role
from qinshui_station.validators import validate_expert_for
from qinshui_station.workflow import Move, TransitionRefused, permits, require_role

__all__ = ["DEAD", "EDITABLE", "IN_REVIEW", "LIVE", "State", "TRANSITIONS", "BATCH_TRANSITIONS",
           "OBJECTION_TRANSITIONS", "ASSIGNMENT_TRANSITIONS"]


# --- guards: (actor, application) -> None, raising PermissionDenied / TransitionRefused / ValidationError ----

def own_unit(actor, app) -> None:
    if actor.organization_id != app.unit_id:
        raise PermissionDenied(_("只能办理本单位的申报。"))


def own_sector(actor, app) -> None:
    if app.unit.department_id != actor.organization_id:
        raise PermissionDenied(_("只能办理本部门主管行业单位的申报。"))


def report_guard(actor, app) -> None:
    """The department's 推荐报告 is uploaded or withdrawn while the application waits for it."""
    require_role(actor, Role.DEPARTMENT)
    own_sector(actor, app)
    if app.state != State.SUBMITTED:
        raise TransitionRefused(_("只有待初审的申报才能上传或撤下推荐报告。"))


def can_upload_report(actor, app) -> bool:
    return permits(report_guard, actor, app)


def submit_guard(actor, app) -> None:
    own_unit(actor, app)
    rules.require_eligible(app)


REPORT_MISSING = "report_missing"  # the recommendation waits only for the report: the page offers its upload


def recommend_guard(actor, app) -> None:
    own_sector(actor, app)
    if not app.current_attachments().filter(kind=AttachmentKind.RECOMMENDATION_REPORT).exists():
        raise TransitionRefused(_("请先上传行业主管部门出具的推荐报告，再推荐上报。"), code=REPORT_MISSING)
    if app.unit.registration_region == "shanxi" and app.county_confirmed_at is None:
        raise TransitionRefused(_("该单位的统一社会信用代码不是沁水县登记机关赋予的，请先核实其注册地址在沁水县（第四条），再推荐上报。"))


def panel_recommends(actor, app) -> None:
    conclusion = getattr(app, "panel_conclusion", None)
    if conclusion is None or not conclusion.recommends:
        raise TransitionRefused(_("须先记录专家组集中评议结论（同意推荐），才能列入拟认定名单。"))


def panel_or_objection_refuses(actor, app) -> None:
    if app.state == State.EXPERT_REVIEW:
        conclusion = getattr(app, "panel_conclusion", None)
        if conclusion is None or conclusion.recommends:
            raise TransitionRefused(_("须先记录专家组集中评议结论（不同意推荐），才能作出不予认定。"))
    elif not app.objections.filter(state=ObjectionState.UPHELD).exists():
        raise TransitionRefused(_("公示中的申报只有在异议成立时才能不予认定。"))


def panel_corrected(actor, app) -> None:
    """A corrected 集中评议 moves the application between 拟认定 and 不予认定, before the list is published."""
    conclusion = getattr(app, "panel_conclusion", None)
    if conclusion is None or conclusion.corrected_at is None or hasattr(app.batch, "publicity"):
        raise TransitionRefused(_("只有在公示前更正集中评议结论时才能改变评议结果。"))


def publicity_published(actor, app) -> None:
    if not hasattr(app.batch, "publicity"):
        raise TransitionRefused(_("本批次尚未发布公示。"))


def publicity_over(actor, app) -> None:
    rules.require_publicity_over(app.batch)


# (from, to): who may make the move, whether a reason is required, and the move's own checks.
TRANSITIONS = {
    (State.DRAFT, State.SUBMITTED): Move(
        Role.UNIT, label=gettext_lazy("提交申报"), guard=submit_guard,
        confirm=gettext_lazy("提交后申报表和附件将被锁定，交行业主管部门初审；退回前不能再修改。")),
    (State.RETURNED, State.SUBMITTED): Move(
        Role.UNIT, label=gettext_lazy("重新提交"), guard=submit_guard,
        confirm=gettext_lazy("重新提交后申报表和附件将被锁定，交行业主管部门初审。")),
    (State.SUBMITTED, State.RETURNED): Move(
        Role.DEPARTMENT, reason=True, label=pgettext_lazy("action", "退回修改"), style="warning", guard=own_sector,
        confirm=gettext_lazy("申报将退回申报单位修改，退回理由会显示在申报表顶部。")),
    (State.SUBMITTED, State.RECOMMENDED): Move(
        Role.DEPARTMENT, label=gettext_lazy("同意推荐，上报县人社局"), guard=recommend_guard,
        confirm=gettext_lazy("推荐后申报连同推荐报告上报县人社局，本部门不能再退回。")),
    (State.SUBMITTED, State.NOT_RECOMMENDED): Move(
        Role.DEPARTMENT, reason=True, label=gettext_lazy("不予推荐"), style="danger", guard=own_sector,
        confirm=gettext_lazy("不予推荐后本申报结束，单位须另行申报。")),
    (State.RECOMMENDED, State.RETURNED): Move(
        Role.HR, reason=True, label=gettext_lazy("材料不全，退回单位"), style="warning",
        confirm=gettext_lazy("申报将退回申报单位补正，重新提交后须再经行业主管部门初审。")),
    (State.RECOMMENDED, State.EXPERT_REVIEW): Move(
        Role.HR, label=gettext_lazy("材料齐全，进入专家评审"),
        confirm=gettext_lazy("确认申报材料齐全，进入专家评审（资料审查、实地查看、集中评议）。")),
    (State.EXPERT_REVIEW, State.PROPOSED): Move(
        Role.HR, label=gettext_lazy("列入拟认定名单"), guard=panel_recommends),
    (State.EXPERT_REVIEW, State.NOT_RECOGNIZED): Move(
        Role.HR, reason=True, label=gettext_lazy("不予认定"), style="danger", guard=panel_or_objection_refuses),
    (State.PROPOSED, State.NOT_RECOGNIZED): Move(
        Role.HR, reason=True, label=gettext_lazy("更正集中评议结论：不予认定"), guard=panel_corrected),
    (State.NOT_RECOGNIZED, State.PROPOSED): Move(
        Role.HR, reason=True, label=gettext_lazy("更正集中评议结论：列入拟认定名单"), guard=panel_corrected),
    (State.PROPOSED, State.PUBLICITY): Move(
        Role.HR, label=gettext_lazy("公示"), guard=publicity_published),
    (State.PUBLICITY, State.NOT_RECOGNIZED): Move(
        Role.HR, reason=True, label=gettext_lazy("异议成立，移出名单"), style="danger",
        guard=panel_or_objection_refuses),
    (State.PUBLICITY, State.RECOGNIZED): Move(
        Role.HR, label=gettext_lazy("认定"), guard=publicity_over),
}

# The batch: filing opens when HR creates it (services.open_batch) and ends when HR closes it.
BATCH_TRANSITIONS = {
    (BatchState.OPEN, BatchState.CLOSED): Move(
        Role.HR, label=gettext_lazy("截止申报"), style="warning",
        confirm=gettext_lazy("截止后单位不能再新建申报。")),
}

# A member of the public's objection during publicity (第五条): HR decides it, with a reason either way.
OBJECTION_TRANSITIONS = {
    (ObjectionState.PENDING, ObjectionState.UPHELD): Move(Role.HR, reason=True, label=gettext_lazy("异议成立")),
    (ObjectionState.PENDING, ObjectionState.DISMISSED): Move(Role.HR, reason=True, label=gettext_lazy("异议不成立")),
}

def assign_guard(actor, app) -> None:
    """HR puts experts on the panel of an application in expert review."""
    require_role(actor, Role.HR)
    if app.state != State.EXPERT_REVIEW:
        raise TransitionRefused(_("只有专家评审中的申报才能分配专家。"))


def can_assign_experts(actor, app) -> bool:
    """The application page offers the assignment form: the same check as assigning."""
    return permits(assign_guard, actor, app)


# --- the expert's assignment: (actor, assignment) guards ------------------------------------------------

def panel_open(actor, assignment) -> None:
    """HR changes the panel of an application while it is in expert review."""
    if assignment.application.state != State.EXPERT_REVIEW:
        raise TransitionRefused(_("只有专家评审中的申报才能调整专家。"))


def reassign_guard(actor, assignment) -> None:
    """An expert taken off may be assigned again, if he still may review the unit (第四条's conflict of interest)."""
    panel_open(actor, assignment)
    validate_expert_for(assignment.expert, unit_id=assignment.application.unit_id)


def opinion_guard(actor, assignment) -> None:
    """The expert hands in the opinion on his own assignment while the application is in expert review."""
    if assignment.expert_id != actor.pk or assignment.state == ExpertAssignmentState.WITHDRAWN:
        raise PermissionDenied(_("只能填写分配给您的评审。"))
    if assignment.state != ExpertAssignmentState.ASSIGNED:
        raise TransitionRefused(_("评审意见已提交，不能再修改。"))
    if assignment.application.state != State.EXPERT_REVIEW:
        raise TransitionRefused(_("该申报已不在专家评审阶段。"))


def can_edit_opinion(actor, assignment) -> bool:
    """The expert may still fill in (and save) the record: the same check as handing it in."""
    return permits(opinion_guard, actor, assignment)


# The expert's assignment (资料审查, 实地查看, opinion for 集中评议): HR assigns (services.assign_expert creates
# the row) and may take the expert off before the opinion is in; handed in, the opinion is final.
ASSIGNMENT_TRANSITIONS = {
    (ExpertAssignmentState.ASSIGNED, ExpertAssignmentState.SUBMITTED): Move(
        Role.EXPERT, label=gettext_lazy("提交评审意见"), guard=opinion_guard,
        confirm=gettext_lazy("提交后评审意见不能再修改。")),
    (ExpertAssignmentState.ASSIGNED, ExpertAssignmentState.WITHDRAWN): Move(
        Role.HR, label=gettext_lazy("撤销分配"), style="danger", guard=panel_open),
    (ExpertAssignmentState.WITHDRAWN, ExpertAssignmentState.ASSIGNED): Move(
        Role.HR, label=gettext_lazy("重新分配"), guard=reassign_guard),
}


# The moves made with a button on the application's page. The others are the effect of a record made on
# its own form (panel conclusion, publicity, objection, recognition document), which calls the same table.
BUTTON_TARGETS = (State.SUBMITTED, State.RETURNED, State.RECOMMENDED, State.NOT_RECOMMENDED, State.EXPERT_REVIEW)


def labels() -> dict:
    return dict(State.choices)


def mermaid() -> str:
    """The state diagram of docs/applications.md, generated from the table."""
    names = {Role.UNIT: "单位", Role.DEPARTMENT: "主管部门", Role.HR: "人社局"}
    lines = ["stateDiagram-v2", f"    [*] --> {State.DRAFT}"]
    for (src, dst), move in TRANSITIONS.items():
        who = "/".join(names.get(r, str(r)) for r in move.roles)
        reason = "，须理由" if move.reason else ""
        lines.append(f"    {src} --> {dst}: {move.label}（{who}{reason}）")
    lines += [f"    {State.RECOGNIZED} --> [*]", f"    {State.NOT_RECOGNIZED} --> [*]",
              f"    {State.NOT_RECOMMENDED} --> [*]"]
    return "\n".join(lines)
