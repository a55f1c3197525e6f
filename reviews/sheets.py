"""A rubric version loaded once (one query) and the data-driven computation of a score sheet.

For version "2023" the results agree with the fixed functions of ``reviews.scoring``
(tests/reviews/test_rubric_data.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import get_language

from qinshui_station.kept_generation import generation
from reviews import scoring
from reviews.models import CountRule, ItemKind, RubricCategory, RubricItem, RubricVersion
from reviews.reads import Read, one

# Rubrics made from their rows, by the rows' text (Rubric.read): a rubric version's rows are data migrations' and
# never change while the portal runs, but the text is read every time and compared, so an edit would still show.
_made: dict[tuple, Rubric] = {}
_MADE_KEPT = 16


@dataclass
class Rubric:
    version: RubricVersion
    categories: list[RubricCategory]
    items: list[RubricItem]
    rules: list[CountRule]
    rules_by_item: dict[int, list[CountRule]] = field(default_factory=dict)
    # (settings' generation, language) → (model, pk) → the category's or item's name as a page shows it
    _labels: dict[tuple, dict] = field(default_factory=dict, repr=False, compare=False)

    def label(self, obj: RubricCategory | RubricItem) -> str:
        """``str(obj)`` of one of the rubric's categories or items (「名称（满分分）」), in the page's language,
        worked out once per language: a sheet names every item on every view."""
        labels = self._labels.setdefault((generation(), get_language()), {})
        key = (type(obj), obj.pk)
        found = labels.get(key)
        if found is None:
            found = labels[key] = str(obj)
        return found

    @classmethod
    def load(cls, version: RubricVersion | int) -> Rubric:
        """The version's categories, items and count rules, each in its order, in one query (three JSON arrays;
        a page that shows a sheet pays one round trip for the rubric, not three)."""
        if not isinstance(version, RubricVersion):
            version = RubricVersion.objects.get(pk=version)
        return one(cls.read(version))

    @classmethod
    def read(cls, version: RubricVersion) -> Read:
        """``load`` as a part of a page's one read (``reviews.reads.together``)."""
        models = (RubricCategory, RubricItem, CountRule)
        columns = tuple(f"(SELECT coalesce(json_agg(row_to_json(t) ORDER BY t.\"order\", t.id), '[]')::text "
                        f"FROM {model._meta.db_table} t WHERE t.version_id = %s)" for model in models)

        def parse(texts) -> Rubric:
            # The same rows (the texts just read, and the version's own fields) were turned into the same objects
            # before: reuse them. Nothing is kept from the database that this read did not read again; only the
            # work of making 30-odd model instances from identical text is saved (the scoring form and the
            # evaluation page on every view). The objects are only read, never changed, by their users.
            key = (version.pk, version.code, version.name, version.bonus_cap, version.excellent_percent, *texts)
            made = _made.get(key)
            if made is not None:
                return made
            made = _made[key] = _parse(texts)
            while len(_made) > _MADE_KEPT:  # the oldest out: a handful of versions exist
                del _made[next(iter(_made))]
            return made

        def _parse(texts) -> Rubric:
            categories, items, rules = ([_instance(model, row, version)
                                         for row in json.loads(text, parse_float=Decimal)]
                                        for model, text in zip(models, texts, strict=True))
            by_pk = {c.pk: c for c in categories}
            for item in items:
                item.category = by_pk[item.category_id]
            rubric = cls(version, categories, items, rules)
            for rule in rules:
                if rule.item_id is not None:
                    rubric.rules_by_item.setdefault(rule.item_id, []).append(rule)
            return rubric

        return Read(columns, (version.pk,) * len(models), parse)

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


def _instance(model, row: dict, version: RubricVersion):
    """A model instance from its row as PostgreSQL's row_to_json wrote it (columns by name, numerics as
    Decimals), as if loaded by the ORM; its version is the one loaded already."""
    fields = model._meta.concrete_fields
    obj = model.from_db(connection.alias, [f.attname for f in fields], [row[f.column] for f in fields])
    obj.version = version
    return obj
