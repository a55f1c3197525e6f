"""Lists of the reviews pages written by plain functions (docs/performance.md): a dozen template nodes per entry
cost more than the rest of the block around them. Every text is escaped here."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from qinshui_station.punctuation import bracketed

register = template.Library()


@register.filter
def ledger_groups(ledger) -> str:
    """The year's ledger beside a sheet (reviews/_ledger_side.html), as ``selectors.evaluation_files`` groups it: each
    kind's heading with its count, then its entries with their files."""
    return mark_safe("".join(  # noqa: S308 -- every text escaped
        f'<h3 class="h6 mt-2 small fw-bold">{escape(bracketed(group["label"], len(group["entries"])))}</h3>\n'
        f'    <ul class="small ps-3 mb-1">{"".join(_entry(entry) for entry in group["entries"])}</ul>\n  '
        for group in ledger))


def _entry(entry) -> str:
    files = "".join(f'<a href="{escape(url)}" class="ms-1">{escape(name)}</a>' for url, name in entry["files"])
    return f'<li>{escape(entry["date"])} {escape(entry["text"])}\n      {files}</li>'
