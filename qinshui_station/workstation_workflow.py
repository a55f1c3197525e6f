"""A recognized workstation's life: built for two years, accepted at the end, or revoked (第九条, 第十条)."""

from django.utils.translation import gettext_lazy as _

from qinshui_station.models.workstations import WorkstationState as State
from qinshui_station.roles import Role
from qinshui_station.workflow import Move

TRANSITIONS = {
    # Final acceptance passed (reviews: finalizing the round of the year the construction period ends).
    (State.CONSTRUCTION, State.ACCEPTED): Move(Role.HR, label=_("验收合格"),
                                               system=_("建设期满验收在年度评估定级时统一办理。")),
    # 第九条 (failed evaluation) and 第十条 (six grounds): the title ends, the plaque is recovered.
    (State.CONSTRUCTION, State.REVOKED): Move(Role.HR, reason=True, label=_("撤销称号"), style="danger"),
    (State.ACCEPTED, State.REVOKED): Move(Role.HR, reason=True, label=_("撤销称号"), style="danger"),
}
