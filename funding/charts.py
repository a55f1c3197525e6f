"""Spending by category as a horizontal bar chart, laid out here and drawn as SVG by the template
(funding/_chart.html): no script, no CDN, readable by a screen reader (role="img", a title and a
description), and the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
    return {"bars": bars, "width": WIDTH, "height": TOP * 2 + ROW * len(bars), "label_width": left,
            "bar_x": left, "bar_height": BAR, "value_x": left + 8, "spent": statement.spent}
