"""Hostile uploads through the real upload views of each app: refused with a clear Chinese message, no
record, nothing written anywhere (the temporary tree holding the storage root is compared before/after).

A name with path separators (only a crafted request sends one: browsers send the base name) never becomes a path:
Django's own multipart parser keeps only its last component, the file is stored under a random name inside the
storage root; ``uploads.validate_upload`` refuses a separator in a name given to it directly."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from datetime import timedelta
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Attachment, SiteVisitPhoto
from funding.models import ExpenditureDocument
from qinshui_station.uploads import validate_upload
from reviews.models import Evaluation, EvaluationAttachment, LedgerAttachment
from tests import factories as core
from tests.funding import factories as ff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LIMIT = 1024 * 1024  # UPLOAD_MAX_BYTES for these tests: 1 MB


@cache
def zip_bomb() -> bytes:
    """A small zip (about 100 KB) that expands to 100 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("bomb.bin", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(100):
                member.write(chunk)
    return buffer.getvalue()


def pdf_with(*objects: bytes) -> bytes:
    return b"%PDF-1.4\n" + b"".join(objects) + b"trailer<<>>\n%%EOF\n"


def object_stream(body: bytes) -> bytes:
    packed = zlib.compress(body)
    return (b"3 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(packed)
            + packed + b"\nendstream\nendobj\n")


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">II", width, height) + b"\x08\x02\x00\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
            + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + b"\0" * 64)


def jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + app0 + sof0 + b"\0" * 64


