"""Stored copies: what the bureau stamped stays the copy on file.

A submitted record's document is rendered once (:func:`stored_or_render` with ``final=True``), saved
in private storage with its SHA-256 (:class:`~qinshui_station.models.RenderedDocument`) and served from
there afterwards, unchanged even when the record's data changes. A draft is rendered on demand with the
'draft' watermark and never stored. Serving goes through a view of the calling app that found the
record through its selector, and ends with :func:`pdf_response`, which checks the checksum.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse

from qinshui_station.documents.names import download_name
from qinshui_station.documents.render import DRAFT, html_to_pdf, render_html, render_pdf

logger = logging.getLogger(__name__)


class DocumentIntegrityError(Exception):
    """A stored copy no longer matches the checksum recorded when it was rendered."""


def _record_filter(obj, kind: str) -> dict:
    return {"content_type": ContentType.objects.get_for_model(type(obj)), "object_id": obj.pk, "kind": kind}


def latest_rendering(obj, kind: str):
    """The most recent stored copy of ``kind`` for ``obj``, or ``None``."""
    from qinshui_station.models import RenderedDocument

    return RenderedDocument.objects.filter(**_record_filter(obj, kind)).order_by("-rendered_at", "-pk").first()


def store_rendering(obj, kind: str, pdf_bytes: bytes, user=None):
    """Save ``pdf_bytes`` as the stored copy of ``kind`` for ``obj`` (a new row each call: a record
    that is resubmitted gets a new copy, the earlier ones stay on file)."""
    from qinshui_station.models import RenderedDocument

    if not pdf_bytes.startswith(b"%PDF-"):
        raise ValueError("store_rendering expects the bytes of a PDF")
    document = RenderedDocument(**_record_filter(obj, kind), sha256=hashlib.sha256(pdf_bytes).hexdigest(),
                                size=len(pdf_bytes), rendered_by=user if getattr(user, "pk", None) else None)
    document._sniffed_ext = "pdf"  # read by uploads.upload_to: private/<app>/<yyyy>/<mm>/<random>.pdf
    document.file.save(f"{kind}.pdf", ContentFile(pdf_bytes), save=False)
    document.full_clean()
    document.save()
    return document


def stored_or_render(obj, kind: str, *, template_name: str, context: Mapping | Callable[[], Mapping],
                     final: bool, user=None, watermark: str = DRAFT, since=None):
    """The document of ``obj`` to serve.

    ``final=True`` (the record has been submitted): the stored copy if there is one, otherwise render
    it now without watermark, store it and return the :class:`RenderedDocument`. The record's row is
    locked meanwhile so two simultaneous first downloads store one copy.
    ``final=False`` (a draft): render on demand with ``watermark`` and return the PDF bytes.
    ``context`` may be a callable, called only when a render is needed.
    ``since`` (a datetime, e.g. the record's latest submission): a stored copy rendered before it is
    out of date, so a new copy is rendered and stored (a resubmitted record gets a new copy).
    """
    if not final:
        html = render_html(template_name, dict(context() if callable(context) else context), watermark=watermark)
        return draft_pdf(obj, kind, html)
    existing = latest_rendering(obj, kind)
    if existing is not None and (since is None or existing.rendered_at >= since):
        return existing
    with transaction.atomic():
        type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
        existing = latest_rendering(obj, kind)
        if existing is not None and (since is None or existing.rendered_at >= since):
            return existing
        pdf = render_pdf(template_name, dict(context() if callable(context) else context))
        return store_rendering(obj, kind, pdf, user)


DRAFT_COPIES_KEPT = 3  # per record and kind: a few readers' versions of the same draft


def draft_pdf(obj, kind: str, html: str) -> bytes:
    """The PDF of a draft's ``html``, laid out once per content (issue 15, finding 3: a long draft took
    seconds to minutes and was laid out again on every request). Kept in private storage under the SHA-256
    of the HTML, which is everything the PDF prints, for whoever it was printed for; any edit gives new HTML
    and so a new copy. The newest ``DRAFT_COPIES_KEPT`` copies per record and kind are kept."""
    from qinshui_station.models import DraftRendering

    source = hashlib.sha256(html.encode("utf-8")).hexdigest()
    record = _record_filter(obj, kind)
    kept = DraftRendering.objects.filter(**record, source_sha256=source).first()
    if kept is not None:
        try:
            return verified_bytes(kept)
        except (DocumentIntegrityError, OSError):
            logger.warning("Draft copy %s unreadable; rendering again", kept.pk)
            _drop_drafts([kept])
    pdf = html_to_pdf(html)
    copy = DraftRendering(**record, source_sha256=source, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))
    copy._sniffed_ext = "pdf"
    try:
        with transaction.atomic():
            copy.file.save(f"{kind}-draft.pdf", ContentFile(pdf), save=False)
            copy.full_clean(validate_constraints=False)
            copy.save()
            older = list(DraftRendering.objects.filter(**record).order_by("-rendered_at", "-pk")[DRAFT_COPIES_KEPT:])
            _drop_drafts(older)
    except IntegrityError:  # the same draft was laid out by a parallel request and stored first
        copy.file.storage.delete(copy.file.name)
    return pdf


def _drop_drafts(copies) -> None:
    for copy in copies:
        name, storage = copy.file.name, copy.file.storage
        copy.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def verified_bytes(document) -> bytes:
    """The stored file's bytes, after checking them against the recorded SHA-256."""
    with document.file.open("rb") as fh:
        data = fh.read()
    if len(data) != document.size or hashlib.sha256(data).hexdigest() != document.sha256:
        logger.error("Stored document %s (%s) fails its checksum", document.pk, document.file.name)
        raise DocumentIntegrityError(f"stored document {document.pk} does not match its checksum")
    return data


def pdf_response(document, *, filename: str, inline: bool = True) -> FileResponse:
    """A PDF response from a stored copy (checksum verified) or from freshly rendered bytes."""
    data = document if isinstance(document, bytes | bytearray) else verified_bytes(document)
    response = FileResponse(io.BytesIO(data), content_type="application/pdf", as_attachment=not inline,
                            filename=download_name(filename))
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
