"""Expert panel: conflict of interest, each expert's own record, the collective conclusion follows the vote."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from applications import services
from applications.models import Application, ExpertAssignment
from applications.workflow import State
from qinshui_station.models import AuditEntry
from qinshui_station.workflow import TransitionRefused
from tests import factories as core
from tests.applications.factories import PNG, application_in, assign

pytestmark = pytest.mark.django_db


def test_expert_employed_by_the_applicant_unit_cannot_be_assigned(hr_user):
    app = application_in(State.EXPERT_REVIEW)
    insider = core.ExpertFactory(organization=app.unit)
    with pytest.raises(ValidationError) as raised:
        services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=insider.pk)
    assert raised.value.message_dict == {
        "expert": [f"专家{insider}任职于申报单位{app.unit}，存在利益冲突，不能评审该申报。"]}
    assert not app.assignments.filter(expert=insider).exists()


def test_independent_expert_is_assigned_and_notified(hr_user, expert):
    app = application_in(State.EXPERT_REVIEW)
    assignment = services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    assert assignment.state == "assigned"
    assert [n.url for n in expert.notifications.all()] == [f"/applications/assignments/{assignment.pk}/"]


def test_conflict_of_interest_is_shown_on_the_page(client, hr_user):
    app = application_in(State.EXPERT_REVIEW)
    insider = core.ExpertFactory(organization=app.unit)
    client.force_login(hr_user)
    response = client.post(f"/applications/{app.pk}/experts/", {"expert": insider.pk})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["expert"] == [
        f"未分配{insider.full_name}：专家{insider}任职于申报单位{app.unit}，存在利益冲突，不能评审该申报。"]
    assert (f'<div class="invalid-feedback d-block mb-2" id="assign-expert-error">未分配{insider.full_name}：专家{insider}'
            f"任职于申报单位{app.unit}，存在利益冲突，不能评审该申报。</div>") in response.content.decode()


def test_a_batch_assignment_refused_for_every_pair_is_400_with_the_ticks_and_each_reason_at_its_application(
        client, hr_user):
    one = application_in(State.EXPERT_REVIEW)
    two = application_in(State.EXPERT_REVIEW, batch=one.batch)
    expert = one.assignments.get().expert
    services.assign_expert(actor=hr_user, application_id=two.pk, expert_id=expert.pk)  # meanwhile, another tab
    client.force_login(hr_user)
    response = client.post(f"/applications/{one.pk}/experts/", {
        "several": "1", "application": [one.pk, two.pk], "expert": [expert.pk]})
    assert response.status_code == 400
    form = response.context["assign_form"]
    assert (form.ticked("application"), form.ticked("expert")) == ({one.pk, two.pk}, {expert.pk})
    assert form.refused_at == {one.pk: [f"未分配{expert.full_name}：专家{expert}已分配评审该申报。"],
                               two.pk: [f"未分配{expert.full_name}：专家{expert}已分配评审该申报。"]}
    assert ExpertAssignment.objects.filter(application__in=[one, two], expert=expert).count() == 2
    assert [str(m) for m in response.context["messages"]] == []


def test_a_batch_assignment_partly_refused_is_200_and_keeps_only_the_refused_ticks(client, hr_user):
    one = application_in(State.EXPERT_REVIEW)
    two = application_in(State.EXPERT_REVIEW, batch=one.batch)
    insider, outsider = core.ExpertFactory(organization=two.unit), core.ExpertFactory()
    client.force_login(hr_user)
    response = client.post(f"/applications/{one.pk}/experts/", {
        "several": "1", "application": [one.pk, two.pk], "expert": [insider.pk, outsider.pk]})
    assert response.status_code == 200
    form = response.context["assign_form"]
    assert (form.ticked("application"), form.ticked("expert")) == ({two.pk}, {insider.pk})
    names = "、".join(e.full_name for e in sorted([insider, outsider], key=lambda e: e.full_name))
    assert [str(m) for m in response.context["messages"]] == [
        f"已分配专家：{names}（{one}）", f"已分配专家：{outsider.full_name}（{two}）"]
    html = response.content.decode()
    assert (f'id="assign-app-{two.pk}-error">未分配{insider.full_name}：专家{insider}任职于申报单位{two.unit}，'
            "存在利益冲突，不能评审该申报。</div>") in html
    assert f'id="assign-app-{one.pk}-error"' not in html


def test_expert_cannot_fill_another_experts_assignment(expert):
    app = application_in(State.EXPERT_REVIEW)
    assignment = assign(app, submitted=False)
    with pytest.raises(PermissionDenied):
        services.save_expert_review(actor=expert, assignment_id=assignment.pk, fields={"document_review": "x"})


def test_expert_opinion_needs_every_part_before_submission(expert):
    app = application_in(State.EXPERT_REVIEW)
    assignment = assign(app, expert=expert, submitted=False)
    with pytest.raises(ValidationError) as raised:
        services.save_expert_review(actor=expert, assignment_id=assignment.pk,
                                    fields={"document_review": "材料齐全。", "opinion": "recommend"}, submit=True)
    assert sorted(raised.value.message_dict) == ["opinion_reason", "site_visit_notes", "site_visit_on"]


def test_expert_submits_document_review_site_visit_and_opinion(expert, hr_user):
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    assignment = assign(app, expert=expert, submitted=False)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.add_site_visit_photo(actor=expert, assignment_id=assignment.pk,
                                  uploaded=SimpleUploadedFile("车间.png", PNG))
    services.save_expert_review(actor=expert, assignment_id=assignment.pk, submit=True, fields={
        "document_review": "材料齐全。", "site_visit_on": timezone.localdate() - timedelta(days=2),
        "site_visit_notes": "实训车间面积约120平方米。", "opinion": "not_recommend", "opinion_reason": "设备陈旧。"})
    assignment.refresh_from_db()
    assert (assignment.opinion, assignment.photos.count()) == ("not_recommend", 1)
    assert [n.message for n in hr_user.notifications.all()] == [f"{app}的专家评审意见已全部提交，请记录集中评议结论。"]
    with pytest.raises(TransitionRefused, match="评审意见已提交，不能再修改"):
        services.save_expert_review(actor=expert, assignment_id=assignment.pk, fields={"opinion_reason": "改"})


def test_an_expert_taken_off_and_assigned_again_is_one_row_with_its_trail(hr_user, expert):
    app = application_in(State.EXPERT_REVIEW)
    assignment = services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    services.remove_assignment(actor=hr_user, assignment_id=assignment.pk)
    assert not app.assignments.filter(expert=expert, state__in=("assigned", "submitted")).exists()
    with pytest.raises(PermissionDenied):  # no longer his: neither the record nor the page
        services.save_expert_review(actor=expert, assignment_id=assignment.pk, fields={"document_review": "x"})
    again = services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    assert (again.pk, again.state) == (assignment.pk, "assigned")
    trail = AuditEntry.objects.filter(object_type="applications.expertassignment", object_id=str(assignment.pk))
    assert list(trail.order_by("id").values_list("action", "from_state", "to_state")) == [
        ("assign_expert", "", "assigned"), ("unassign_expert", "assigned", "withdrawn"),
        ("assign_expert", "withdrawn", "assigned")]


def test_an_expert_assigned_again_is_told_again_through_the_move(hr_user, expert):
    app = application_in(State.EXPERT_REVIEW)
    assignment = services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    services.remove_assignment(actor=hr_user, assignment_id=assignment.pk)
    services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    assert list(expert.notifications.order_by("id").values_list("message", "url")) == [
        (f"请评审{app}的技师工作站申报（资料审查、实地查看、评审意见）。", f"/applications/assignments/{assignment.pk}/")
    ] * 2


def test_only_the_last_opinion_handed_in_tells_hr(hr_user):
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    first, last = (assign(app, submitted=False) for _ in range(2))
    opinion = {"document_review": "材料齐全。", "site_visit_on": timezone.localdate() - timedelta(days=1),
               "site_visit_notes": "查看了实训车间。", "opinion": "recommend", "opinion_reason": "条件具备。"}
    services.save_expert_review(actor=first.expert, assignment_id=first.pk, fields=opinion, submit=True)
    assert hr_user.notifications.count() == 0
    services.save_expert_review(actor=last.expert, assignment_id=last.pk, fields=opinion, submit=True)
    assert list(hr_user.notifications.values_list("message", "url")) == [
        (f"{app}的专家评审意见已全部提交，请记录集中评议结论。", f"/applications/{app.pk}/")]


def test_an_expert_whose_opinion_is_in_stays_on_the_panel(hr_user):
    app = application_in(State.EXPERT_REVIEW)
    assignment = assign(app)
    with pytest.raises(TransitionRefused, match="当前状态“已提交意见”不能转为“已撤销分配”"):
        services.remove_assignment(actor=hr_user, assignment_id=assignment.pk)
    with pytest.raises(ValidationError, match="已分配评审该申报"):
        services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=assignment.expert_id)


def test_the_panel_is_changed_only_in_expert_review(hr_user):
    app = application_in(State.EXPERT_REVIEW)
    assignment = assign(app, submitted=False)
    Application.objects.filter(pk=app.pk).update(state=State.PROPOSED)
    with pytest.raises(TransitionRefused, match="只有专家评审中的申报才能调整专家。"):
        services.remove_assignment(actor=hr_user, assignment_id=assignment.pk)


@pytest.mark.parametrize("state,submitted", [("submitted", False), ("assigned", True), ("withdrawn", True)])
def test_the_database_ties_the_state_to_the_time_handed_in(state, submitted):
    assignment = assign(application_in(State.EXPERT_REVIEW), submitted=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertAssignment.objects.filter(pk=assignment.pk).update(
            state=state, submitted_at=timezone.now() if submitted else None)


def test_conclusion_waits_for_every_expert(hr_user):
    app = application_in(State.EXPERT_REVIEW)
    late = assign(app, submitted=False)
    with pytest.raises(ValidationError, match=f"以下专家尚未提交评审意见：{late.expert}。"):
        services.record_panel_conclusion(actor=hr_user, application_id=app.pk, votes_for=3, votes_against=0,
                                         votes_abstain=0, summary="同意。", held_on=timezone.localdate())


def _panel_of(app, size: int):
    """``app`` with ``size`` experts assigned (opinions in); the batch's panel."""
    app.assignments.all().delete()
    return [assign(app).expert for _ in range(size)]


