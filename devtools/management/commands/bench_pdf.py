"""Benchmark of the PDF pipeline: the 申报表 (附件1) of an application with 10 members in the shipped
CJK font, against the same template with Latin filler in DejaVu Sans. Not a test: it prints numbers.

    .venv/bin/python manage.py bench_pdf [--runs 7] [--members 10] [--out DIR] [--previews DIR]

``--previews docs/img`` also writes the README pictures: page 1 of the sample 申报表 and the sample plaque
certificate as PNG (``pdftoppm -png -r 60 -f 1 -l 1``).

Target (issue 6): median(CJK) / median(Latin) ≤ 1.5 and a PDF under 300 KB.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from itertools import cycle
from pathlib import Path

from django.core.management.base import BaseCommand

from qinshui_station.documents.contexts import (
    application_form_context,
    certificate_context,
    sample_application,
    sample_station,
)
from qinshui_station.documents.render import html_to_pdf, render_html, render_pdf

TEMPLATE = "documents/application_form.html"
LATIN_CSS = ':root { font-family: "DejaVu Sans"; }'
# Hanzi, CJK punctuation and full-width forms: everything the Latin variant must not contain.
CJK = re.compile(r"[\u2e80-\u303f\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")
FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore"


def latin_filler(html: str) -> str:
    """The same HTML with every CJK character replaced by one or two Latin letters in turn (a space
    after every third), so the text keeps about the same width (~1 em a character) and line breaks."""
    letters = cycle(FILLER.replace(" ", ""))
    count = 0

    def swap(_match):
        nonlocal count
        count += 1
        text = next(letters) + (next(letters) if count % 2 else "")
        return text + (" " if count % 3 == 0 else "")

    return CJK.sub(swap, html)


class Command(BaseCommand):
    help = "Time the 申报表 PDF in the shipped CJK font against the same layout in Latin/DejaVu Sans."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="timed renders of each variant (after one warm-up)")
        parser.add_argument("--members", type=int, default=10, help="proposed members in the sample application")
        parser.add_argument("--out", type=Path, help="directory to write the two PDFs to")
        parser.add_argument("--previews", type=Path, help="directory to write the README's PNG previews to")

    def handle(self, *args, runs: int, members: int, out: Path | None, previews: Path | None, **options):
        context = application_form_context(sample_application(members))
        cjk_html = render_html(TEMPLATE, context)
        latin_html = latin_filler(cjk_html)
        assert not CJK.search(latin_html)

        def cjk():
            return html_to_pdf(render_html(TEMPLATE, context))

        def latin():
            return html_to_pdf(latin_html, extra_css=LATIN_CSS)

        warm_start = time.perf_counter()
        cjk_pdf = cjk()
        first = time.perf_counter() - warm_start
        latin_pdf = latin()
        times: dict[str, list[float]] = {"cjk": [], "latin": []}
        for _ in range(runs):  # interleaved, so drift of the machine affects both alike
            for name, fn in (("cjk", cjk), ("latin", latin)):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
        cjk_median = statistics.median(times["cjk"])
        latin_median = statistics.median(times["latin"])
        ratio = cjk_median / latin_median
        if out:
            out.mkdir(parents=True, exist_ok=True)
            (out / "bench-application-cjk.pdf").write_bytes(cjk_pdf)
            (out / "bench-application-latin.pdf").write_bytes(latin_pdf)
        w = self.stdout.write
        w(f"申报表 with {members} members, {runs} timed runs each after one warm-up (first render in this "
          f"process, fonts loaded: {first:.3f} s)")
        w(f"  CJK   (Qinshui Sans CJK): median {cjk_median:.3f} s  min {min(times['cjk']):.3f}  "
          f"max {max(times['cjk']):.3f}  PDF {len(cjk_pdf) / 1024:.1f} KB ({count_pages(cjk_pdf)} pages)")
        w(f"  Latin (DejaVu Sans):      median {latin_median:.3f} s  min {min(times['latin']):.3f}  "
          f"max {max(times['latin']):.3f}  PDF {len(latin_pdf) / 1024:.1f} KB ({count_pages(latin_pdf)} pages)")
        verdict = "OK" if ratio <= 1.5 and len(cjk_pdf) < 300 * 1024 else "OVER TARGET"
        w(f"  ratio CJK/Latin: {ratio:.2f} (target ≤ 1.5); CJK PDF < 300 KB: {len(cjk_pdf) < 300 * 1024} → {verdict}")
        if previews:
            previews.mkdir(parents=True, exist_ok=True)
            certificate = render_pdf("documents/plaque_certificate.html", certificate_context(sample_station()))
            for name, pdf in (("application-form-page1", cjk_pdf), ("plaque-certificate", certificate)):
                subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-",
                                str(previews / name)], input=pdf, check=True)
                w(f"  wrote {previews / name}.png")


def count_pages(pdf: bytes) -> str:
    """Pages as pdfinfo (poppler-utils) counts them; "?" without it."""
    try:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return match.group(1) if match else "?"
