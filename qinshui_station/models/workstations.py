from datetime import date, timedelta

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qinshui_station.addresses import address
from qinshui_station.roles import OrgKind


class WorkstationState(models.TextChoices):
    CONSTRUCTION = "construction", _("建设期")
    ACCEPTED = "accepted", _("验收合格")
    REVOKED = "revoked", _("已撤销")


class Workstation(models.Model):
    """A recognized 沁水县技师工作站. Created by recognition (applications), evaluated (reviews),
    funded (funding): the one object all three apps work on."""

    name = models.CharField(_("工作站名称"), max_length=160)
    unit = models.ForeignKey(
        "qinshui_station.Organization",
        verbose_name=_("所在单位"),
        on_delete=models.PROTECT,
        related_name="workstations",
        limit_choices_to={"kind": OrgKind.UNIT},
    )
    occupation = models.CharField(_("职业（工种）"), max_length=60)
    leader_name = models.CharField(_("领办人"), max_length=40)
    leader_skill_level = models.CharField(_("领办人职业技能等级"), max_length=40)
    batch_year = models.PositiveSmallIntegerField(_("认定年度"))
    plaque_number = models.CharField(_("牌匾编号"), max_length=40, unique=True)
    recognition_document_number = models.CharField(_("认定文号"), max_length=60)
    recognized_on = models.DateField(_("认定日期"))
    construction_ends_on = models.DateField(_("建设期截止日期"))
    state = models.CharField(
        _("状态"), max_length=20, choices=WorkstationState.choices, default=WorkstationState.CONSTRUCTION
    )
    state_changed_at = models.DateTimeField(_("状态变更时间"), auto_now_add=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    # The day the construction period was found ended without acceptance (CONSTRUCTION_ENDED announced, once).
    period_ended_announced_on = models.DateField(_("建设期满未验收告知日期"), null=True, blank=True)
    plaque_recovered_on = models.DateField(_("牌匾收回日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("技师工作站")
        verbose_name_plural = _("技师工作站")
        ordering = ["-recognized_on", "plaque_number"]
        constraints = [
            models.CheckConstraint(
                name="workstation_period_after_recognition",
                condition=Q(construction_ends_on__gt=F("recognized_on")),
            ),
            models.CheckConstraint(
                name="workstation_period_end_announced_after_end",
                condition=Q(period_ended_announced_on__isnull=True)
                | Q(period_ended_announced_on__gt=F("construction_ends_on")),
            ),
            models.CheckConstraint(
                name="workstation_revoked_has_date",
                condition=~Q(state=WorkstationState.REVOKED) | Q(revoked_on__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "unit"]), models.Index(fields=["batch_year"]),
                   # the county ledger's order (funding.selectors.ledger_page_ids), docs/performance.md
                   models.Index(fields=["-batch_year", "plaque_number"], name="workstation_ledger_order"),
                   # the public list's order (views.workstations.public_workstation_list), docs/performance.md
                   models.Index(fields=["-recognized_on", "plaque_number"], name="workstation_public_list",
                                condition=~Q(state=WorkstationState.REVOKED)),
                   # HR's home: the few stations whose construction period ended without acceptance
                   models.Index(fields=["period_ended_announced_on"], name="workstation_period_ended",
                                condition=Q(period_ended_announced_on__isnull=False))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("workstation_detail", self.pk)

    @property
    def is_active(self) -> bool:
        return self.state != WorkstationState.REVOKED

    def evaluation_years(self) -> list[int]:
        """第九条: each March from the year after recognition until the construction period ends."""
        return list(range(self.recognized_on.year + 1, self.construction_ends_on.year + 1))

    def is_final_acceptance_year(self, year: int) -> bool:
        return year == self.construction_ends_on.year


def construction_end(recognized_on: date) -> date:
    """The two-year period starting on the recognition day ends the day before its second anniversary."""
    if (recognized_on.month, recognized_on.day) == (2, 29):
        return recognized_on.replace(year=recognized_on.year + 2, day=28)
    return recognized_on.replace(year=recognized_on.year + 2) - timedelta(days=1)
