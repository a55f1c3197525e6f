"""HR's new-batch form says a reversed window and a subsidy of zero or less at the field that is wrong, once
(found walking HR with bad input, #14): the table's constraints alone said it at the top of the form."""

from decimal import Decimal

from applications.forms import BatchForm


def test_a_reversed_window_and_a_negative_subsidy_are_said_at_their_fields(db):
    form = BatchForm({"year": 2090, "filing_opens_on": "2090-12-31", "filing_closes_on": "2090-01-01",
                      "subsidy_amount": "-100"})
    assert not form.is_valid()
    assert form.errors == {"filing_closes_on": ["申报截止日期不能早于开始日期。"],
                           "subsidy_amount": ["建设补助金额必须大于零。"]}


def test_a_sound_batch_is_valid(db):
    form = BatchForm({"year": 2090, "filing_opens_on": "2090-01-01", "filing_closes_on": "2090-03-31",
                      "subsidy_amount": "100000.00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subsidy_amount"] == Decimal("100000.00")
