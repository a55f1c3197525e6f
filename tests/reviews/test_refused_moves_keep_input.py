"""HR's 退回修改 of an evaluation, refused, comes back on the evaluation's page with the reason typed and the
message at what caused it (issue 13, point 4): it was a message on the next page, the reason gone."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Evaluation
from tests.reviews import factories as rf

REASON = "缺少发明专利证书的扫描件，请补充后重新提交。"


@pytest.fixture
def submitted(rubric, hr_user):
    evaluation = rf.evaluation_in_round(rf.open_round(hr_user))
    return rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))


def _step(html: str, evaluation) -> str:
    start = html.index(f'id="step-evaluation-{evaluation.pk}-returned"')
    return html[start:html.index("</form>", start)]


def test_returning_without_the_box_keeps_the_reason_and_asks_at_the_box(client, submitted, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("reviews:evaluation_transition", args=[submitted.pk]),
                           {"to": "returned", "reason": REASON})
    assert response.status_code == 400
    step = _step(response.content.decode(), submitted)
    assert f">{REASON}</textarea>" in step
    assert (f'<div class="invalid-feedback d-block" id="confirm-evaluation-{submitted.pk}-returned-error">'
            "请勾选确认后再提交。</div>") in step
    assert [str(m) for m in response.context["messages"]] == []
    assert Evaluation.objects.get(pk=submitted.pk).state == "submitted"


def test_returning_with_a_blank_reason_says_so_at_the_reason(client, submitted, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("reviews:evaluation_transition", args=[submitted.pk]),
                           {"to": "returned", "reason": "  ", "confirm": "1"})
    assert response.status_code == 400
    step = _step(response.content.decode(), submitted)
    assert (f'<div class="invalid-feedback d-block" id="reason-evaluation-{submitted.pk}-returned-error">'
            "请填写理由。</div>") in step
    assert Evaluation.objects.get(pk=submitted.pk).state == "submitted"


def test_returning_with_a_reason_and_the_box_returns_it(client, submitted, hr_user):
    client.force_login(hr_user)
    response = client.post(reverse("reviews:evaluation_transition", args=[submitted.pk]),
                           {"to": "returned", "reason": REASON, "confirm": "1"})
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=submitted.pk).state == "returned"


def test_the_items_not_self_scored_are_listed_with_english_semicolons_in_english(rubric, hr_user):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from reviews.sheets import Rubric
    from reviews.workflow import complete_for_submission

    evaluation = rf.evaluation_in_round(rf.open_round(hr_user))
    items = [item.text for item in Rubric.load(evaluation.round.rubric_id).judged_items]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        complete_for_submission(evaluation)
    assert len(items) > 1
    assert refused.value.message_dict["self_scores"] == ["Items not yet self-scored: " + "; ".join(items)]


def test_returning_again_from_a_second_tab_says_it_is_already_returned(client, submitted, hr_user):
    client.force_login(hr_user)
    url = reverse("reviews:evaluation_transition", args=[submitted.pk])
    client.post(url, {"to": "returned", "reason": REASON, "confirm": "1"}, follow=True)
    response = client.post(url, {"to": "returned", "reason": "第二个页面：缺少台账。", "confirm": "1"})
    assert [str(m) for m in response.context["messages"]] == [
        "已是“退回修改”，无需再办理（可能已在其他页面或由他人办理）。"]


def _expert_field(html: str) -> str:
    start = html.index('id="div_id_expert"')
    return html[start:html.index("</div></div>", start) + 12] if "id_expert_error" in html[start:] else \
        html[start:html.index("</select>", start)]


def test_an_expert_of_the_stations_own_unit_is_refused_at_the_select(client, submitted, hr_user):
    """A refused assignment (here a conflict of interest, posted as a script or a stale tab would) comes back on
    the evaluation's page, 400, the reason at the expert's select; nothing is assigned."""
    from tests import factories

    colleague = factories.ExpertFactory(organization=submitted.workstation.unit)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:assign", args=[submitted.pk]), {"expert": colleague.pk})
    assert response.status_code == 400
    field = _expert_field(response.content.decode())
    assert 'class="select form-select is-invalid"' in field and 'aria-describedby="id_expert_error"' in field
    assert '<div id="id_expert_error" class="invalid-feedback"><strong>' in field and "利益冲突" in field
    assert [str(m) for m in response.context["messages"]] == []
    assert not submitted.assignments.exists()


def test_no_expert_chosen_or_one_assigned_meanwhile_is_said_at_the_select(client, submitted, hr_user):
    from tests import factories

    expert = factories.ExpertFactory(full_name="郑国强")
    client.force_login(hr_user)
    response = client.post(reverse("reviews:assign", args=[submitted.pk]), {"expert": ""})
    assert response.status_code == 400
    assert "<strong>请选择评审专家。</strong>" in _expert_field(response.content.decode())
    url = reverse("reviews:assign", args=[submitted.pk])
    assert client.post(url, {"expert": expert.pk}).status_code == 302
    response = client.post(url, {"expert": expert.pk})  # the same choice from a second tab
    assert response.status_code == 400
    assert "<strong>该专家已分配到此评估。</strong>" in _expert_field(response.content.decode())
    assert submitted.assignments.count() == 1


def test_an_assignment_after_the_evaluation_moved_on_is_said_at_the_top(client, submitted, hr_user):
    """The form is no longer offered (the evaluation was withdrawn meanwhile): the reason at the top."""
    from tests import factories

    expert = factories.ExpertFactory()
    Evaluation.objects.filter(pk=submitted.pk).update(state="withdrawn")
    client.force_login(hr_user)
    response = client.post(reverse("reviews:assign", args=[submitted.pk]), {"expert": expert.pk})
    assert response.status_code == 400
    assert 'id="div_id_expert"' not in response.content.decode()
    assert [str(m) for m in response.context["messages"]] == ["该评估已不再进行，不能分配专家。"]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_window_changed_after_a_colleague_finalized_the_round_is_refused_at_the_top(client, rubric, hr_user):
    """A second HR officer saves the filing window on a page opened before a colleague finalized the round: the
    refusal is said at the top of the round's page, which no longer offers the window's form."""
    from tests import factories

    round_ = rf.open_round(hr_user)
    services.finalize_round(actor=factories.HRUserFactory(), round_id=round_.pk)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_window", args=[round_.pk]),
                           {"opens_on": "2031-03-01", "closes_on": "2031-03-31"})
    assert response.status_code == 400
    assert _messages(response) == [f"{round_}已定级，评分和材料均已锁定，不能再修改。"]
    assert f'action="{reverse("reviews:round_window", args=[round_.pk])}"' not in response.content.decode()


def test_a_window_refused_while_the_round_is_open_keeps_the_dates_at_the_form(client, rubric, hr_user):
    round_ = rf.open_round(hr_user)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_window", args=[round_.pk]),
                           {"opens_on": "2031-03-31", "closes_on": "2031-03-01"})
    assert response.status_code == 400
    assert _messages(response) == []
    html = response.content.decode()
    assert 'value="2031-03-31"' in html and 'value="2031-03-01"' in html


def test_a_tie_decided_as_a_colleague_finalizes_the_round_is_refused_at_the_top_of_the_round_as_it_now_stands(
        client, rubric, hr_user, expert, monkeypatch):
    """The colleague decides the tie and finalizes between the page's reading of the tie and the decision (the
    service's refusal comes after the view saw the tie): the round's page as it now stands, finalized, the reason
    at its top."""
    from tests import factories
    from tests.reviews.test_finalize import TOP, _seven_with_top_two

    round_ = rf.open_round(hr_user)
    a, b = _seven_with_top_two(round_, hr_user, expert, TOP, TOP)
    colleague, decide = factories.HRUserFactory(), services.decide_tie

    def meanwhile(**kwargs):
        decide(actor=colleague, round_id=round_.pk, excellent_ids=[a.pk], reason="a站带徒人数更多")
        services.finalize_round(actor=colleague, round_id=round_.pk)
        return decide(**kwargs)

    monkeypatch.setattr(services, "decide_tie", meanwhile)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_tie", args=[round_.pk]),
                           {"excellent": [str(b.pk)], "reason": "b站培训记录更完整"})
    assert response.status_code == 400
    assert _messages(response) == [f"{round_}已定级，评分和材料均已锁定，不能再修改。"]
    html = response.content.decode()
    assert f'action="{reverse("reviews:round_tie", args=[round_.pk])}"' not in html
    assert f'action="{reverse("reviews:round_window", args=[round_.pk])}"' not in html  # the round as it now stands
    round_.refresh_from_db()
    assert round_.tie_reason == "a站带徒人数更多"


def test_an_assignment_refused_as_the_evaluation_moves_on_shows_the_page_as_it_now_stands(
        client, submitted, hr_user, monkeypatch):
    """The evaluation is withdrawn between the page's reading of it and the assignment: the page as it now stands
    (no assignment form), the reason at its top."""
    from tests import factories

    expert, assign = factories.ExpertFactory(), services.assign_expert

    def meanwhile(**kwargs):
        Evaluation.objects.filter(pk=submitted.pk).update(state="withdrawn")
        return assign(**kwargs)

    monkeypatch.setattr(services, "assign_expert", meanwhile)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:assign", args=[submitted.pk]), {"expert": expert.pk})
    assert response.status_code == 400
    assert 'id="div_id_expert"' not in response.content.decode()
    assert _messages(response) == ["该评估已不再进行，不能分配专家。"]
    assert not submitted.assignments.exists()


def test_a_tie_decided_from_a_stale_tab_after_a_colleague_decided_it_says_so_at_the_top(
        client, rubric, hr_user, expert):
    """A second HR officer records a tie decision on a page opened before a colleague decided the tie: the tie is
    gone (the decision broke it), so the form has no choice left; the guard's reason is said at the top of the
    round's page as it now stands and the colleague's decision stays."""
    from django.utils import timezone

    from tests import factories
    from tests.reviews.test_finalize import TOP, _seven_with_top_two

    round_ = rf.open_round(hr_user)
    a, b = _seven_with_top_two(round_, hr_user, expert, TOP, TOP)
    services.decide_tie(actor=factories.HRUserFactory(), round_id=round_.pk, excellent_ids=[a.pk],
                        reason="a站带徒人数更多")
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_tie", args=[round_.pk]),
                           {"excellent": [str(b.pk)], "reason": "b站培训记录更完整"})
    round_.refresh_from_db()
    on = f"{timezone.localtime(round_.tie_decided_at):%Y-%m-%d}"
    assert response.status_code == 400
    assert _messages(response) == [f"并列处理决定已于{on}记录（理由：a站带徒人数更多），无需再次处理。"]
    html = response.content.decode()
    assert f'action="{reverse("reviews:round_tie", args=[round_.pk])}"' not in html
    assert "b站培训记录更完整" not in html
    assert round_.tie_reason == "a站带徒人数更多"
    assert list(Evaluation.objects.filter(pk__in=[a.pk, b.pk]).order_by("tie_preference")
                .values_list("pk", flat=True)) == [a.pk, b.pk]


def test_a_tie_decided_by_a_colleague_between_the_pages_reading_and_the_decision_says_so_at_the_top(
        client, rubric, hr_user, expert, monkeypatch):
    """The colleague's decision lands after the view saw the tie: the service's guard refuses with the same
    reason, said at the top of the page (the tie's form is gone)."""
    from django.utils import timezone

    from tests import factories
    from tests.reviews.test_finalize import TOP, _seven_with_top_two

    round_ = rf.open_round(hr_user)
    a, b = _seven_with_top_two(round_, hr_user, expert, TOP, TOP)
    colleague, decide = factories.HRUserFactory(), services.decide_tie

    def meanwhile(**kwargs):
        decide(actor=colleague, round_id=round_.pk, excellent_ids=[a.pk], reason="a站带徒人数更多")
        return decide(**kwargs)

    monkeypatch.setattr(services, "decide_tie", meanwhile)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_tie", args=[round_.pk]),
                           {"excellent": [str(b.pk)], "reason": "b站培训记录更完整"})
    round_.refresh_from_db()
    on = f"{timezone.localtime(round_.tie_decided_at):%Y-%m-%d}"
    assert response.status_code == 400
    assert _messages(response) == [f"并列处理决定已于{on}记录（理由：a站带徒人数更多），无需再次处理。"]
    assert f'action="{reverse("reviews:round_tie", args=[round_.pk])}"' not in response.content.decode()
    assert round_.tie_reason == "a站带徒人数更多"


