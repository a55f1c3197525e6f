"""A round's window with its closing date before its opening date is refused at the closing date (it was said at the
top of the form, by the table's constraint)."""

from django.urls import reverse

from reviews.models import EvaluationRound
from tests.reviews import factories as rf


def test_a_reversed_window_is_refused_once_at_the_closing_date(client, rubric, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_create"), {"year": "2031", "rubric": str(rubric.version.pk),
                                                             "opens_on": "2031-03-20", "closes_on": "2031-03-01"})
    html = response.content.decode()
    assert response.context["form"].errors == {"closes_on": ["截止日期不能早于开始日期。"]}
    assert html.count("截止日期不能早于开始日期。") == 1
    assert '<strong>截止日期不能早于开始日期。</strong>' in html[html.index('id="div_id_closes_on"'):]
    assert not EvaluationRound.objects.filter(year=2031).exists()


def test_a_reversed_window_on_the_rounds_page_is_refused_at_the_closing_date(client, rubric, hr_user):
    round_ = rf.open_round(hr_user)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_window", args=[round_.pk]),
                           {"opens_on": f"{round_.year}-03-20", "closes_on": f"{round_.year}-03-01"})
    assert response.status_code == 400
    assert response.context["window_form"].errors == {"closes_on": ["截止日期不能早于开始日期。"]}
    assert response.content.decode().count("截止日期不能早于开始日期。") == 1
