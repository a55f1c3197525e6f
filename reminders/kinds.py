"""The reminders' kinds of notification: each person may turn the e-mail of each kind off
(qinshui_station.registry); the in-portal notification always stays."""

from django.utils.translation import gettext_lazy as _

from qinshui_station.registry import NotificationKind, register_notification_kind
from qinshui_station.roles import Role

FILING_OPENS = "filing_opens"
FILING_CLOSES = "filing_closes"
DEPARTMENT_WAITING = "department_waiting"
EXPERT_DEADLINE = "expert_deadline"
PUBLICITY_ENDED = "publicity_ended"
EVALUATION_OPENS = "evaluation_opens"
EVALUATION_CLOSES = "evaluation_closes"
TRANCHE_WAITING = "tranche_waiting"
CONSTRUCTION_ENDING = "construction_ending"
OUTPUTS_BEHIND = "outputs_behind"

register_notification_kind(
    NotificationKind(FILING_OPENS, _("申报开始提醒"), (Role.UNIT,), _("年度批次开始受理申报时")),
    NotificationKind(FILING_CLOSES, _("申报截止提醒"), (Role.UNIT,), _("有未提交的申报草稿，截止前5个和1个工作日")),
    NotificationKind(DEPARTMENT_WAITING, _("待初审超期提醒"), (Role.DEPARTMENT,), _("申报等待初审超过5个工作日")),
    NotificationKind(EXPERT_DEADLINE, _("评审截止提醒"), (Role.EXPERT,), _("评审意见或评分表截止前3个工作日")),
    NotificationKind(PUBLICITY_ENDED, _("公示期满提醒"), (Role.HR,), _("公示期满：可以认定，或仍有异议待处理")),
    NotificationKind(EVALUATION_OPENS, _("年度评估开始提醒"), (Role.UNIT,), _("年度评估申报开始时")),
    NotificationKind(EVALUATION_CLOSES, _("年度评估截止提醒"), (Role.UNIT,), _("评估申请未提交，截止前5个和1个工作日")),
    NotificationKind(TRANCHE_WAITING, _("已审批未拨付提醒"), (Role.FINANCE,), _("补助审批后10个工作日仍未拨付")),
    NotificationKind(CONSTRUCTION_ENDING, _("建设期满提醒"), (Role.UNIT, Role.HR), _("建设期60天内届满，准备期满验收")),
    NotificationKind(OUTPUTS_BEHIND, _("年度产出预警"), (Role.UNIT, Role.DEPARTMENT),
                     _("9月底工作台账未达第七条的年度产出要求")),
)