@pytest.fixture
def handed_in(submitted, hr_user, expert, rubric):
    """An expert's sheet, saved and handed in (the stale tab still shows it editable)."""
    assignment = services.assign_expert(actor=hr_user, evaluation_id=submitted.pk, expert_id=expert.pk)
    judged, counts = rf.sheet(rubric, **rf.FULL_JUDGED)
    services.save_expert_scores(actor=expert, assignment_id=assignment.pk, points=judged, counts=counts)
    services.submit_expert_scores(actor=expert, assignment_id=assignment.pk)
    assignment.refresh_from_db()
    return assignment


@pytest.mark.parametrize("view, extra", [("reviews:score", {}), ("reviews:score_submit", {"confirm": "1"})])
def test_a_sheet_posted_from_a_stale_tab_after_it_was_handed_in_says_why_at_the_top(
        client, handed_in, rubric, view, extra):
    """The sheet saved or handed in again from a tab opened before it was handed in: the sheet as it stands
    (disabled, what was handed in), the guard's reason at the top of the page, 400 (it came back 200, silent)."""
    from django.utils import timezone

    item = rubric.judged_items[0]
    before = handed_in.scores.get(item=item).points
    client.force_login(handed_in.expert)
    response = client.post(reverse(view, args=[handed_in.pk]), {f"item_{item.pk}": "0.5", **extra})
    on = f"{timezone.localtime(handed_in.submitted_at):%Y-%m-%d}"
    assert response.status_code == 400
    assert _messages(response) == [f"您已于{on}提交评分，不能再修改。"]
    html = response.content.decode()
    field = html[html.index(f'name="item_{item.pk}"'):]
    assert field[:field.index(">")].endswith(" disabled") and 'value="0.5"' not in html  # as handed in
    assert 'id="step-submit-score"' not in html and "confirm-submit-score" not in html  # nothing to hand in
    assert handed_in.scores.get(item=item).points == before