ACTIVE = "含有脚本或启动程序的动作（JavaScript、Launch），不能上传"
PIXELS = "超过了4000万像素的上限"
TYPE = "不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）"
HOSTILE = {
    # issue 15, finding 10
    "pdf_javascript": ("scan.pdf", lambda: pdf_with(b"1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj\n",
                                                   b"2 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n"), ACTIVE),
    "pdf_launch": ("scan.pdf", lambda: pdf_with(b"1 0 obj<</S/Launch/F(cmd.exe)>>endobj\n"), ACTIVE),
    "pdf_escaped_javascript": ("scan.pdf", lambda: pdf_with(b"1 0 obj<</S/J#61vaScript/J#53(app.alert(1))>>endobj\n"),
                               ACTIVE),
    "pdf_javascript_in_object_stream": ("scan.pdf", lambda: pdf_with(object_stream(b"2 0 <</S/JavaScript/JS(x)>>")),
                                        ACTIVE),
    "png_60000_by_60000": ("photo.png", lambda: png_header(60000, 60000), PIXELS),
    "jpeg_60000_by_60000": ("photo.jpg", lambda: jpeg_header(60000, 60000), PIXELS),
    "elf_executable": ("report.pdf", lambda: b"\x7fELF\x02\x01\x01\x00" + b"\0" * 256, TYPE),
    "pe_executable": ("setup.pdf", lambda: b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 56 + b"PE\0\0" + b"\0" * 200, TYPE),
    "html_as_pdf": ("page.pdf", lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", TYPE),
    "svg_as_png": ("photo.png", lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>',
                   TYPE),
    "zip_bomb_as_pdf": ("scan.pdf", zip_bomb, TYPE),
    "empty": ("empty.pdf", lambda: b"", "所选文件是空文件，请重新选择。"),
    "oversized": ("big.pdf", lambda: PDF + b"\0" * LIMIT, "超过了1 MB的上限"),
    "name_300_chars": ("材" * 296 + ".pdf", lambda: PDF, "文件名过长"),
}


def tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


class Endpoint:
    """One real upload view: who posts, where, with which other fields, and which table would hold the file."""

    def __init__(self, name, role, model, url, data, field):
        self.name, self.role, self.model, self.url, self.data, self.field = name, role, model, url, data, field


def endpoints(w) -> dict[str, Endpoint]:
    draft_eval = Evaluation.objects.create(
        round=w.round, workstation=core.WorkstationFactory(unit=w.a.unit, recognized_on=w.a.station.recognized_on))
    today = timezone.localdate()
    return {
        "applications_attachment": Endpoint(
            "applications_attachment", "unit", Attachment,
            reverse("applications:attachment_upload", args=[w.a.draft.pk]), {"kind": "application_report"}, "file"),
        "applications_photo": Endpoint(
            "applications_photo", "expert_assigned", SiteVisitPhoto,
            reverse("applications:photo_upload", args=[w.a.assignment.pk]), {}, "file"),
        "reviews_evidence": Endpoint(
            "reviews_evidence", "unit", EvaluationAttachment,
            reverse("reviews:attachment_add", args=[draft_eval.pk]), {"note": "专利证书"}, "file"),
        "reviews_ledger": Endpoint(
            "reviews_ledger", "unit", LedgerAttachment,
            reverse("reviews:ledger", args=[w.a.station.pk]),
            {"kind": "trained", "occurred_on": (today - timedelta(days=1)).isoformat(), "person_name": "孙师傅",
             "occupation": "钳工", "result": "取得高级工证书", "description": "带徒培养。"}, "files"),
        "funding_expenditure": Endpoint(
            "funding_expenditure", "unit", ExpenditureDocument,
            reverse("funding:expenditure_create", args=[w.a.station.pk]),
            {"spent_on": today.isoformat(), "category": ff.category("equipment").pk, "amount": "100.00",
             "description": "购置量具。"}, "documents"),
    }


ENDPOINTS = ["applications_attachment", "applications_photo", "reviews_evidence", "reviews_ledger",
             "funding_expenditure"]


@pytest.fixture
def upload_env(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_MAX_BYTES = LIMIT
    (tmp_path / "media").mkdir()
    return world, tmp_path


def post(w, endpoint: Endpoint, name: str, content: bytes):
    client = Client()
    client.force_login(w.users[endpoint.role])
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(endpoint.url, {**endpoint.data, endpoint.field: upload}, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("where", ENDPOINTS)
def test_a_hostile_upload_is_refused_with_a_message_and_nothing_is_written(upload_env, where, case):
    w, root = upload_env
    endpoint = endpoints(w)[where]
    name, content, message = HOSTILE[case]
    before_rows, before_tree = endpoint.model.objects.count(), tree(root)
    response = post(w, endpoint, name, content())
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert endpoint.model.objects.count() == before_rows
    assert tree(root) == before_tree


def post_crafted_name(w, endpoint: Endpoint, name: str, content: bytes):
    """A hand-built multipart body: Django's test client (like a browser) would send only the base name."""
    boundary = "qinshui-crafted-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in endpoint.data.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{endpoint.field}"; filename="{name}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    client = Client()
    client.force_login(w.users[endpoint.role])
    return client.post(endpoint.url, data=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}",
                       follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kept"), [("../../etc/passwd.pdf", "passwd.pdf"), ("..\\x.pdf", "x.pdf")])
@pytest.mark.parametrize("where", ENDPOINTS)
def test_a_name_with_path_separators_keeps_only_its_last_component(upload_env, where, name, kept):
    w, root = upload_env
    endpoint = endpoints(w)[where]
    before_rows = endpoint.model.objects.count()
    post_crafted_name(w, endpoint, name, PDF)
    assert endpoint.model.objects.count() == before_rows + 1
    stored = endpoint.model.objects.order_by("-pk").first()
    assert stored.original_name == kept
    assert Path(stored.file.path).resolve().is_relative_to((root / "media").resolve())
    assert not (root / "etc").exists() and not os.path.exists("/etc/passwd.pdf")


@pytest.mark.django_db
@pytest.mark.parametrize("where", ENDPOINTS)
def test_a_name_that_is_only_dots_is_no_file(upload_env, where):
    w, root = upload_env
    endpoint = endpoints(w)[where]
    before_rows, before_tree = endpoint.model.objects.count(), tree(root)
    response = post_crafted_name(w, endpoint, "..", PDF)
    assert response.status_code in (200, 400)
    assert endpoint.model.objects.count() == before_rows
    assert tree(root) == before_tree


@pytest.mark.django_db
@pytest.mark.parametrize("where", ENDPOINTS)
def test_the_crafted_request_path_accepts_a_plain_name(upload_env, where):
    """The same hand-built request with an ordinary name is stored as it is."""
    w, root = upload_env
    endpoint = endpoints(w)[where]
    before_rows = endpoint.model.objects.count()
    post_crafted_name(w, endpoint, "证书.pdf", PDF)
    assert endpoint.model.objects.count() == before_rows + 1
    stored = endpoint.model.objects.order_by("-pk").first()
    assert stored.original_name == "证书.pdf"
    assert Path(stored.file.path).resolve().is_relative_to((root / "media").resolve())


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\x.pdf", "a/b.pdf", ".."])
def test_the_validator_refuses_path_separators_given_directly(name):
    class RawUpload(io.BytesIO):  # Django's UploadedFile would already strip the directories
        size = len(PDF)

    raw = RawUpload(PDF)
    raw.name = name
    with pytest.raises(ValidationError) as error:
        validate_upload(raw)
    assert error.value.messages == ["文件名不能包含路径分隔符（/ 或 \\）。"]


@pytest.mark.parametrize("content", [
    pdf_with(b"1 0 obj<</Length 24>>stream\nBT (/JS /Launch) Tj ET\nendstream\nendobj\n"),  # page text, not an action
    pdf_with(object_stream(b"2 0 <</Type/Page>>")),
    png_header(8000, 5000), jpeg_header(4000, 3000),
], ids=["pdf_text_mentioning_js", "pdf_object_stream_without_actions", "png_40_megapixels", "jpeg_12_megapixels"])
def test_ordinary_files_pass_the_content_checks(content, settings):
    settings.UPLOAD_MAX_BYTES = LIMIT
    validate_upload(SimpleUploadedFile("ok.pdf", content))


@pytest.mark.parametrize("name,content,served", [
    ("polyglot.html", PDF, "polyglot.pdf"),
    ("run.pdf.bat", PDF, "run.pdf.pdf"),
    ("x.pdf\0.html", PDF, "x.pdf.pdf"),
    ("营业执照.PDF", PDF, "营业执照.PDF"),
    ("photo.jpeg.exe", jpeg_header(40, 30), "photo.jpeg.jpg"),
    ("scan", png_header(40, 30), "scan.png"),
], ids=["html_holding_pdf", "bat", "nul_html", "upper_case_pdf", "jpeg_named_exe", "no_extension"])
@pytest.mark.django_db
def test_a_download_is_named_after_what_the_file_is(upload_env, name, content, served):
    """Issue 15, finding 10: ``polyglot.html`` starting with %PDF- was served under its own name with ?download=1."""
    w, _root = upload_env
    endpoint = endpoints(w)["applications_attachment"]
    post_crafted_name(w, endpoint, name, content)
    stored = Attachment.objects.order_by("-pk").first()
    assert stored.application_id == w.a.draft.pk and stored.original_name == name.replace("\0", "")
    client = Client()
    client.force_login(w.users["unit"])
    response = client.get(reverse("applications:attachment_download", args=[w.a.draft.pk, stored.pk]) + "?download=1")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(served)}" in disposition or f'filename="{served}"' in disposition
