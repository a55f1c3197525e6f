"""A refused form of the evaluation's pages comes back as a 400 with what was typed, as every other page's
refused form does (opening a round, the 申请表, the scoring sheet, a revocation and a ledger entry came back 200)."""

import pytest
from django.urls import reverse

from reviews.models import EvaluationRound, LedgerEntry
from reviews.sheets import Rubric
from tests.reviews import factories as rf


@pytest.fixture
def evaluation(rubric, hr_user):
    return rf.evaluation_in_round(rf.open_round(hr_user))


def test_opening_a_round_with_its_window_reversed_is_a_400(client, rubric, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_create"), {"year": "2031", "rubric": str(rubric.version.pk),
                                                             "opens_on": "2031-03-20", "closes_on": "2031-03-01"})
    assert response.status_code == 400
    assert 'value="2031-03-20"' in response.content.decode()
    assert not EvaluationRound.objects.filter(year=2031).exists()


def test_a_self_score_above_the_maximum_is_a_400_with_the_values_typed(client, evaluation):
    unit_user = rf.unit_user_of(evaluation.workstation)
    item = Rubric.load(evaluation.round.rubric_id).judged_items[0]
    client.force_login(unit_user)
    response = client.post(reverse("reviews:evaluation_edit", args=[evaluation.pk]),
                           {"contact_person": "王芳", f"item_{item.pk}": "9"})
    assert response.status_code == 400
    assert response.context["form"].errors[f"item_{item.pk}"] == ["不能大于2。"]
    assert 'value="王芳"' in response.content.decode()


def test_a_score_above_the_maximum_is_a_400(client, evaluation, hr_user, expert):
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    from reviews import services

    assignment = services.assign_expert(actor=hr_user, evaluation_id=evaluation.pk, expert_id=expert.pk)
    item = Rubric.load(evaluation.round.rubric_id).judged_items[1]
    client.force_login(expert)
    response = client.post(reverse("reviews:score", args=[assignment.pk]), {f"item_{item.pk}": "5.5"})
    assert response.status_code == 400
    assert response.context["form"].errors[f"item_{item.pk}"] == ["不能大于5。"]


def test_a_revocation_without_its_facts_is_a_400(client, rubric, hr_user):
    station = rf.first_year_station(2031)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:revoke", args=[station.pk]),
                           {"ground": "leader_left", "facts": "", "on": "2026-09-01", "confirm": "1"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["facts"]


def test_a_ledger_entry_without_its_date_is_a_400(client, evaluation):
    client.force_login(rf.unit_user_of(evaluation.workstation))
    response = client.post(reverse("reviews:ledger", args=[evaluation.workstation_id]),
                           {"kind": "project", "title": "排采设备改造", "occurred_on": ""})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["occurred_on"]
    assert not LedgerEntry.objects.exists()


def test_a_score_off_the_half_point_steps_is_refused_in_plain_chinese(client, evaluation, hr_user, expert):
    """Django's own wording was “确保此值是步长 0.5 的倍数，从 0 开始，例如 0、0.5、1.0 等等。”; a maximum read “不能大于2.0。”."""
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    from reviews import services

    assignment = services.assign_expert(actor=hr_user, evaluation_id=evaluation.pk, expert_id=expert.pk)
    item = Rubric.load(evaluation.round.rubric_id).judged_items[0]
    client.force_login(expert)
    response = client.post(reverse("reviews:score", args=[assignment.pk]), {f"item_{item.pk}": "1.3"})
    assert response.context["form"].errors[f"item_{item.pk}"] == ["须为0.5的整数倍，如0、0.5、1.0。"]


def test_a_revocation_without_ground_or_facts_asks_for_each_by_name(client, rubric, hr_user):
    station = rf.first_year_station(2031)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:revoke", args=[station.pk]),
                           {"ground": "", "facts": "", "on": "2026-09-01", "confirm": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"ground": ["请选择“撤销情形（第十条）”。"],
                                               "facts": ["请填写“事实与依据”。"]}


def test_a_revocation_without_its_box_ticked_says_so_at_the_box_and_keeps_what_was_typed(client, rubric, hr_user):
    """The unticked confirmation was reported at the top of the form; it is said at the box (described by it), the
    facts typed stay, and nothing is revoked."""
    station = rf.first_year_station(2031)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:revoke", args=[station.pk]),
                           {"ground": "leader_left", "facts": "领办人已调离本单位", "on": "2026-09-01"})
    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {}
    assert ('aria-describedby="confirm-revoke-error"' in html
            and '<div class="invalid-feedback d-block" id="confirm-revoke-error">请勾选确认后再撤销。</div>' in html)
    assert "领办人已调离本单位" in html
    station.refresh_from_db()
    assert station.state != "revoked"
    # a missing fact and the unticked box: both said, each at its place
    response = client.post(reverse("reviews:revoke", args=[station.pk]),
                           {"ground": "leader_left", "facts": "", "on": "2026-09-01"})
    assert list(response.context["form"].errors) == ["facts"] and response.context["confirm_error"]
