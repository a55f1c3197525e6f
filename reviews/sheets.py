"""A rubric version loaded once (3 queries) and the data-driven computation of a score sheet.

For version "2023" the results agree with the fixed functions of ``reviews.scoring``
(tests/reviews/test_rubric_data.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reviews import scoring
from reviews.models import CountRule, ItemKind, RubricCategory, RubricItem, RubricVersion


@dataclass
class Rubric:
    version: RubricVersion
    categories: list[RubricCategory]
    items: list[RubricItem]
    rules: list[CountRule]
    rules_by_item: dict[int, list[CountRule]] = field(default_factory=dict)

    @classmethod
    def load(cls, version: RubricVersion | int) -> Rubric:
        if not isinstance(version, RubricVersion):
            version = RubricVersion.objects.get(pk=version)
        categories = list(version.categories.order_by("order"))
        items = list(version.items.order_by("order"))
        rules = list(version.count_rules.order_by("order"))
        rubric = cls(version, categories, items, rules)
        for rule in rules:
            if rule.item_id is not None:
                rubric.rules_by_item.setdefault(rule.item_id, []).append(rule)
        return rubric

    @property
    def judged_items(self) -> list[RubricItem]:
        return [i for i in self.items if i.kind == ItemKind.JUDGED]

    @property
    def counted_items(self) -> list[RubricItem]:
        return [i for i in self.items if i.kind == ItemKind.COUNTED]

    @property
    def bonus_rules(self) -> list[CountRule]:
        return [r for r in self.rules if r.item_id is None]

    @property
    def item_rules(self) -> list[CountRule]:
        return [r for r in self.rules if r.item_id is not None]

    def counted_points(self, item: RubricItem, counts: dict[int, int]) -> Decimal:
        """A counted item's points from the counts (rule id → count), capped at the item's maximum."""
        return scoring.capped([(r.points_each, counts.get(r.pk, 0)) for r in self.rules_by_item.get(item.pk, [])],
                              item.max_points)

    def bonus(self, counts: dict[int, int]) -> Decimal:
        return scoring.capped([(r.points_each, counts.get(r.pk, 0)) for r in self.bonus_rules],
                              self.version.bonus_cap)

    def sheet(self, judged: dict[int, Decimal], counts: dict[int, int]) -> dict[int, Decimal]:
        """Every item's points: the judged ones as given, the counted ones computed."""
        points = {item.pk: Decimal(judged[item.pk]) for item in self.judged_items if item.pk in judged}
        for item in self.counted_items:
            points[item.pk] = self.counted_points(item, counts)
        return points
