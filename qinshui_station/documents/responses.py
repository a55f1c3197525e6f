"""One way for every PDF view to answer when rendering fails: the record is untouched (rendering stores
nothing until it succeeds), the failure is logged, and the person is sent back with a message instead of
a server error."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from qinshui_station.documents.names import download_name

logger = logging.getLogger(__name__)


def document_or_message(request, produce: Callable[[], HttpResponse], *, back, what: str) -> HttpResponse:
    """``produce()`` renders and returns the response; on failure redirect to ``back`` (a URL or a model
    with get_absolute_url) with a message naming the document ``what``."""
    try:
        return produce()
    except Http404:
        raise
    except Exception:
        logger.exception("Rendering %s failed (%s)", what, request.path)
        messages.error(request, _("%(what)s暂时无法生成，相关记录未受影响。请稍后再试；如仍不能生成，请联系县人社局。")
                       % {"what": what})
        return redirect(back)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(spool, *, filename: str) -> FileResponse:
    """A workbook written to a temporary file (openpyxl write-only), streamed as a download nobody caches."""
    response = FileResponse(spool, as_attachment=True, content_type=XLSX, filename=download_name(filename))
    response["Cache-Control"] = "private, no-store"
    return response
