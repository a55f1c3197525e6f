"""HTML → PDF with WeasyPrint: the shipped CJK font, local files only, A4, an optional watermark.

Every document of the portal goes through :func:`render_pdf`. What can be reused between renders (the
font configuration with the shipped fonts registered, the parsed base stylesheet) is built once per
thread and kept, so a render costs only layout and writing the PDF.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

DRAFT = "草稿"

FONT_FAMILY = "Qinshui Sans CJK"
# After the shipped font: a character outside it (a rare name character beyond 通用规范汉字表, an
# emoji …) is drawn by the next installed font that has it, never as an empty box.
FALLBACK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "DejaVu Sans", "sans-serif")
FONT_FILES = {
    ("normal", 400): "QinshuiSansCJK-Regular.ttf",
    ("normal", 700): "QinshuiSansCJK-Bold.ttf",
}

_local = threading.local()


def static_root() -> Path:
    """The project's own static directory: the only place documents may load files from."""
    return (Path(settings.BASE_DIR) / "static").resolve()


def font_path(weight: int = 400) -> Path:
    return static_root() / "fonts" / FONT_FILES[("normal", weight)]


def font_family_css() -> str:
    return ", ".join([f'"{FONT_FAMILY}"'] + [f'"{f}"' if " " in f else f for f in FALLBACK_FAMILIES])


def font_face_css() -> str:
    rules = []
    for (style, weight), name in FONT_FILES.items():
        url = (static_root() / "fonts" / name).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: {style}; font-weight: {weight}; '
            f'src: url("{url}") format("truetype"); }}'
        )
    return "\n".join(rules) + f"\n:root {{ font-family: {font_family_css()}; }}\n"


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalStaticFetcher(URLFetcher):
        """Fetches ``file:`` URLs inside ``static/`` and nothing else: no network, no other files."""

        def __init__(self):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"documents load only local static files, not {url!r}")
            path = Path(unquote(parts.path)).resolve()
            root = static_root()
            if not path.is_relative_to(root) or not path.is_file():
                raise ValueError(f"documents load only files under {root}, not {url!r}")
            return super().fetch(path.as_uri(), headers)

    return LocalStaticFetcher


def url_fetcher():
    return _url_fetcher_class()()


def _resources():
    """(font configuration, base stylesheet, url fetcher) for this thread, built on first use."""
    cached = getattr(_local, "resources", None)
    key = (str(static_root()),)
    if cached is None or cached[0] != key:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fetcher = url_fetcher()
        font_config = FontConfiguration()
        base_css = (Path(settings.BASE_DIR) / "templates" / "documents" / "pdf.css").read_text(encoding="utf-8")
        stylesheet = CSS(string=font_face_css() + base_css, font_config=font_config, url_fetcher=fetcher,
                         base_url=static_root().as_uri() + "/")
        cached = (key, font_config, stylesheet, fetcher)
        _local.resources = cached
        if not _local.__dict__.get("release_registered"):
            # Drop the font configuration while the interpreter is still whole: its __del__ needs modules
            # that are already gone when thread-locals are cleared at shutdown.
            atexit.register(_local.__dict__.pop, "resources", None)
            _local.release_registered = True
    return cached[1:]


def render_html(template_name: str, context: dict, *, watermark: str | None = None) -> str:
    return render_to_string(template_name, {**context, "watermark": watermark})


def html_to_pdf(html: str, *, extra_css: str | None = None) -> bytes:
    """Lay out ``html`` with the shared fonts and stylesheet; ``extra_css`` is appended (benchmark)."""
    from weasyprint import CSS, HTML

    font_config, stylesheet, fetcher = _resources()
    stylesheets = [stylesheet]
    if extra_css:
        stylesheets.append(CSS(string=extra_css, font_config=font_config, url_fetcher=fetcher))
    document = HTML(string=html, base_url=static_root().as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config, uncompressed_pdf=False)


def render_pdf(template_name: str, context: dict, *, watermark: str | None = None) -> bytes:
    """Render a template under ``templates/documents/`` to PDF bytes.

    The template extends ``documents/base_pdf.html``; A4 portrait unless it sets its own ``@page``
    (the plaque certificate is A4 landscape). ``watermark`` (e.g. :data:`DRAFT`) is printed diagonally
    across every page.
    """
    return html_to_pdf(render_html(template_name, context, watermark=watermark))
