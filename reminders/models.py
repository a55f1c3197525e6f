"""What the reminders' schedule has sent: one row per deadline and person, so a reminder goes out at most once
whatever the number of workers or reruns (the unique constraint decides; docs/reminders.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    kind = models.CharField(_("提醒类别"), max_length=40)
    key = models.CharField(_("期限"), max_length=120, help_text=_("提醒针对的期限，如 batch:3:closes:5"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="+")
    due_on = models.DateField(_("期限日期"))
    run_for = models.DateField(_("按此日期运行"))
    message = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("已发提醒")
        verbose_name_plural = _("已发提醒")
        ordering = ["-run_for", "kind", "key", "recipient_id"]
        constraints = [models.UniqueConstraint(fields=["kind", "key", "recipient"], name="reminder_once_per_person")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.recipient_id}"
