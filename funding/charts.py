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

# Each category in a row of its own: its label on a line, under it the bar and the amount after it. The
# SVG has no viewBox: its units are CSS pixels, the rows' width a share of the figure's, so that the text keeps its
# size at every width (a 640-unit drawing scaled to a 390 px phone wrote the labels 8 px high).
BAR_SHARE = Decimal(72)  # the longest bar, in % of the width (the rest holds its amount: 100 px on a phone)
ROW = 46
LABEL_Y = 15  # the label's baseline, from the row's top
BAR_Y = 21
BAR = 16
TOP = 4
LABEL_SIZE = 14
AMOUNT_SIZE = 13


@dataclass
class Bar:
    label: str
    amount: Decimal
    share: Decimal
    y: int
    percent: Decimal  # the bar's width, in % of the figure's


def bar_chart(statement) -> dict:
    lines = statement.by_category
    largest = max((line.amount for line in lines), default=Decimal(0))
    bars = []
    for i, line in enumerate(lines):
        percent = Decimal(0)
        if largest > 0 and line.amount > 0:
            percent = max(Decimal("0.5"), (line.amount / largest * BAR_SHARE).quantize(Decimal("0.1"),
                                                                                        rounding=ROUND_HALF_UP))
        bars.append(Bar(label=line.category.label, amount=line.amount, share=line.share, y=TOP + i * ROW,
                        percent=percent))
    return {"bars": bars, "height": TOP * 2 + ROW * len(bars), "spent": statement.spent,
            "desc": mark_safe(mark("；").join(  # noqa: S308 -- the labels escaped
                f"{escape(bar.label)} {yuan(bar.amount)}{mark('（')}{bar.share}%{mark('）')}" for bar in bars)),
            "marks": _marks(bars)}


def _marks(bars: list[Bar]) -> str:
    """Each bar's group (its label, the bar, its amount) as SVG, in one pass rather than a dozen template nodes a
    bar; numbers as plain digits (never localized: SVG reads them), labels escaped."""
    return mark_safe("".join(  # noqa: S308 -- the labels escaped
        f'<g data-category="{escape(bar.label)}">\n'
        f'    <text class="bar-label" x="0" y="{bar.y + LABEL_Y}" font-size="{LABEL_SIZE}" fill="#212529">'
        f'{escape(bar.label)}</text>\n'
        f'    <rect x="0" y="{bar.y + BAR_Y}" width="{bar.percent}%" height="{BAR}" fill="#a61b1b" '
        f'data-amount="{bar.amount}"></rect>\n'
        f'    <text x="{bar.percent}%" dx="6" y="{bar.y + BAR_Y + BAR - 3}" font-size="{AMOUNT_SIZE}" '
        f'fill="#495057">{yuan(bar.amount)}</text>\n  </g>' for bar in bars))
