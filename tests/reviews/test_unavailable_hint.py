"""Why 提交评估申请 is not offered yet, on the evaluation's page: the missing parts as one sentence, joined with ；
(it read “请填写工作站工作开展情况。；请填写工作站联系人。；…”, a full stop before every semicolon)."""

from django.urls import reverse

from reviews.sheets import Rubric
from tests.reviews import factories as rf


def test_the_missing_parts_of_a_draft_are_one_sentence(client, rubric, hr_user):
    evaluation = rf.evaluation_in_round(rf.open_round(hr_user))
    items = [item.text for item in Rubric.load(evaluation.round.rubric_id).judged_items]
    client.force_login(rf.unit_user_of(evaluation.workstation))
    html = client.get(reverse("reviews:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert ("<strong>暂不能“提交评估申请”：</strong>请填写工作站工作开展情况；请填写工作站联系人；以下考核细则尚未自评："
            + "；".join(items) + "</p>") in html
    assert "。；" not in html
