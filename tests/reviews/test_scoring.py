"""The fixed domain functions of SPEC.md, at and past every edge."""

from decimal import Decimal

import pytest

from reviews.scoring import (
    award_points,
    bonus_points,
    excellent_quota,
    grade_for,
    mean,
    patent_points,
    promotion_points,
    round_half_up,
)

D = Decimal


@pytest.mark.parametrize(("inventions", "utility", "expected"), [
    (0, 0, D("0")), (1, 0, D("3")), (0, 1, D("2")), (2, 1, D("8")), (0, 4, D("8")),  # exactly at the cap
    (2, 2, D("8")), (3, 0, D("8")), (1, 3, D("8")), (10, 10, D("8")),  # past it
    (1, 2, D("7")),
])
def test_patent_points(inventions, utility, expected):
    assert patent_points(inventions, utility) == expected


@pytest.mark.parametrize(("counts", "expected"), [
    ((0, 0, 0, 0), D("0")), ((1, 0, 0, 0), D("1")), ((0, 1, 0, 0), D("2")), ((0, 0, 1, 0), D("3")),
    ((0, 0, 0, 1), D("4")), ((0, 0, 1, 1), D("7")), ((7, 0, 0, 0), D("7")), ((1, 1, 0, 1), D("7")),  # at the cap
    ((0, 0, 0, 2), D("7")), ((8, 0, 0, 0), D("7")), ((1, 1, 1, 1), D("7")),  # past it
    ((1, 1, 1, 0), D("6")),
])
def test_award_points(counts, expected):
    assert award_points(*counts) == expected


@pytest.mark.parametrize(("count", "expected"), [(0, D("0")), (1, D("5")), (2, D("10")), (3, D("15")), (4, D("15")),
                                                 (100, D("15"))])
def test_promotion_points(count, expected):
    assert promotion_points(count) == expected


def test_bonus_three_plus_three_plus_three_plus_two_is_ten_not_eleven():
    assert bonus_points(city_presentations=2, county_commendations=1, city_commendations=1) == D("10")


@pytest.mark.parametrize(("counts", "expected"), [
    ((0, 0, 0), D("0")), ((1, 0, 0), D("3")), ((0, 1, 0), D("2")), ((0, 0, 1), D("3")),
    ((0, 5, 0), D("10")), ((2, 2, 0), D("10")),  # exactly at the cap
    ((1, 1, 1), D("8")), ((3, 0, 0), D("9")), ((0, 0, 4), D("10")), ((4, 0, 0), D("10")), ((0, 6, 0), D("10")),
    ((5, 5, 5), D("10")),
])
def test_bonus_points(counts, expected):
    assert bonus_points(*counts) == expected


def test_scoring_functions_return_decimals():
    for value in (patent_points(1, 1), award_points(1, 0, 0, 0), promotion_points(1), bonus_points(1, 0, 0)):
        assert type(value) is Decimal


@pytest.mark.parametrize("call", [
    lambda: patent_points(-1, 0), lambda: patent_points(0, -1), lambda: award_points(0, 0, 0, -1),
    lambda: award_points(-1, 0, 0, 0), lambda: promotion_points(-1), lambda: bonus_points(0, -1, 0),
    lambda: bonus_points(-2, 0, 0), lambda: bonus_points(0, 0, -1), lambda: excellent_quota(-1, 0),
    lambda: excellent_quota(5, -1), lambda: excellent_quota(5, 6),
])
def test_negative_counts_and_more_unqualified_than_evaluated_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize(("total", "grade"), [
    (D("0"), "unqualified"), (D("59.99"), "unqualified"), (D("60"), "qualified"), (D("60.00"), "qualified"),
    (D("89.99"), "qualified"), (D("90"), "excellent"), (D("90.00"), "excellent"), (D("100"), "excellent"),
    (D("110"), "excellent"),
])
def test_grade_boundaries(total, grade):
    assert grade_for(total) == grade


@pytest.mark.parametrize(("evaluated", "unqualified", "quota"), [
    (0, 0, 0), (6, 0, 0), (7, 0, 1), (10, 0, 1), (20, 0, 3), (100, 0, 15),
    (7, 1, 0), (14, 1, 1), (20, 7, 1), (100, 10, 13), (100, 100, 0), (40, 0, 6),
])
def test_excellent_quota(evaluated, unqualified, quota):
    assert excellent_quota(evaluated, unqualified) == quota


def test_excellent_quota_takes_another_percent():
    assert excellent_quota(20, 0, percent=20) == 4


def test_round_half_up_of_an_exact_mean():
    assert round_half_up(mean([D("0.5"), D("0"), D("0"), D("0")])) == D("0.13")  # 0.125 → 0.13
    assert round_half_up(mean([D("10"), D("0"), D("0")])) == D("3.33")
    assert round_half_up(mean([D("20"), D("0"), D("0")])) == D("6.67")
