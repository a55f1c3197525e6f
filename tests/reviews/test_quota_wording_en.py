"""The excellent quota in English reads "excellent places: 1", not "1 excellent places" (the walk's round page
with one place and a tie said "1 excellent places" and "(1 places left)")."""

import re

from django.urls import reverse
from django.utils import timezone

from reviews import services
from tests.reviews import factories as rf

TOP = dict(rf.FULL_JUDGED, inventions=3, awards=(0, 0, 1, 1), promoted=3)


def test_one_place_and_a_tie_in_english(rubric, hr_user, expert, client):
    round_ = rf.open_round(hr_user)
    a = rf.scored_evaluation(round_, hr_user, [expert], **TOP)
    rf.scored_evaluation(round_, hr_user, [expert], **TOP)
    for _ in range(5):
        rf.scored_evaluation(round_, hr_user, [expert], **rf.FULL_JUDGED)
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reviews:round_detail", args=[round_.pk])).content.decode()
    assert "7 scored, 0 of them unqualified; excellent places: 1." in html
    response = client.post(reverse("reviews:round_finalize", args=[round_.pk]), {"confirm": "1"})
    assert response.status_code == 400  # the refusal at the 定级并锁定 step itself
    step = response.content.decode().split('id="step-finalize"', 1)[1].split("</form>", 1)[0]
    said = re.findall(r'<div class="alert alert-danger py-2" role="alert">([^<]*)</div>', step)
    assert len(said) == 1
    assert re.match(r"These stations are tied across the excellent quota \(excellent places left: 1\); ", said[0])
    services.decide_tie(actor=hr_user, round_id=round_.pk, excellent_ids=[a.pk], reason="专利已转化")
    services.finalize_round(actor=hr_user, round_id=round_.pk)
    html = client.get(reverse("reviews:round_grades", args=[round_.pk])).content.decode()
    on = timezone.localdate()
    assert re.findall(r"Graded [^<]*", html) == [
        f"Graded {on:%B} {on.day}, {on.year}: 7 evaluated, 0 unqualified, excellent places: 1."]
