from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThrottleEvent(models.Model):
    """One counted attempt (a password-reset mail, a registration …) of one address or account
    (``qinshui_station.throttle``). The key is a SHA-256 of the address or e-mail, never the address
    itself. Kept out of backups, like sign-in lockouts."""

    scope = models.CharField(_("类别"), max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("限流记录")
        verbose_name_plural = _("限流记录")
        indexes = [models.Index(fields=["scope", "key", "at"])]
        constraints = [models.CheckConstraint(name="throttle_key_sha256_hex", condition=models.Q(key__regex=r"^[0-9a-f]{64}$"))]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M:%S}"
