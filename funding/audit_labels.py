"""What the funding audit entries mean, for the audit log's sentences (qinshui_station.audit.describe)."""

from django.utils.translation import gettext_lazy as _

from qinshui_station.registry import register_audit_actions

register_audit_actions({
    "grant_created": _("核定建设补助"), "tranche_scheduled": _("安排拨付"), "tranche_approved": _("审核拨付"),
    "tranche_disbursed": _("登记拨付"), "tranche_cancelled": _("取消拨付"), "expenditure_recorded": _("登记资金支出"),
    "expenditure_questioned": _("对资金支出提出疑问"), "expenditure_cleared": _("确认资金支出无误"),
    "expenditure_misuse_upheld": _("认定资金违规使用"), "recovery_recorded": _("登记追回资金"),
    "recovery_recovered": _("确认资金已追回"),
    "second_tranche_not_due": _("建设期满未验收，第二批资金暂不拨付"),
})
