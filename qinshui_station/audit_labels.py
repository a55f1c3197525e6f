"""What the core's audit entries mean, for the audit log's sentences (qinshui_station.audit.describe)."""

from django.utils.translation import gettext_lazy as _

from qinshui_station.registry import register_audit_actions

register_audit_actions({
    "register_unit": _("注册单位"), "update_unit_profile": _("修改单位信息"), "create_user": _("创建账号"),
    "create_organization": _("创建机构"), "activate": _("启用账号"), "deactivate": _("停用账号"),
    "enter_calendar": _("录入节假日安排"), "transition": _("变更状态"), "revoke": _("撤销工作站"), "plaque_recovered": _("收回牌匾"),
    "construction_ended": _("建设期满，尚未通过验收"),
})
