"""SPEC.md "Panel votes": the experts who took part are a subset of the batch's panel; agree + disagree +
abstain = their number; "recommend" needs more than half of them agreeing; HR may correct the record, with a
reason, until the proposed list is published (issue 14, item 4)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import PanelConclusion
from applications.workflow import State
from qinshui_station.models import AuditEntry
from qinshui_station.workflow import TransitionRefused
from tests import factories as core
from tests.applications.factories import application_in, assign, publish

pytestmark = pytest.mark.django_db


def _in_review(experts: int):
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    panel = [assign(app).expert for _ in range(experts)]
    return app, panel


def _record(hr, app, participants, votes, **kwargs):
    return services.record_panel_conclusion(
        actor=hr, application_id=app.pk, votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2],
        summary="评议意见。", held_on=timezone.localdate(), participants=participants, **kwargs)


def test_five_votes_from_two_experts_are_refused_at_the_votes(hr_user):
    app, panel = _in_review(2)
    with pytest.raises(ValidationError) as raised:
        _record(hr_user, app, panel, (5, 0, 0))
    assert raised.value.message_dict == {"votes_for": [
        "同意、反对、弃权票合计5票，与参加评议的专家人数2人不符：每位参加评议的专家投一票。"]}
    assert not PanelConclusion.objects.filter(application=app).exists()


def test_a_participant_outside_the_batchs_panel_is_refused(hr_user):
    app, panel = _in_review(2)
    stranger = core.ExpertFactory()
    with pytest.raises(ValidationError) as raised:
        _record(hr_user, app, [panel[0], stranger], (2, 0, 0))
    assert raised.value.message_dict == {"participants": ["参加评议的专家须是本批次评审专家组成员。"]}


def test_an_expert_assigned_to_another_application_of_the_batch_is_on_the_panel(hr_user):
    app, panel = _in_review(1)
    other = application_in(State.EXPERT_REVIEW, batch=app.batch, occupation="电工")
    colleague = other.assignments.get().expert
    conclusion = _record(hr_user, app, [panel[0], colleague], (2, 0, 0))
    assert conclusion.recommends is True


def test_no_participant_is_refused(hr_user):
    app, _panel = _in_review(2)
    with pytest.raises(ValidationError) as raised:
        _record(hr_user, app, [], (0, 0, 0))
    assert raised.value.message_dict == {"participants": ["请勾选参加集中评议的专家。"]}


@pytest.mark.parametrize("votes,recommends", [((2, 1, 0), True), ((2, 0, 2), False), ((1, 1, 0), False)])
def test_recommend_needs_more_than_half_of_the_participants(hr_user, votes, recommends):
    app, panel = _in_review(sum(votes))
    conclusion = _record(hr_user, app, panel, votes)
    app.refresh_from_db()
    assert (conclusion.recommends, app.state) == (
        recommends, State.PROPOSED if recommends else State.NOT_RECOGNIZED)


def _correct(hr, app, participants, votes, reason="票数记录有误，按评议记录更正。"):
    return services.correct_panel_conclusion(
        actor=hr, application_id=app.pk, votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2],
        summary="更正后的评议意见。", held_on=timezone.localdate(), participants=participants, reason=reason)


def test_hr_corrects_the_vote_before_publication_and_the_application_follows(hr_user):
    app, panel = _in_review(3)
    _record(hr_user, app, panel, (2, 1, 0))
    conclusion = _correct(hr_user, app, panel, (1, 2, 0))
    app.refresh_from_db()
    assert (conclusion.votes_for, conclusion.votes_against, conclusion.recommends, app.state) == (
        1, 2, False, State.NOT_RECOGNIZED)
    assert conclusion.correction_reason == "票数记录有误，按评议记录更正。"
    entry = AuditEntry.objects.get(object_id=str(app.pk), action="panel_corrected")
    assert (entry.reason, entry.data["before"]) == ("票数记录有误，按评议记录更正。",
                                                    {"votes": [2, 1, 0], "recommends": True})


def test_a_correction_needs_a_reason(hr_user):
    app, panel = _in_review(2)
    _record(hr_user, app, panel, (2, 0, 0))
    with pytest.raises(ValidationError) as raised:
        _correct(hr_user, app, panel, (2, 0, 0), reason=" ")
    assert raised.value.message_dict == {"reason": ["请填写更正理由。"]}


def test_no_correction_once_the_list_is_published(hr_user):
    app, panel = _in_review(2)
    _record(hr_user, app, panel, (2, 0, 0))
    app.batch.state = "closed"
    app.batch.save()
    publish(app.batch, timezone.localdate())
    with pytest.raises(TransitionRefused, match="拟认定名单已经公示，集中评议结论不能再更正。"):
        _correct(hr_user, app, panel, (0, 2, 0))


def test_the_form_refuses_a_wrong_total_at_the_votes_keeping_what_was_typed(client, hr_user):
    app, panel = _in_review(2)
    client.force_login(hr_user)
    response = client.post(reverse("applications:panel_conclusion", args=[app.pk]), {
        "held_on": timezone.localdate().isoformat(), "participants": [p.pk for p in panel],
        "votes_for": "5", "votes_against": "0", "votes_abstain": "0", "summary": "同意推荐，条件具备。",
        "confirm": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "同意、反对、弃权票合计5票，与参加评议的专家人数2人不符：每位参加评议的专家投一票。" in html
    assert 'name="votes_for" value="5"' in html
    assert "同意推荐，条件具备。" in html
    assert not PanelConclusion.objects.filter(application=app).exists()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _panel_post(client, name: str, app, panel, **extra):
    return client.post(reverse(name, args=[app.pk]), {
        "held_on": timezone.localdate().isoformat(), "participants": [p.pk for p in panel],
        "votes_for": "0", "votes_against": "2", "votes_abstain": "0", "summary": "不同意推荐。", "confirm": "1",
        **extra})


def test_a_conclusion_a_colleague_recorded_meanwhile_is_refused_at_the_top_of_the_page(client, hr_user):
    """A second HR officer records the 集中评议 from a page opened before a colleague recorded it: the refusal is
    said at the top of the application's page, which no longer offers that form."""
    app, panel = _in_review(2)
    _record(core.HRUserFactory(), app, panel, (2, 0, 0))
    client.force_login(hr_user)
    response = _panel_post(client, "applications:panel_conclusion", app, panel)
    assert response.status_code == 400
    assert _messages(response) == ["只有专家评审中的申报才能记录集中评议结论。"]
    html = response.content.decode()
    assert f'action="{reverse("applications:panel_conclusion", args=[app.pk])}#panel-heading"' not in html
    assert PanelConclusion.objects.get(application=app).votes_for == 2


