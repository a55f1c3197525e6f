"""Uploaded evidence: PDF, JPEG or PNG only, recognised by content; stored outside the web root under
random names; served only by views that have already found the record through a scoped selector."""

from __future__ import annotations

import hashlib
import os
import re
import struct
import uuid
import zlib

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
# An image larger than this is refused: a header claiming 60,000 × 60,000 pixels would ask any viewer or
# thumbnailer for gigabytes. 40 million pixels holds any phone photo or scan (8,000 × 5,000).
MAX_IMAGE_PIXELS = 40_000_000
EXTENSIONS = {"application/pdf": ("pdf",), "image/jpeg": ("jpg", "jpeg"), "image/png": ("png",)}


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
    kind = sniff(head)
    if kind is None:
        raise ValidationError(
            _("文件“%(name)s”不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）。") % {"name": name},
            code="upload_type",
        )
    data = uploaded.read()
    uploaded.seek(0)
    if kind[0] == "application/pdf" and pdf_has_actions(data):
        raise ValidationError(
            _("文件“%(name)s”含有脚本或启动程序的动作（JavaScript、Launch），不能上传。请用“打印为PDF”重新生成后再上传。")
            % {"name": name}, code="upload_active_pdf")
    size_px = image_size(data, kind[0])
    if size_px is not None and size_px[0] * size_px[1] > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("图片“%(name)s”为%(w)d×%(h)d像素，超过了%(max)d万像素的上限，请缩小后重新上传。")
            % {"name": name, "w": size_px[0], "h": size_px[1], "max": MAX_IMAGE_PIXELS // 10000},
            code="upload_too_many_pixels")


# --- what a file holds beyond its first bytes (issue 15, finding 10) -------------------------------------

_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ACTION = re.compile(rb"/(?:JavaScript|JS|Launch)(?![A-Za-z0-9])")
_STREAM = re.compile(rb"(?<!end)stream\r?\n(.*?)endstream", re.S)
MAX_INFLATED = 50 * 1024 * 1024  # an object stream is read up to this much, never more (no zip bomb)


def _unescape(data: bytes) -> bytes:
    """PDF names may spell a character as #xx (/J#61vaScript is /JavaScript)."""
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def pdf_has_actions(data: bytes) -> bool:
    """Whether a PDF names a JavaScript or Launch action: in its objects outside streams, or inside its
    compressed object streams (where PDF 1.5+ keeps dictionaries). Page contents, images and fonts (the
    other streams) are not read, so their bytes cannot look like an action by chance."""
    if _ACTION.search(_unescape(_STREAM.sub(b" ", data))):
        return True
    for match in _STREAM.finditer(data):
        header = _unescape(data[data.rfind(b"obj", 0, match.start()):match.start()])
        if b"/ObjStm" not in header or b"/FlateDecode" not in header:
            continue
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), MAX_INFLATED)
        except zlib.error:
            continue
        if _ACTION.search(_unescape(inflated)):
            return True
    return False


_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def image_size(data: bytes, content_type: str) -> tuple[int, int] | None:
    """(width, height) from a PNG's IHDR or a JPEG's frame header, without decoding; None if not found."""
    if content_type == "image/png" and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if content_type == "image/jpeg":
        i = 2
        while i + 9 <= len(data) and data[i] == 0xFF:
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in _JPEG_FRAMES:
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return width, height
            i += 2 + length
    return None


def served_name(name: str, content_type: str) -> str:
    """The name a file is served under: the person's name, with the extension of what the file is
    (``polyglot.html`` holding a PDF is served as ``polyglot.pdf``, ``run.pdf.bat`` as ``run.pdf.pdf``)."""
    base = clean_name(name) or "file"
    wanted = EXTENSIONS.get(content_type)
    if wanted is None:
        return base
    stem, dot, ext = base.rpartition(".")
    if dot and ext.lower() in wanted:
        return base
    return f"{stem if dot and stem else base}.{wanted[0]}"


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
                            filename=served_name(filename, content_type))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
