"""第十一条: each station's subsidy is paid in two tranches, 40% on recognition and 60% after the final
acceptance. Money is Decimal to the fen; the two always sum to the grant."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
FIRST_SHARE = Decimal("0.40")


def split(amount: Decimal) -> tuple[Decimal, Decimal]:
    """(first, second): first = 40% rounded half up to the fen, second = the rest."""
    if isinstance(amount, float):
        raise TypeError("amounts are Decimal, never float")
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"not an amount: {amount!r}") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError("the grant amount must be greater than zero")
    try:
        in_fen = amount.quantize(FEN)
    except InvalidOperation:  # more digits than the decimal context holds (28): no real grant
        raise ValueError("the grant amount is too large") from None
    if amount != in_fen:
        raise ValueError("the grant amount must be in whole fen")
    first = (amount * FIRST_SHARE).quantize(FEN, rounding=ROUND_HALF_UP)
    return first, amount - first