@pytest.mark.parametrize("votes,state", [((3, 2, 0), State.PROPOSED), ((3, 2, 1), State.NOT_RECOGNIZED),
                                         ((2, 2, 0), State.NOT_RECOGNIZED)])
def test_conclusion_follows_the_majority_of_the_participants(hr_user, votes, state):
    app = application_in(State.EXPERT_REVIEW)
    panel = _panel_of(app, sum(votes))
    conclusion = services.record_panel_conclusion(actor=hr_user, application_id=app.pk, votes_for=votes[0],
                                                  votes_against=votes[1], votes_abstain=votes[2], summary="评议。",
                                                  held_on=timezone.localdate(), participants=panel)
    app.refresh_from_db()
    assert (conclusion.recommends, app.state) == (state == State.PROPOSED, state)
    assert sorted(conclusion.participants.values_list("pk", flat=True)) == sorted(p.pk for p in panel)


def test_expert_list_shows_only_own_assignments(client, expert):
    mine = application_in(State.EXPERT_REVIEW)
    assign(mine, expert=expert, submitted=False)
    other = application_in(State.EXPERT_REVIEW, occupation="电工")
    client.force_login(expert)
    html = client.get("/applications/assignments/").content.decode()
    assert mine.unit_name in html
    assert other.unit_name not in html


