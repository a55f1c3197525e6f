"""The subsidy ledger (第十一条 – 第十三条): a station's grant, its two tranches, what the unit spends, and what
is recovered after a misuse. Money is Decimal to the fen. Invariants live in the database as well:
CheckConstraints here, and a deferred constraint trigger (migration 0002) that keeps a grant's tranches equal
to ``split(grant.amount)``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from funding.states import CancelEvent, ExpenditureState, RecoveryState, TrancheKind, TrancheState
from qinshui_station import limits
from qinshui_station.addresses import address
from qinshui_station.limits import text_limit
from qinshui_station.uploads import StoredFileBase


class Grant(models.Model):
    """A recognized station's construction subsidy (第十一条), fixed at the batch's amount."""

    workstation = models.OneToOneField("qinshui_station.Workstation", on_delete=models.PROTECT, related_name="grant",
                                       verbose_name=_("工作站"))
    amount = models.DecimalField(_("补助金额"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    # Sums of this grant's tranches, expenditures and recoveries, kept by the services (funding/sums.py).
    disbursed = models.DecimalField(_("已拨付"), max_digits=14, decimal_places=2, default=0, editable=False)
    pending = models.DecimalField(_("待拨付"), max_digits=14, decimal_places=2, default=0, editable=False)
    cancelled = models.DecimalField(_("已取消"), max_digits=14, decimal_places=2, default=0, editable=False)
    spent = models.DecimalField(_("已支出"), max_digits=14, decimal_places=2, default=0, editable=False)
    questioned = models.DecimalField(_("有疑问"), max_digits=14, decimal_places=2, default=0, editable=False)
    recovery_due = models.DecimalField(_("应追回"), max_digits=14, decimal_places=2, default=0, editable=False)
    recovered = models.DecimalField(_("已追回"), max_digits=14, decimal_places=2, default=0, editable=False)
    # 第十一条: the second tranche follows acceptance; the day the period ended without it (CONSTRUCTION_ENDED).
    second_not_due_since = models.DateField(_("建设期满未验收日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("建设补助")
        verbose_name_plural = _("建设补助")
        constraints = [models.CheckConstraint(name="grant_amount_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.workstation} ¥{self.amount}"

    def get_absolute_url(self) -> str:
        return address("funding:statement", self.workstation_id)


class LedgerYear(models.Model):
    """The totals of one batch year's grants (the county ledger's totals), kept by the services
    (funding/sums.py) from the grants' own sums."""

    batch_year = models.PositiveSmallIntegerField(_("批次年度"), primary_key=True)
    stations = models.PositiveIntegerField(_("工作站数"), default=0)
    granted = models.DecimalField(_("补助金额"), max_digits=16, decimal_places=2, default=0)
    disbursed = models.DecimalField(_("已拨付"), max_digits=16, decimal_places=2, default=0)
    pending = models.DecimalField(_("待拨付"), max_digits=16, decimal_places=2, default=0)
    cancelled = models.DecimalField(_("已取消"), max_digits=16, decimal_places=2, default=0)
    spent = models.DecimalField(_("已支出"), max_digits=16, decimal_places=2, default=0)
    questioned = models.DecimalField(_("有疑问"), max_digits=16, decimal_places=2, default=0)
    recovery_due = models.DecimalField(_("应追回"), max_digits=16, decimal_places=2, default=0)
    recovered = models.DecimalField(_("已追回"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("年度资金合计")
        verbose_name_plural = _("年度资金合计")
        ordering = ["-batch_year"]

    def __str__(self) -> str:
        return str(self.batch_year)


_KIND_LABELS = dict(TrancheKind.choices)  # (``TrancheKind.values`` builds its list anew at every use)


def tranche_label(station, kind: str, amount) -> str:
    """A tranche's name (its ``str()``), from its values: what the audit entries of tranches written without model
    instances (``bulk.insert``) are labelled."""
    return f"{station} {_KIND_LABELS.get(kind, kind)} ¥{amount}"


class Tranche(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("补助"))
    kind = models.CharField(pgettext_lazy("tranche", "批次"), max_length=10, choices=TrancheKind.choices)
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
    cancel_reason = models.TextField(_("取消原因"), blank=True, validators=[text_limit(limits.REASON)])
    cancel_event = models.CharField(_("取消事由"), max_length=20, choices=CancelEvent.choices, blank=True)

    class Meta:
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")
        ordering = ["grant", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "kind"], name="tranche_one_per_kind"),
            models.CheckConstraint(name="tranche_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="tranche_kind_valid", condition=Q(kind__in=TrancheKind.values)),
            models.CheckConstraint(name="tranche_state_valid", condition=Q(state__in=TrancheState.values)),
            models.CheckConstraint(
                name="tranche_disbursed_has_payment",
                condition=~Q(state=TrancheState.DISBURSED)
                | (Q(disbursed_on__isnull=False) & ~Q(voucher_number="") & ~Q(paid_account_number="")),
            ),
            models.CheckConstraint(
                name="tranche_approved_has_approval",
                condition=~Q(state__in=[TrancheState.APPROVED, TrancheState.DISBURSED]) | Q(approved_at__isnull=False),
            ),
            models.CheckConstraint(
                name="tranche_cancelled_has_reason",
                condition=~Q(state=TrancheState.CANCELLED) | ~Q(cancel_reason=""),
            ),
            models.CheckConstraint(
                name="tranche_cancelled_has_event",
                condition=~Q(state=TrancheState.CANCELLED) | Q(cancel_event__in=CancelEvent.values),
            ),
            # SPEC.md "Separation of duties": who approved a tranche cannot disburse it.
            models.CheckConstraint(
                name="tranche_approver_does_not_disburse",
                condition=Q(approved_by__isnull=True) | Q(disbursed_by__isnull=True) | ~Q(disbursed_by=F("approved_by")),
            ),
        ]
        indexes = [models.Index(fields=["state", "kind"])]

    def __str__(self) -> str:
        return tranche_label(self.grant.workstation, self.kind, self.amount)

    def get_absolute_url(self) -> str:
        return address("funding:tranche_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.state in (TrancheState.SCHEDULED, TrancheState.APPROVED)


class ExpenditureCategory(models.Model):
    """第十二条's list, kept as data: the five uses allowed, and the uses it forbids (refused with the article)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("支出类别"), max_length=60, unique=True)
    allowed = models.BooleanField(_("允许列支"), default=True)
    refusal = models.TextField(_("不予列支的依据"), blank=True,
                               help_text=_("不允许列支的类别：登记时向单位显示的条文依据"), validators=[text_limit(limits.REASON)])
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("支出类别")
        verbose_name_plural = _("支出类别")
        ordering = ["-allowed", "order", "pk"]
        constraints = [
            models.CheckConstraint(name="category_refused_has_article",
                                   condition=Q(allowed=True) | ~Q(refusal="")),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: the measures' own categories are translated (CATEGORY_NAMES);
        a category HR adds reads as entered."""
        return gettext(self.name) if self.name in CATEGORY_NAMES else self.name


# 第十二条's categories as seeded (funding/migrations/0003): listed here so their names are translated.
CATEGORY_NAMES = (
    gettext_noop("仪器设备购置改造与维护"), gettext_noop("原材料消耗"), gettext_noop("技能攻关"),
    gettext_noop("人才培养"), gettext_noop("技能交流"), gettext_noop("差旅费"), gettext_noop("劳务费"),
    gettext_noop("与工作站建设无关的其他开支"),
)


class Expenditure(models.Model):
    """One use of the subsidy, recorded by the unit with its invoice or voucher attached."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="expenditures", verbose_name=_("补助"))
    spent_on = models.DateField(_("支出日期"))
    category = models.ForeignKey(ExpenditureCategory, on_delete=models.PROTECT, related_name="expenditures",
                                 verbose_name=_("支出类别"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    description = models.TextField(_("用途说明"), validators=[text_limit(limits.REASON)])
    state = models.CharField(_("状态"), max_length=12, choices=ExpenditureState.choices,
                             default=ExpenditureState.RECORDED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    question = models.TextField(_("疑问"), blank=True, validators=[text_limit(limits.REASON)])
    questioned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    questioned_at = models.DateTimeField(_("提出疑问时间"), null=True, blank=True)
    decision = models.TextField(_("核查结论"), blank=True, validators=[text_limit(limits.REASON)])
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补助资金支出")
        verbose_name_plural = _("补助资金支出")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="expenditure_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="expenditure_state_valid", condition=Q(state__in=ExpenditureState.values)),
            models.CheckConstraint(
                name="expenditure_questioned_has_question",
                condition=~Q(state__in=[ExpenditureState.QUESTIONED, ExpenditureState.CLEARED, ExpenditureState.MISUSE])
                | ~Q(question=""),
            ),
            models.CheckConstraint(
                name="expenditure_decided_has_decision",
                condition=~Q(state__in=[ExpenditureState.CLEARED, ExpenditureState.MISUSE]) | ~Q(decision=""),
            ),
        ]
        indexes = [models.Index(fields=["grant", "category"]), models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.spent_on:%Y-%m-%d} {self.category} ¥{self.amount}"

    def get_absolute_url(self) -> str:
        return address("funding:expenditure_detail", self.pk)


class ExpenditureDocument(StoredFileBase):
    """The invoice or voucher behind an expenditure."""

    expenditure = models.ForeignKey(Expenditure, on_delete=models.PROTECT, related_name="documents",
                                    verbose_name=_("支出"))

    class Meta:
        verbose_name = _("发票或凭证")
        verbose_name_plural = _("发票或凭证")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return address("funding:expenditure_document", self.expenditure_id, self.pk)


class Recovery(models.Model):
    """Money the unit must pay back after a misuse was upheld (第十三条), later marked recovered."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="recoveries", verbose_name=_("补助"))
    expenditure = models.ForeignKey(Expenditure, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="recoveries", verbose_name=_("所涉支出"))
    amount = models.DecimalField(_("应追回金额"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("追回原因"), validators=[text_limit(limits.REASON)])
    state = models.CharField(_("状态"), max_length=12, choices=RecoveryState.choices, default=RecoveryState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    recovered_on = models.DateField(_("追回日期"), null=True, blank=True)
    recovered_voucher = models.CharField(_("缴款凭证号"), max_length=60, blank=True)
    recovered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("model", "资金追回")  # one, as an audit sentence names it
        verbose_name_plural = _("资金追回")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="recovery_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="recovery_state_valid", condition=Q(state__in=RecoveryState.values)),
            models.CheckConstraint(
                name="recovery_recovered_has_payment",
                condition=~Q(state=RecoveryState.RECOVERED)
                | (Q(recovered_on__isnull=False) & ~Q(recovered_voucher="")),
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.grant.workstation} ¥{self.amount}"

    def get_absolute_url(self) -> str:
        return address("funding:recovery_detail", self.pk)
