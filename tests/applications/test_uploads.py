"""Attachments: PDF/JPEG/PNG by content, a size limit, replacement keeps history, served through a view."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import AttachmentKind
from applications.workflow import State
from tests.applications.factories import PDF, PNG, ApplicationFactory, application_in, pdf

pytestmark = pytest.mark.django_db


def test_pdf_is_accepted_and_recorded_with_its_digest():
    app = ApplicationFactory()
    attachment = services.upload_attachment(actor=app.created_by, application_id=app.pk,
                                            kind=AttachmentKind.APPLICATION_REPORT, uploaded=pdf("申请报告.pdf"))
    assert (attachment.original_name, attachment.content_type, attachment.size) == ("申请报告.pdf", "application/pdf",
                                                                                    len(PDF))
    assert attachment.file.name.startswith("private/applications/")


def test_renamed_executable_is_refused():
    app = ApplicationFactory()
    exe = SimpleUploadedFile("营业执照.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError) as raised:
        services.upload_attachment(actor=app.created_by, application_id=app.pk,
                                   kind=AttachmentKind.BUSINESS_LICENCE, uploaded=exe)
    assert raised.value.message_dict == {
        "file": ["文件“营业执照.pdf”不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）。"]}
    assert app.attachments.count() == 0


def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    app = ApplicationFactory()
    big = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError) as raised:
        services.upload_attachment(actor=app.created_by, application_id=app.pk, kind=AttachmentKind.SIGNED_FORM,
                                   uploaded=big)
    assert raised.value.message_dict == {"file": ["文件“扫描件.pdf”大小为0.0 MB，超过了0 MB的上限。"]}


def test_replacing_a_file_keeps_the_old_one_in_the_history():
    app = ApplicationFactory()
    first = services.upload_attachment(actor=app.created_by, application_id=app.pk,
                                       kind=AttachmentKind.SIGNED_FORM, uploaded=pdf("旧.pdf"))
    second = services.upload_attachment(actor=app.created_by, application_id=app.pk,
                                        kind=AttachmentKind.SIGNED_FORM,
                                        uploaded=SimpleUploadedFile("新.png", PNG))
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert [a.original_name for a in app.current_attachments()] == ["新.png"]
    assert app.attachments.count() == 2
    assert second.content_type == "image/png"


def test_member_evidence_may_hold_several_files():
    app = ApplicationFactory()
    for name in ("证书1.pdf", "证书2.pdf"):
        services.upload_attachment(actor=app.created_by, application_id=app.pk,
                                   kind=AttachmentKind.MEMBER_EVIDENCE, uploaded=pdf(name))
    assert app.current_attachments().filter(kind=AttachmentKind.MEMBER_EVIDENCE).count() == 2


def test_unit_cannot_upload_after_submission():
    app = application_in(State.SUBMITTED)
    from qinshui_station.workflow import TransitionRefused

    with pytest.raises(TransitionRefused, match="申报已提交"):
        services.upload_attachment(actor=app.created_by, application_id=app.pk,
                                   kind=AttachmentKind.MEMBER_EVIDENCE, uploaded=pdf())


def test_upload_view_reports_the_refusal(client):
    app = ApplicationFactory()
    client.force_login(app.created_by)
    response = client.post(f"/applications/{app.pk}/attachments/",
                           {"kind": AttachmentKind.APPLICATION_REPORT,
                            "file": SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>")}, follow=True)
    assert "文件“a.pdf”不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）。" in response.content.decode()


def test_download_serves_the_file_privately(client):
    app = ApplicationFactory()
    attachment = services.upload_attachment(actor=app.created_by, application_id=app.pk,
                                            kind=AttachmentKind.APPLICATION_REPORT, uploaded=pdf("申请报告.pdf"))
    client.force_login(app.created_by)
    response = client.get(f"/applications/{app.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert (response["Content-Type"], response["Cache-Control"]) == ("application/pdf", "private, no-store")