def test_an_assignment_refused_because_the_application_moved_on_is_said_at_the_top_of_the_page(client, hr_user, expert):
    """Posted from a tab opened while the application was in expert review: the page it returns to no longer
    shows the assignment form, so the refusal is shown with the page's messages (it was tagged for the form
    and never shown)."""
    app = application_in(State.PROPOSED)
    client.force_login(hr_user)
    response = client.post(f"/applications/{app.pk}/experts/", {"expert": expert.pk}, follow=True)
    assert response.redirect_chain == [(f"/applications/{app.pk}/", 302)]
    page = response.content.decode()
    assert 'id="assign-experts"' not in page
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith(f"{app}：")
    assert messages[0] in page
    assert not app.assignments.filter(expert=expert).exists()


def test_the_application_history_names_the_expert_assigned_taken_off_and_assigned_again(client, hr_user, expert):
    app = application_in(State.EXPERT_REVIEW)
    assignment = services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    services.remove_assignment(actor=hr_user, assignment_id=assignment.pk)
    services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    client.force_login(hr_user)
    history = client.get(f"/applications/{app.pk}/").context["history"]
    assert [(action, before, after) for _, _who, action, before, after in history[:3]] == [
        (f"分配专家（{expert}）", "已撤销分配", "已分配"), (f"撤销专家分配（{expert}）", "已分配", "已撤销分配"),
        (f"分配专家（{expert}）", "", "已分配")]


def test_the_english_application_history_names_who_acted_with_english_brackets(client, hr_user, expert):
    app = application_in(State.EXPERT_REVIEW)
    services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    history = client.get(f"/applications/{app.pk}/").context["history"]
    assert history[0][1] == f"{hr_user.full_name} ({hr_user.organization.name})"


