from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "通知")  # one, as an audit sentence names it
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


# Kinds of notification a person may turn e-mail off for. Services' notices are WORKFLOW; the reminders app
# registers its own kinds (qinshui_station.registry.register_notification_kind).
WORKFLOW = "workflow"


class EmailPreference(models.Model):
    """A person's choice of e-mail for one kind of notification. No row: e-mail on. The in-portal notification is
    always written, whatever the choice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(_("通知类别"), max_length=40)
    email = models.BooleanField(_("发送邮件"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("邮件通知设置")
        verbose_name_plural = _("邮件通知设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_preference_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.email}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One e-mail in the outbox: written in the transaction that caused it, sent after commit by the worker
    (qinshui_station.delivery), retried with back-off; FAILED once every attempt failed, until HR retries it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE,
                                  related_name="deliveries")
    kind = models.CharField(_("通知类别"), max_length=40, default=WORKFLOW)
    to_address = models.EmailField(_("邮箱"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    # "status", not "state": an outbox row's technical status, not a workflow state moved by people (no engine table)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("最终失败时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邮件投递")
        verbose_name_plural = _("邮件投递")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(name="delivery_status_valid", condition=models.Q(status__in=DeliveryState.values)),
            models.CheckConstraint(name="delivery_sent_has_time",
                                   condition=~models.Q(status=DeliveryState.SENT) | models.Q(sent_at__isnull=False)),
            models.CheckConstraint(name="delivery_failed_has_error",
                                   condition=~models.Q(status=DeliveryState.FAILED)
                                   | (models.Q(failed_at__isnull=False) & ~models.Q(last_error=""))),
        ]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt: a receiving client shows a message sent twice once."""
        return f"<delivery-{self.pk}@qinshui-station>"
