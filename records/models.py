"""What an import leaves behind: the workbook HR committed (kept, with its checksum, so every audit entry it
caused names it), and which stations came in that way (their history may be corrected by a later file; a
station recognized in the portal may not)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinshui_station.uploads import upload_to


class ImportFile(models.Model):
    """A workbook HR committed. Files refused, or found identical to the portal's data, are not kept:
    nothing is written for them."""

    file = models.FileField(_("文件"), upload_to=upload_to, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    sha256 = models.CharField(_("校验值（SHA-256）"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    template_version = models.PositiveSmallIntegerField(_("模板版本"))
    rows = models.PositiveIntegerField(_("数据行数"))
    created = models.PositiveIntegerField(_("新增工作站"), default=0)
    changed = models.PositiveIntegerField(_("更新工作站"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化工作站"), default=0)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT,
                                     related_name="+")
    committed_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导入文件")
        verbose_name_plural = _("导入文件")
        ordering = ["-committed_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="import_file_sha256_hex", condition=Q(sha256__regex=r"^[0-9a-f]{64}$")),
            models.CheckConstraint(name="import_file_size_positive", condition=Q(size__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.sha256[:12]}）"

    @property
    def label(self) -> str:
        """How audit entries name the file."""
        return f"{self.original_name}（SHA-256 {self.sha256}）"


class ImportedStation(models.Model):
    """A station that came in through an import, and the files that brought and last changed it."""

    workstation = models.OneToOneField("qinshui_station.Workstation", on_delete=models.PROTECT,
                                       related_name="import_record", verbose_name=_("工作站"))
    first_file = models.ForeignKey(ImportFile, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("导入文件"))
    last_file = models.ForeignKey(ImportFile, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("最近更新文件"))
    revocation_imported = models.BooleanField(_("撤销记录来自导入"), default=False)

    class Meta:
        verbose_name = _("导入的工作站")
        verbose_name_plural = _("导入的工作站")

    def __str__(self) -> str:
        return str(self.workstation)


class ImportedUnit(models.Model):
    """A unit the import created. HR's files may correct its details until someone of the unit has signed in;
    from then on the unit keeps them itself, as a unit that registered in the portal does."""

    organization = models.OneToOneField("qinshui_station.Organization", on_delete=models.PROTECT,
                                        related_name="import_record", verbose_name=_("单位"))
    file = models.ForeignKey(ImportFile, on_delete=models.PROTECT, related_name="+", verbose_name=_("导入文件"))

    class Meta:
        verbose_name = _("导入的单位")
        verbose_name_plural = _("导入的单位")

    def __str__(self) -> str:
        return str(self.organization)
