from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinshui_station.uploads import upload_to


class RenderedDocument(models.Model):
    """The stored copy of a document rendered for a submitted record (the 申报表 of a submitted
    application, the 年度评估申请表 of a submitted evaluation …). Rendered once; from then on the
    file is served as stored, checked against ``sha256``, whatever happens to the record's data.
    A record that is resubmitted gets a new copy; the earlier ones stay on file."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("文书类型"), max_length=40)
    file = models.FileField(_("文件"), upload_to=upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    rendered_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    rendered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("存档文书")
        verbose_name_plural = _("存档文书")
        ordering = ["-rendered_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind", "-rendered_at"])]
        constraints = [
            models.CheckConstraint(name="rendered_document_size_positive", condition=Q(size__gt=0)),
            models.CheckConstraint(name="rendered_document_sha256_hex", condition=Q(sha256__regex=r"^[0-9a-f]{64}$")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} ({self.rendered_at:%Y-%m-%d %H:%M})"


class DraftRendering(models.Model):
    """A draft's PDF, kept by the SHA-256 of the HTML it was rendered from (what it prints, for the reader
    it was printed for): asked for again with nothing changed, it is served from storage instead of laid
    out again (a long draft took seconds to minutes). Only the latest copy per record and kind is kept."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("文书类型"), max_length=40)
    source_sha256 = models.CharField(max_length=64)
    file = models.FileField(_("文件"), upload_to=upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    rendered_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("草稿文书")
        verbose_name_plural = _("草稿文书")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind", "source_sha256"],
                                    name="draft_rendering_once_per_content"),
            models.CheckConstraint(name="draft_rendering_size_positive", condition=Q(size__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} ({self.source_sha256[:12]})"