def test_a_sheet_opened_after_it_was_handed_in_is_a_200_without_a_message(client, handed_in):
    client.force_login(handed_in.expert)
    response = client.get(reverse("reviews:score", args=[handed_in.pk]))
    assert response.status_code == 200
    assert _messages(response) == []


def test_returning_unticked_an_evaluation_a_colleague_returned_says_the_step_is_gone(client, submitted, hr_user):
    """The box left unticked on a page opened before a colleague returned the form: the engine's refusal of the
    move at the top of the page as it now stands (the step's place, and its box, are gone)."""
    from tests import factories

    services.evaluation_transition(evaluation_id=submitted.pk, actor=factories.HRUserFactory(), to="returned",
                                   reason="请补充专利证书。")
    client.force_login(hr_user)
    response = client.post(reverse("reviews:evaluation_transition", args=[submitted.pk]),
                           {"to": "returned", "reason": REASON})
    assert response.status_code == 400
    assert _messages(response) == ["该操作已无法办理：已是“退回修改”，无需再办理（可能已在其他页面或由他人办理）。"]
    html = response.content.decode()
    assert f'id="step-evaluation-{submitted.pk}-returned"' not in html and REASON not in html


def test_a_reason_over_the_limit_is_refused_at_the_reason_and_kept(client, submitted, hr_user):
    """The walk returned a form with a 2,500-character reason: it was taken (and sent whole in the notice)."""
    client.force_login(hr_user)
    reason = "缺" * 2001
    response = client.post(reverse("reviews:evaluation_transition", args=[submitted.pk]),
                           {"to": "returned", "reason": reason, "confirm": "1"})
    assert response.status_code == 400
    step = _step(response.content.decode(), submitted)
    assert f">{reason}</textarea>" in step
    assert (f'<div class="invalid-feedback d-block" id="reason-evaluation-{submitted.pk}-returned-error">'
            "最多2000个字，现有2001个字，请删减1个字后再提交。</div>") in step
    assert [str(m) for m in response.context["messages"]] == []
    assert Evaluation.objects.get(pk=submitted.pk).state == "submitted"
    response = client.post(reverse("reviews:evaluation_transition", args=[submitted.pk]),
                           {"to": "returned", "reason": "缺" * 2000, "confirm": "1"})
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=submitted.pk).state == "returned"


def test_finalizing_without_the_box_is_asked_at_the_box_on_the_round_page(client, rubric, hr_user):
    """定级并锁定 without its box ticked: the round's page again (400), the request at the box — it was a redirect
    with a message at the top of the page."""
    round_ = rf.open_round(hr_user)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_finalize", args=[round_.pk]), {})
    assert response.status_code == 400
    assert ('<div class="invalid-feedback d-block" id="confirm-finalize-error">请勾选确认后再定级。</div>'
            in response.content.decode())
    assert _messages(response) == []


def test_finalizing_a_round_a_colleague_finalized_says_so_at_the_top(client, rubric, hr_user):
    from tests import factories

    round_ = rf.open_round(hr_user)
    services.finalize_round(actor=factories.HRUserFactory(), round_id=round_.pk)
    client.force_login(hr_user)
    response = client.post(reverse("reviews:round_finalize", args=[round_.pk]), {"confirm": "1"})
    assert response.status_code == 400
    assert _messages(response) == ["已是“已定级”，无需再办理（可能已在其他页面或由他人办理）。"]
    assert 'id="step-finalize"' not in response.content.decode()
