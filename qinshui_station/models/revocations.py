from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinshui_station import limits
from qinshui_station.limits import text_limit


class RevocationGround(models.TextChoices):
    """第十条's six grounds, and 第九条's failed evaluation."""

    DEREGISTERED = "deregistered", _("申请设立的单位被注销或者撤销")
    LEADER_LEFT = "leader_left", _("领办人调离原工作单位，且无符合要求的人员接替领办")
    SERIOUS_LOSS = "serious_loss", _("工作人员因违法违纪行为或者重大过失，造成重大损失和严重后果")
    INACTIVE = "inactive", _("不开展技术交流、技术革新、技术攻关，传技带徒")
    FRAUD = "fraud", _("采取弄虚作假、谎报等不正当手段骗取设立工作站资格")
    SUBSIDY_MISUSE = "subsidy_misuse", _("违规使用县级专项补助资金")
    FAILED_EVALUATION = "failed_evaluation", _("年度评估不合格（第九条）")


class Revocation(models.Model):
    """Why and when a station lost its title. Written by ``services.revoke_workstation`` only."""

    workstation = models.OneToOneField("qinshui_station.Workstation", on_delete=models.PROTECT,
                                       related_name="revocation", verbose_name=_("工作站"))
    ground = models.CharField(_("撤销情形"), max_length=30, choices=RevocationGround.choices)
    facts = models.TextField(_("事实与依据"), validators=[text_limit(limits.REASON)])
    effective_on = models.DateField(_("撤销日期"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("撤销记录")
        verbose_name_plural = _("撤销记录")
        constraints = [models.CheckConstraint(name="revocation_ground_valid",
                                              condition=models.Q(ground__in=RevocationGround.values))]

    def __str__(self) -> str:
        return f"{self.workstation} {self.get_ground_display()}"
