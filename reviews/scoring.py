"""The arithmetic of the annual evaluation (第九条, 附件2).

The six functions at the top have fixed names and signatures (SPEC.md, "Domain functions with fixed
names"): they give the values of the county's 2023 rubric. The rubric itself is data
(``reviews.models.RubricVersion``); ``counted_points`` and ``capped_bonus`` compute any version from its
rules, and for version "2023" they agree with the fixed functions (tests/reviews/test_rubric_data.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

EXCELLENT = "excellent"
QUALIFIED = "qualified"
UNQUALIFIED = "unqualified"

# 第九条: 60 分以下不合格，60 分（含）以上 90 分以下合格，90 分（含）以上优秀.
QUALIFIED_FROM = Decimal("60")
EXCELLENT_FROM = Decimal("90")

TWO_PLACES = Decimal("0.01")


def _counts(**counts: int) -> None:
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number, got {value!r}")
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")


def capped(points: Iterable[tuple[Decimal, int]], cap: Decimal) -> Decimal:
    """Σ points-per-count × count, at most ``cap``. Counts must be whole and not negative."""
    total = Decimal("0")
    for each, count in points:
        _counts(count=count)
        total += Decimal(each) * count
    return min(total, Decimal(cap))


def patent_points(inventions: int, utility_models: int) -> Decimal:
    """3 per invention patent, 2 per utility-model patent, at most 8."""
    _counts(inventions=inventions, utility_models=utility_models)
    return capped([(Decimal(3), inventions), (Decimal(2), utility_models)], Decimal(8))


def award_points(county: int, city: int, province: int, national: int) -> Decimal:
    """Innovation or progress awards: county 1, city 2, province 3, national 4 each, at most 7."""
    _counts(county=county, city=city, province=province, national=national)
    return capped([(Decimal(1), county), (Decimal(2), city), (Decimal(3), province), (Decimal(4), national)],
                  Decimal(7))


def promotion_points(count: int) -> Decimal:
    """New technologies or processes promoted with a benefit: 5 each, at most 15."""
    _counts(count=count)
    return capped([(Decimal(5), count)], Decimal(15))


def bonus_points(city_presentations: int, county_commendations: int, city_commendations: int) -> Decimal:
    """加分: a city-level-or-higher presentation +3, a county commendation +2, a city-level-or-higher
    commendation +3; the bonus total is at most 10."""
    _counts(city_presentations=city_presentations, county_commendations=county_commendations,
            city_commendations=city_commendations)
    return capped([(Decimal(3), city_presentations), (Decimal(2), county_commendations),
                   (Decimal(3), city_commendations)], Decimal(10))


def grade_for(total: Decimal) -> str:
    total = Decimal(total)
    if total >= EXCELLENT_FROM:
        return EXCELLENT
    if total >= QUALIFIED_FROM:
        return QUALIFIED
    return UNQUALIFIED


def grade_in_round(total: Decimal, rank: int, quota: int) -> str:
    """``grade_for`` with the quota: an excellent total past the first ``quota`` places (``rank``, ties ranked
    alike and decided beforehand) is graded qualified."""
    grade = grade_for(total)
    return QUALIFIED if grade == EXCELLENT and rank > quota else grade


def excellent_quota(evaluated: int, unqualified: int, percent: int = 15) -> int:
    """At most floor(percent × (evaluated − unqualified) / 100) excellent grades, in integer arithmetic."""
    _counts(evaluated=evaluated, unqualified=unqualified, percent=percent)
    if unqualified > evaluated:
        raise ValueError(f"more unqualified ({unqualified}) than evaluated ({evaluated})")
    return percent * (evaluated - unqualified) // 100


def round_half_up(value: Decimal | Fraction, places: Decimal = TWO_PLACES) -> Decimal:
    """The total is rounded once, half up, to two decimals (SPEC.md). A Fraction keeps a mean exact
    until then (1/3 of 10 must not become 3.33 before it is added to anything)."""
    if isinstance(value, Fraction):
        scaled = value / Fraction(places)
        whole = scaled.numerator // scaled.denominator
        if (scaled - whole) * 2 >= 1:
            whole += 1
        return (Decimal(whole) * places).quantize(places)
    return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal]) -> Fraction:
    values = [Fraction(Decimal(v)) for v in values]
    if not values:
        raise ValueError("the mean of no values")
    return sum(values, Fraction(0)) / len(values)
