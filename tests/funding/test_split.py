from decimal import Decimal

import pytest

from funding.tranches import split

D = Decimal


@pytest.mark.parametrize("amount,first,second", [
    ("100000", "40000.00", "60000.00"),
    ("1", "0.40", "0.60"),
    ("0.01", "0.00", "0.01"),
    ("33333.33", "13333.33", "20000.00"),
    ("99999.99", "40000.00", "59999.99"),
    ("0.05", "0.02", "0.03"),  # 0.02 exactly: no rounding
    ("0.02", "0.01", "0.01"),  # 0.008 rounds up to 0.01
])
def test_split(amount, first, second):
    result = split(D(amount))
    assert result == (D(first), D(second))
    assert str(result[0]) == first and str(result[1]) == second
    assert sum(result) == D(amount)


def test_first_tranche_rounds_to_the_nearest_fen():
    # A whole-fen amount × 40% has three decimals, the last even: 0.028 → 0.03 (up), 0.024 → 0.02 (down).
    assert split(D("0.07")) == (D("0.03"), D("0.04"))
    assert split(D("0.06")) == (D("0.02"), D("0.04"))
    assert split(D("1.01")) == (D("0.40"), D("0.61"))


@pytest.mark.parametrize("amount", [D("0"), D("0.00"), D("-1"), D("-100000.00")])
def test_zero_and_negative_are_refused(amount):
    with pytest.raises(ValueError):
        split(amount)


def test_float_is_refused():
    with pytest.raises(TypeError):
        split(100000.0)
