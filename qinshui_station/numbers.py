"""Numbers as people write them: never in exponent form."""

from __future__ import annotations

from decimal import Decimal


def plain(value) -> str:
    """``Decimal("20.00")`` → "20", ``Decimal("2.50")`` → "2.5", ``Decimal("0")`` → "0". ``normalize()``
    alone writes 20 as "2E+1"; the ``f`` format never uses an exponent."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "") else text
