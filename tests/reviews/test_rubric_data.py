"""The rubric is data; for version 2023 the data-driven computation agrees with reviews.scoring."""

import itertools
from decimal import Decimal

from reviews import scoring
from reviews.models import RubricVersion


def test_version_2023_is_loaded_by_the_data_migration_with_the_forms_maxima(rubric):
    assert RubricVersion.objects.filter(code="2023").count() == 1
    assert [(c.name, c.max_points) for c in rubric.categories] == [
        ("制度建设", Decimal("15")), ("保障建设", Decimal("15")), ("技术攻关和研发", Decimal("30")),
        ("带徒传艺", Decimal("25")), ("技术交流", Decimal("15"))]
    assert sum(i.max_points for i in rubric.items) == Decimal("100")
    for category in rubric.categories:
        assert sum(i.max_points for i in rubric.items if i.category_id == category.pk) == category.max_points
    assert len(rubric.judged_items) == 14 and len(rubric.counted_items) == 3
    assert rubric.version.bonus_cap == Decimal("10") and rubric.version.excellent_percent == 15


def _by_code(rubric):
    return {r.code: r.pk for r in rubric.rules}, {i.code: i for i in rubric.items}


def test_patents_from_data_agree_with_patent_points(rubric):
    rules, items = _by_code(rubric)
    for inv, util in itertools.product(range(5), range(6)):
        counts = {rules["invention_patents"]: inv, rules["utility_patents"]: util}
        assert rubric.counted_points(items["patents"], counts) == scoring.patent_points(inv, util)


def test_awards_from_data_agree_with_award_points(rubric):
    rules, items = _by_code(rubric)
    for c, ci, p, n in itertools.product(range(4), repeat=4):
        counts = {rules["awards_county"]: c, rules["awards_city"]: ci, rules["awards_province"]: p,
                  rules["awards_national"]: n}
        assert rubric.counted_points(items["awards"], counts) == scoring.award_points(c, ci, p, n)


def test_promotion_from_data_agrees_with_promotion_points(rubric):
    rules, items = _by_code(rubric)
    for count in range(6):
        assert (rubric.counted_points(items["promotion"], {rules["promoted_technologies"]: count})
                == scoring.promotion_points(count))


def test_bonus_from_data_agrees_with_bonus_points(rubric):
    rules, _items = _by_code(rubric)
    for a, b, c in itertools.product(range(5), repeat=3):
        counts = {rules["city_presentations"]: a, rules["county_commendations"]: b, rules["city_commendations"]: c}
        assert rubric.bonus(counts) == scoring.bonus_points(a, b, c)
