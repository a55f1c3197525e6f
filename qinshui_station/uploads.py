"""Uploaded evidence: PDF, JPEG or PNG only, recognised by content; stored outside the web root under
random names; served only by views that have already found the record through a scoped selector."""

from __future__ import annotations

import hashlib
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Magic numbers of the three allowed kinds. Anything else (an executable, HTML, SVG, a zip) is refused
# whatever its name says.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
MAX_NAME_LENGTH = 120


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def clean_name(name: str) -> str:
    """The name shown to people: no directories, no control characters, bounded length."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return base


def validate_upload(uploaded) -> None:
    raw_name = getattr(uploaded, "name", "") or ""
    # Django's multipart parser already keeps only a name's last path component; a name given otherwise (a
    # file built in code, a future parser) is still refused, never trimmed here.
    if "/" in raw_name or "\\" in raw_name or raw_name in {".", ".."}:
        raise ValidationError(_("文件名不能包含路径分隔符（/ 或 \\）。"), code="upload_name_path")
    name = clean_name(raw_name)
    if not name:
        raise ValidationError(_("文件名无效。"), code="upload_name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("文件名过长（%(n)d个字符），请改为%(max)d个字符以内后重新上传。") % {"n": len(name), "max": MAX_NAME_LENGTH},
            code="upload_name_length",
        )
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件（0字节）。") % {"name": name}, code="upload_empty")
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("文件“%(name)s”大小为%(size).1f MB，超过了%(limit).0f MB的上限。")
            % {"name": name, "size": size / 1048576, "limit": limit / 1048576},
            code="upload_too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if sniff(head) is None:
        raise ValidationError(
            _("文件“%(name)s”不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）。") % {"name": name},
            code="upload_type",
        )


def upload_to(instance, filename: str) -> str:
    """Random, unguessable storage names; the person's file name is kept in ``original_name``."""
    ext = getattr(instance, "_sniffed_ext", None) or "bin"
    label = instance._meta.app_label
    return f"private/{label}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class StoredFileBase(models.Model):
    """Fields every kind of uploaded evidence shares; apps subclass it with the record it belongs to."""

    file = models.FileField(gettext_lazy("文件"), upload_to=upload_to, max_length=200)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=MAX_NAME_LENGTH)
    content_type = models.CharField(gettext_lazy("类型"), max_length=40)
    size = models.PositiveIntegerField(gettext_lazy("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(gettext_lazy("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def attach(self, uploaded, *, user) -> None:
        """Fill the file fields from an upload that ``validate_upload`` has accepted."""
        validate_upload(uploaded)
        uploaded.seek(0)
        content_type, ext = sniff(uploaded.read(16))
        uploaded.seek(0)
        digest = hashlib.sha256()
        for chunk in uploaded.chunks():
            digest.update(chunk)
        uploaded.seek(0)
        self._sniffed_ext = ext
        self.original_name = clean_name(uploaded.name)
        self.content_type = content_type
        self.size = uploaded.size
        self.sha256 = digest.hexdigest()
        self.uploaded_by = user
        self.file.save(uploaded.name, uploaded, save=False)

    def response(self, *, inline: bool = True) -> FileResponse:
        return file_response(self.file, self.original_name, self.content_type, inline=inline)


def file_response(fieldfile, filename: str, content_type: str, *, inline: bool = True) -> FileResponse:
    response = FileResponse(fieldfile.open("rb"), content_type=content_type, as_attachment=not inline,
                            filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
