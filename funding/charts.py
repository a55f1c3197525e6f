"""Spending by category as a horizontal bar chart, laid out and its bars written as SVG here, framed by the
template (funding/_chart.html): no script, no CDN, readable by a screen reader (role="img", a title and a
description), and the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from qinshui_station.punctuation import mark
from qinshui_station.templatetags.portal import yuan

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 110
MIN_BAR_AREA = 160
ROW = 34
BAR = 20
TOP = 8


@dataclass
class Bar:
    label: str
    amount: Decimal
    share: Decimal
    y: int
    text_y: int
    width: int


def label_width(labels) -> int:
    """The labels' column: 190, or wider for a longer label (English "Equipment purchase, upgrade and
    maintenance" ran off the chart's left edge) — a Chinese character 14 units wide at font-size 14, a Latin
    letter 8 at most — leaving the bars at least MIN_BAR_AREA."""
    widest = max((sum(8 if ord(c) < 0x2E80 else 14 for c in label) + 16 for label in labels), default=0)
    return min(max(LABEL_WIDTH, widest), WIDTH - VALUE_WIDTH - MIN_BAR_AREA)


def bar_chart(statement) -> dict:
    lines = statement.by_category
    left = label_width(str(line.category.label) for line in lines)
    bar_area = WIDTH - left - VALUE_WIDTH
    largest = max((line.amount for line in lines), default=Decimal(0))
    bars = []
    for i, line in enumerate(lines):
        width = 0
        if largest > 0 and line.amount > 0:
            width = max(1, int((line.amount / largest * bar_area).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        y = TOP + i * ROW
        bars.append(Bar(label=line.category.label, amount=line.amount, share=line.share, y=y,
                        text_y=y + BAR // 2 + 5, width=width))
    return {"bars": bars, "width": WIDTH, "height": TOP * 2 + ROW * len(bars), "spent": statement.spent,
            "desc": mark_safe(mark("；").join(  # noqa: S308 -- the labels escaped
                f"{escape(bar.label)} {yuan(bar.amount)}{mark('（')}{bar.share}%{mark('）')}" for bar in bars)),
            "marks": _marks(bars, left)}


def _marks(bars: list[Bar], left: int) -> str:
    """Each bar's group (its label, the bar, its amount) as SVG, in one pass rather than a dozen template nodes a
    bar; numbers as plain digits (never localized: SVG reads them), labels escaped."""
    return mark_safe("".join(  # noqa: S308 -- the labels escaped
        f'<g data-category="{escape(bar.label)}">\n'
        f'    <text x="{left - 8}" y="{bar.text_y}" text-anchor="end" font-size="14" fill="#212529">'
        f'{escape(bar.label)}</text>\n'
        f'    <rect x="{left}" y="{bar.y}" width="{bar.width}" height="{BAR}" fill="#a61b1b" '
        f'data-amount="{bar.amount}"></rect>\n'
        f'    <text x="{left + 8 + bar.width}" y="{bar.text_y}" font-size="13" fill="#495057">'
        f'{yuan(bar.amount)}</text>\n  </g>' for bar in bars))
