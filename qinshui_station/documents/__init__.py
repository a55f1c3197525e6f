"""PDF documents: one rendering module for the whole portal (see docs/documents.md).

- :func:`render_pdf` — a template under ``templates/documents/`` → PDF bytes (WeasyPrint, the shipped
  CJK font, local static files only, optional 'draft' watermark).
- :func:`store_rendering`, :func:`stored_or_render`, :func:`pdf_response` — a submitted record's
  document is rendered once, stored with its SHA-256 and served unchanged from then on.
"""

from qinshui_station.documents.render import DRAFT, html_to_pdf, render_html, render_pdf
from qinshui_station.documents.responses import document_or_message, xlsx_response
from qinshui_station.documents.stored import (
    DocumentIntegrityError,
    latest_rendering,
    pdf_response,
    store_rendering,
    stored_or_render,
)

__all__ = ["DRAFT", "DocumentIntegrityError", "document_or_message", "html_to_pdf", "latest_rendering", "pdf_response", "render_html",
           "render_pdf", "store_rendering", "stored_or_render", "xlsx_response"]
