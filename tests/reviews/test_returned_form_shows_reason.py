"""A returned 年度评估申请表 says why on its own pages: the unit that opens the form to correct it reads HR's
reason there, not only in a notification (the walk found both pages silent)."""

import re

from django.urls import reverse

from reviews import services
from tests.reviews import factories as rf

ALERT = re.compile(r'<div class="alert alert-warning" role="alert"><strong>(.*?)</strong> <span class="text-break">(.*?)</span>')


def _returned(hr_user, reason):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_)
    unit = rf.unit_user_of(evaluation.workstation)
    rf.file_evaluation(evaluation, unit)
    services.evaluation_transition(evaluation_id=evaluation.pk, actor=hr_user, to="returned", reason=reason)
    return evaluation, unit


def test_the_unit_reads_the_latest_return_reason_on_the_form_and_its_page(rubric, hr_user, client):
    evaluation, unit = _returned(hr_user, "缺少专利证书")
    services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit, to="submitted")
    services.evaluation_transition(evaluation_id=evaluation.pk, actor=hr_user, to="returned",
                                   reason="请补充发明专利证书\n及校企合作协议")
    client.force_login(unit)
    for name in ("reviews:evaluation_detail", "reviews:evaluation_edit"):
        html = client.get(reverse(name, args=[evaluation.pk])).content.decode()
        assert ALERT.findall(html) == [("县人社局已退回修改，理由：", "请补充发明专利证书<br>及校企合作协议")], name


def test_in_english_and_gone_once_resubmitted(rubric, hr_user, client):
    evaluation, unit = _returned(hr_user, "缺少专利证书")
    client.force_login(unit)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reviews:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert ALERT.findall(html) == [("Returned for revision by the county HR bureau. Reason: ", "缺少专利证书")]
    services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit, to="submitted")
    html = client.get(reverse("reviews:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert ALERT.findall(html) == []
