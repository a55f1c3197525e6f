from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinshui_station.prepared import Rows
from qinshui_station.validators import validate_phone


class OfficeContact(models.Model):
    """The HR bureau's office as printed on public notices (where and how to object): one row, kept by HR."""

    office_name = models.CharField(_("受理科室"), max_length=60, blank=True,
                                   help_text=_("如：职业能力建设股"))
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("县人社局办公信息")
        verbose_name_plural = _("县人社局办公信息")
        constraints = [models.CheckConstraint(name="office_contact_single_row", condition=Q(pk=1))]

    def __str__(self) -> str:
        return str(_("县人社局办公信息"))

    @classmethod
    def current(cls) -> "OfficeContact":
        """The one row (blank until HR fills it in)."""
        return _CURRENT.first() or cls(pk=1)

    @property
    def is_complete(self) -> bool:
        return bool(self.address and self.phone)


# on the public notice and its PDF, read by anyone: compiled once (qinshui_station.prepared)
_CURRENT = Rows(lambda: OfficeContact.objects.filter(pk=1)[:1])
