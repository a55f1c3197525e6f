from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """The State Council's holiday arrangement for a year the chinese-calendar package does not cover,
    entered by HR. Its presence means: this year's days are known (weekends off unless listed)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("依据文件"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(name="calendar_year_range", condition=Q(year__gte=2000, year__lte=2100))]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    arrangement = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(name="calendar_day_in_year", condition=Q(year=ExtractYear(F("day")))),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"