def test_a_correction_after_a_colleague_published_the_list_is_refused_at_the_top_of_the_page(client, hr_user):
    app, panel = _in_review(2)
    _record(hr_user, app, panel, (2, 0, 0))
    app.batch.state = "closed"
    app.batch.save()
    publish(app.batch, timezone.localdate())
    client.force_login(hr_user)
    response = _panel_post(client, "applications:panel_correction", app, panel, reason="票数记录有误。")
    assert response.status_code == 400
    assert _messages(response) == ["拟认定名单已经公示，集中评议结论不能再更正。"]
    html = response.content.decode()
    assert f'action="{reverse("applications:panel_correction", args=[app.pk])}#panel-heading"' not in html
    assert PanelConclusion.objects.get(application=app).votes_for == 2


def test_a_correction_refused_while_it_is_offered_keeps_what_was_typed_at_the_form(client, hr_user):
    app, panel = _in_review(2)
    _record(hr_user, app, panel, (2, 0, 0))
    client.force_login(hr_user)
    response = _panel_post(client, "applications:panel_correction", app, panel, votes_for="5", votes_against="0",
                           reason="票数记录有误。")
    assert response.status_code == 400
    assert _messages(response) == []
    html = response.content.decode()
    assert "同意、反对、弃权票合计5票，与参加评议的专家人数2人不符：每位参加评议的专家投一票。" in html
    assert 'name="votes_for" value="5"' in html and "票数记录有误。</textarea>" in html
