"""One mark for a required field on every page, in both languages: the asterisk crispy writes
(``<span class="asteriskField">*</span>``, the input ``required``). Three hand-written boxes said 理由（必填）,
疑问（必填，将通知单位） and 核查结论（必填） ("Reason (required)" in English) beside the asterisks of every form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding import services as funding
from tests.funding.factories import disbursed_station, first_tranche, funded_station, spend
from tests.reviews import factories as rf

pytestmark = pytest.mark.django_db
OTHER_MARKS = ("必填）", "（必填", "(required", "required)")


def _pages(hr_user, finance_user, unit_user) -> list[str]:
    """A representative set of pages with required fields: the tranche's cancel step (confirm.html with a
    reason), the expenditure's 疑问 and then its 核查结论 box, an evaluation's 退回修改 step, HR's round form."""
    _ws, grant = funded_station(hr=hr_user)
    station, _g = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    expenditure = spend(station, unit_user, Decimal("8000.00"), code="talent-training", description="外出考察")
    questioned = spend(station, unit_user, Decimal("500.00"), code="talent-training", description="资料费")
    funding.question_expenditure(expenditure_id=questioned.pk, actor=hr_user, reason="票据抬头不符")
    evaluation = rf.evaluation_in_round(rf.open_round(hr_user))
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    return [reverse("funding:tranche_detail", args=[first_tranche(grant).pk]),
            reverse("funding:expenditure_detail", args=[expenditure.pk]),
            reverse("funding:expenditure_detail", args=[questioned.pk]),
            evaluation.get_absolute_url(), reverse("reviews:round_create")]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_marks_a_required_field_otherwise_than_with_the_asterisk(client, hr_user, finance_user, unit_user,
                                                                         language):
    urls = _pages(hr_user, finance_user, unit_user)
    client.force_login(hr_user)
    client.cookies["django_language"] = language
    shown = {}
    for url in urls:
        html = client.get(url).content.decode()
        shown[url] = ([mark for mark in OTHER_MARKS if mark in html], html.count('<span class="asteriskField">*</span>'))
    assert {url: found for url, (found, _stars) in shown.items()} == {url: [] for url in urls}
    assert all(stars >= 1 for _found, stars in shown.values()), shown


@pytest.mark.parametrize(("language", "reason", "question", "finding"), [
    ("zh-hans", "理由", "疑问（将通知单位）", "核查结论"),
    ("en", "Reason", "Question (the unit is notified)", "Finding"),
])
def test_the_hand_written_boxes_carry_the_asterisk(client, hr_user, finance_user, unit_user, language, reason,
                                                   question, finding):
    station, _grant = disbursed_station(hr=hr_user, finance=finance_user, unit=unit_user.organization)
    expenditure = spend(station, unit_user, Decimal("8000.00"), code="talent-training", description="外出考察")
    client.force_login(hr_user)
    client.cookies["django_language"] = language
    html = client.get(reverse("funding:expenditure_detail", args=[expenditure.pk])).content.decode()
    assert (f'<label class="form-label requiredField" for="question-reason">{question}'
            '<span class="asteriskField">*</span></label>') in html
    funding.question_expenditure(expenditure_id=expenditure.pk, actor=hr_user, reason="票据抬头不符")
    html = client.get(reverse("funding:expenditure_detail", args=[expenditure.pk])).content.decode()
    assert (f'<label class="form-label requiredField" for="reason-uphold">{reason}'
            '<span class="asteriskField">*</span></label>') in html
    assert (f'<label class="form-label requiredField" for="clear-reason">{finding}'
            '<span class="asteriskField">*</span></label>') in html
