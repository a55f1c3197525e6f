from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from funding.workflow import CancelEvent, TrancheKind, TrancheState


class Grant(models.Model):
    """A recognized station's construction subsidy (第十一条), fixed at the batch's amount."""

    workstation = models.OneToOneField("qinshui_station.Workstation", on_delete=models.PROTECT, related_name="grant",
                                       verbose_name=_("工作站"))
    amount = models.DecimalField(_("补助金额"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("建设补助")
        verbose_name_plural = _("建设补助")
        constraints = [models.CheckConstraint(name="grant_amount_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.workstation} ¥{self.amount}"


class Tranche(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("补助"))
    kind = models.CharField(_("批次"), max_length=10, choices=TrancheKind.choices)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    state = models.CharField(_("状态"), max_length=12, choices=TrancheState.choices, default=TrancheState.SCHEDULED)
    scheduled_at = models.DateTimeField(_("安排时间"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    disbursed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    disbursed_on = models.DateField(_("拨付日期"), null=True, blank=True)
    voucher_number = models.CharField(_("凭证号"), max_length=60, blank=True)
    paid_account_name = models.CharField(_("收款户名"), max_length=120, blank=True)
    paid_bank = models.CharField(_("收款银行"), max_length=120, blank=True)
    paid_account_number = models.CharField(_("收款账号"), max_length=40, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    cancel_event = models.CharField(_("取消事由"), max_length=20, choices=CancelEvent.choices, blank=True)

    class Meta:
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")
        ordering = ["grant", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "kind"], name="tranche_one_per_kind"),
            models.CheckConstraint(name="tranche_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="tranche_disbursed_has_payment",
                condition=~Q(state=TrancheState.DISBURSED)
                | (Q(disbursed_on__isnull=False) & ~Q(voucher_number="") & ~Q(paid_account_number="")),
            ),
            models.CheckConstraint(
                name="tranche_cancelled_has_reason",
                condition=~Q(state=TrancheState.CANCELLED) | ~Q(cancel_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["state", "kind"])]

    def __str__(self) -> str:
        return f"{self.grant.workstation} {self.get_kind_display()} ¥{self.amount}"
