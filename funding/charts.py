"""Spending by category as a horizontal bar chart, laid out here and drawn as SVG by the template
(funding/_chart.html): no script, no CDN, readable by a screen reader (role="img", a title and a
description), and the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 110
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH
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


def bar_chart(statement) -> dict:
    lines = statement.by_category
    largest = max((line.amount for line in lines), default=Decimal(0))
    bars = []
    for i, line in enumerate(lines):
        width = 0
        if largest > 0 and line.amount > 0:
            width = max(1, int((line.amount / largest * BAR_AREA).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        y = TOP + i * ROW
        bars.append(Bar(label=line.category.label, amount=line.amount, share=line.share, y=y,
                        text_y=y + BAR // 2 + 5, width=width))
    return {"bars": bars, "width": WIDTH, "height": TOP * 2 + ROW * len(bars), "label_width": LABEL_WIDTH,
            "bar_x": LABEL_WIDTH, "bar_height": BAR, "value_x": LABEL_WIDTH + 8, "spent": statement.spent}