def test_an_empty_assignment_form_posted_after_the_application_moved_on_says_so_at_the_top(client, hr_user):
    """The refused form came back bound on a page that no longer shows it: nothing was said at all."""
    app = application_in(State.PROPOSED)
    client.force_login(hr_user)
    response = client.post(f"/applications/{app.pk}/experts/", {}, follow=True)
    assert response.redirect_chain == [(f"/applications/{app.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [f"{app}已不在专家评审中，不能再分配专家。"]
    assert f"{app}已不在专家评审中，不能再分配专家。" in response.content.decode()


def test_with_every_expert_assigned_or_excluded_the_form_offers_no_button(client, hr_user):
    """The form showed an empty list and 分配所选专家, which could only be refused."""
    app = application_in(State.EXPERT_REVIEW)  # its one expert already assigned
    insider = core.ExpertFactory(organization=app.unit)
    client.force_login(hr_user)
    html = client.get(f"/applications/{app.pk}/").content.decode()
    form = html[html.index('id="assign-experts"'):html.index("</form>", html.index('id="assign-experts"'))]
    assert '<p class="mb-2 no-experts-left">没有可再分配的专家。</p>' in form
    assert "分配所选专家" not in form and 'name="expert"' not in form
    assert f"{insider.full_name}（{app.unit}）：任职于申报单位，存在利益冲突" in form


@pytest.mark.parametrize("state", [State.RECOMMENDED, State.EXPERT_REVIEW, State.PROPOSED, State.NOT_RECOGNIZED])
def test_the_assignment_form_shows_exactly_when_the_service_assigns(client, hr_user, expert, state):
    """One rule (``workflow.assign_guard``) for the application page's form and the service."""
    app = application_in(state)
    client.force_login(hr_user)
    shown = 'id="assign-experts"' in client.get(f"/applications/{app.pk}/").content.decode()
    try:
        services.assign_expert(actor=hr_user, application_id=app.pk, expert_id=expert.pk)
    except TransitionRefused as error:
        assert str(error) == "只有专家评审中的申报才能分配专家。"
        accepted = False
    else:
        accepted = True
    assert shown is accepted is (state == State.EXPERT_REVIEW)


def test_hr_sees_each_experts_site_visit_photos_in_the_order_taken_on_the_application_page(client, hr_user, expert):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    mine, other = assign(app, expert=expert, submitted=False), assign(app, submitted=False)
    photos = [services.add_site_visit_photo(actor=expert, assignment_id=mine.pk,
                                            uploaded=SimpleUploadedFile(name, PNG)) for name in ("车间<1>.png", "设备.png")]
    client.force_login(hr_user)
    html = client.get(app.get_absolute_url()).content.decode()
    assert (f'<br><a href="/applications/photos/{photos[0].pk}/">车间&lt;1&gt;.png</a>'
            f'<br><a href="/applications/photos/{photos[1].pk}/">设备.png</a></td>') in html
    assert html.count("/applications/photos/") == 2
    assert other.expert.full_name in html


def test_the_application_page_offers_the_experts_who_may_review_and_says_why_the_others_may_not(client, hr_user):
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    free = core.ExpertFactory(full_name="甲专家", title="高级工程师")
    insider = core.ExpertFactory(full_name="乙专家", organization=app.unit)
    on_panel = assign(app, expert=core.ExpertFactory(full_name="丙专家"), submitted=False).expert
    core.ExpertFactory(full_name="丁专家", is_active=False)
    client.force_login(hr_user)
    html = client.get(app.get_absolute_url()).content.decode()
    assert (f'<input class="form-check-input" type="checkbox" name="expert" value="{free.pk}" '
            f'id="assign-expert-{free.pk}"><label class="form-check-label" for="assign-expert-{free.pk}">'
            f'甲专家（{free.organization}，高级工程师）</label>') in html
    assert f"<li>乙专家（{app.unit}）：任职于申报单位，存在利益冲突</li>" in html
    assert f"<li>丙专家（{on_panel.organization}）：已分配评审该申报</li>" in html
    assert "丁专家" not in html
    assert f'id="assign-expert-{insider.pk}"' not in html and f'id="assign-expert-{on_panel.pk}"' not in html


def test_the_experts_still_waited_for_are_listed_with_english_commas_in_english(hr_user):
    app = application_in(State.EXPERT_REVIEW)
    first, second = assign(app, submitted=False), assign(app, submitted=False)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.record_panel_conclusion(actor=hr_user, application_id=app.pk, votes_for=3, votes_against=0,
                                         votes_abstain=0, summary="同意。", held_on=timezone.localdate())
    assert refused.value.messages == [
        f"These experts have not submitted their opinion yet: {first.expert}, {second.expert}."]


def _opinion(**overrides) -> dict:
    return {"document_review": "第二个页面：材料基本齐全。", "site_visit_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "site_visit_notes": "第二个页面：车间整洁。", "opinion": "recommend", "opinion_reason": "第二个页面：同意。",
            "save": "1", **overrides}


def test_an_opinion_saved_from_a_second_tab_after_it_was_handed_in_is_refused_at_the_top(client, expert):
    """The expert handed the opinion in from one tab, then presses 保存 in another: the refusal is said at the top
    of the page, which now shows the opinion as handed in (not as posted) and no form."""
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    assignment = assign(app, expert=expert, submitted=False)
    services.save_expert_review(actor=expert, assignment_id=assignment.pk, submit=True, fields={
        "document_review": "材料齐全。", "site_visit_on": timezone.localdate() - timedelta(days=2),
        "site_visit_notes": "实训车间面积约120平方米。", "opinion": "not_recommend", "opinion_reason": "设备陈旧。"})
    client.force_login(expert)
    response = client.post(f"/applications/assignments/{assignment.pk}/", _opinion())
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == ["评审意见已提交，不能再修改。"]
    html = response.content.decode()
    assert 'name="document_review"' not in html
    assert "材料齐全。" in html and "第二个页面" not in html
    assignment.refresh_from_db()
    assert (assignment.document_review, assignment.opinion) == ("材料齐全。", "not_recommend")


def test_an_opinion_refused_while_it_may_still_be_written_keeps_what_was_typed(client, expert):
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    assignment = assign(app, expert=expert, submitted=False)
    client.force_login(expert)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(f"/applications/assignments/{assignment.pk}/",
                           _opinion(site_visit_on=tomorrow, save="", submit="1", confirm="1"))
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == []
    html = response.content.decode()
    assert "实地查看日期不能晚于今天。" in html
    assert f'value="{tomorrow}"' in html and "第二个页面：车间整洁。</textarea>" in html


def test_an_opinion_handed_in_with_a_blank_reason_and_a_visit_tomorrow_names_both_at_once(client, expert):
    """Every box at fault is said on the first try: the blank reason and the site visit dated tomorrow (the date was
    said only once the reason was filled in, a second refusal for what the first could have said)."""
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    assignment = assign(app, expert=expert, submitted=False)
    client.force_login(expert)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(f"/applications/assignments/{assignment.pk}/", _opinion(
        site_visit_on=tomorrow, opinion_reason="", save="", submit="1", confirm="1"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["site_visit_on"] == ["实地查看日期不能晚于今天。"]
    assert errors["opinion_reason"] == ["提交评审意见前请填写此项。"]
    assignment.refresh_from_db()
    assert assignment.state == "assigned"


def test_a_draft_with_the_site_visit_dated_tomorrow_is_refused_at_the_date_keeping_what_was_typed(client, expert):
    """A visit still to come is no record of one: the draft is refused at the date (it was saved without a word and
    refused only when handed in), the notes typed kept in the form, nothing saved."""
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    assignment = assign(app, expert=expert, submitted=False)
    client.force_login(expert)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(f"/applications/assignments/{assignment.pk}/", _opinion(
        site_visit_on=tomorrow, site_visit_notes="车间整洁，设备在用。", save="1"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"site_visit_on": ["实地查看日期不能晚于今天。"]}
    assert "车间整洁，设备在用。" in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.site_visit_on, assignment.site_visit_notes) == (None, "")


def test_an_opinion_handed_in_from_another_tab_while_this_one_saves_shows_the_page_as_it_now_stands(
        client, expert, monkeypatch):
    """The other tab hands the opinion in between this request's reading of the assignment and its saving: the
    page as it now stands (the opinion handed in, no form), the refusal at its top."""
    app = application_in(State.EXPERT_REVIEW)
    app.assignments.all().delete()
    assignment = assign(app, expert=expert, submitted=False)
    save = services.save_expert_review

    def meanwhile(**kwargs):
        save(actor=expert, assignment_id=assignment.pk, submit=True, fields={
            "document_review": "材料齐全。", "site_visit_on": timezone.localdate() - timedelta(days=2),
            "site_visit_notes": "实训车间面积约120平方米。", "opinion": "not_recommend", "opinion_reason": "设备陈旧。"})
        return save(**kwargs)

    monkeypatch.setattr(services, "save_expert_review", meanwhile)
    client.force_login(expert)
    response = client.post(f"/applications/assignments/{assignment.pk}/", _opinion())
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == ["评审意见已提交，不能再修改。"]
    html = response.content.decode()
    assert 'name="document_review"' not in html and "设备陈旧。" in html
