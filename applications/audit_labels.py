"""What the applications' audit entries mean, for the audit log's sentences (qinshui_station.audit.describe)."""

from django.utils.translation import gettext_lazy as _

from applications.models import AttachmentKind, ExpertAssignment
from qinshui_station.registry import register_audit_actions, register_audit_values

register_audit_actions({
    "open_batch": _("开始批次申报"), "close_batch": _("截止申报"), "applications.application:create": _("创建申报草稿"),
    "applications.application:edit": _("修改申报表"), "members": _("更新拟入站人员"), "attachment": _("上传材料"),
    "attachment_withdrawn": _("撤下材料"), "applications.application:transition": _("办理申报"), "assign_expert": _("分配评审专家"),
    "unassign_expert": _("撤销专家分配"), "expert_review_saved": _("保存专家评审记录"),
    "expert_opinion": _("提交专家评审意见"), "site_visit_photo": _("上传实地查看照片"),
    "publish_publicity": _("发布拟认定名单公示"), "objection_filed": _("提出公示异议"),
    "objection_resolved": _("处理公示异议"), "recognition_document": _("登记认定文件"), "recognized": _("认定工作站"),
    "panel_conclusion": _("记录集中评议结论"),
})
register_audit_values(dict(AttachmentKind.choices) | dict(ExpertAssignment.Opinion.choices))
