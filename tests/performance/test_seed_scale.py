"""``manage.py seed_scale`` (docs/performance.md): the years it covers, and a small dataset built through it."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from devtools.management.commands.seed_scale import dataset_day


@pytest.mark.parametrize("today,years,expected", [
    (date(2026, 11, 24), 5, date(2028, 11, 24)),   # five batches need 2023–2027: dated as of 2028
    (date(2026, 11, 24), 3, date(2026, 11, 24)),   # 2023–2025 exist already: today
    (date(2031, 6, 1), 5, date(2031, 6, 1)),
    (date(2024, 2, 29), 5, date(2028, 2, 28)),
])
def test_the_dataset_is_dated_when_that_many_years_exist(today, years, expected):
    assert dataset_day(today, years) == expected


@pytest.mark.django_db(transaction=True)
def test_five_years_of_batches_and_rounds_with_three_experts_each(capsys):
    from applications.models import Batch
    from reviews.models import Assignment, Evaluation, EvaluationRound

    call_command("seed_scale", stations=50, years=5, prefix="t")
    as_of = dataset_day(timezone.localdate(), 5)
    recognized = list(Batch.objects.filter(year__lt=as_of.year).order_by("year").values_list("year", flat=True))
    assert recognized == [as_of.year - 5 + i for i in range(5)]
    assert Batch.objects.filter(year=as_of.year).count() == 1  # this year's, open
    rounds = dict(EvaluationRound.objects.values_list("year", "state"))
    assert rounds == {**{year: "finalized" for year in range(as_of.year - 4, as_of.year)}, as_of.year: "open"}
    per_evaluation = {Assignment.objects.filter(evaluation=e).count() for e in Evaluation.objects.all()}
    assert per_evaluation == {3}
    assert f"as of {as_of}" in capsys.readouterr().out
    call_command("check_sums")  # what the services keep (sums, shared names) the seed kept too: no error
