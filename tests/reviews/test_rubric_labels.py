"""No number in exponent form (issue 14, item 7): Decimal("20").normalize() is 2E+1. Every rubric item's
label, on the unit's form and the expert's sheet, and the rubric's own names read as people write them."""

import re
from decimal import Decimal

import pytest

from qinshui_station.numbers import plain
from reviews.forms import EvaluationForm, ScoreForm
from tests.reviews.factories import rubric_2023

pytestmark = pytest.mark.django_db

EXPONENT = re.compile(r"\dE[+-]?\d")


@pytest.mark.parametrize("value,text", [(Decimal("20"), "20"), (Decimal("20.00"), "20"), (Decimal("2.50"), "2.5"),
                                        (Decimal("0.0"), "0"), (Decimal("100"), "100"), (None, "")])
def test_plain(value, text):
    assert plain(value) == text


def test_every_item_label_on_the_units_form_and_the_experts_sheet():
    rubric = rubric_2023()
    own = {f"item_{i.pk}": plain(i.max_points) for i in rubric.judged_items}
    unit, expert = EvaluationForm(rubric=rubric), ScoreForm(rubric=rubric)
    labels = [str(f.label) for f in unit.fields.values()] + [str(f.label) for f in expert.fields.values()]
    assert not [label for label in labels if EXPONENT.search(label)]
    assert unit.fields[next(k for k, v in own.items() if v == "20")].label == "自评得分（满分20分）"
    assert expert.fields[next(k for k, v in own.items() if v == "20")].label == "考核得分（0—20分）"
    assert not EXPONENT.search(unit.as_div()) and not EXPONENT.search(expert.as_div())


def test_every_item_and_category_name():
    rubric = rubric_2023()
    names = [str(i) for i in rubric.items] + [str(c) for c in rubric.categories]
    assert not [n for n in names if EXPONENT.search(n)]
    assert any(n.endswith("（20分）") for n in names)
