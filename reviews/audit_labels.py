"""What the annual evaluation's audit entries mean, for the audit log's sentences (qinshui_station.audit.describe)."""

from django.utils.translation import gettext_lazy as _

from qinshui_station.registry import register_audit_actions

register_audit_actions({
    "round_opened": _("开启年度评估"), "round_window": _("调整申报时间"), "evaluation_saved": _("保存评估申请表"),
    "evidence_added": _("上传佐证材料"), "evidence_removed": _("撤下佐证材料"), "reviews.evaluation:transition": _("办理评估申请"),
    "expert_assigned": _("分配评分专家"), "expert_unassigned": _("撤销评分专家"), "scores_saved": _("保存评分"),
    "scores_submitted": _("提交评分"), "tie_decided": _("确定同分名次"), "round_finalized": _("定级并锁定"),
    "final_acceptance": _("办理建设期满验收"), "graded": _("评定等级"), "withdrawn": _("撤销评估"), "ledger_added": _("登记台账"), "ledger_deleted": _("删除台账"),
})
