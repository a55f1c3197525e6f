from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Append-only: a database trigger (migration 0002) refuses UPDATE and DELETE on this table."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=120, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=80, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=40)
    object_label = models.CharField(_("对象"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=60)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "at"]),
                   # the log's order (views.staff.audit_log), docs/performance.md
                   models.Index(fields=["-at", "-id"], name="auditentry_log_order")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"
