"""An expert types the whole sheet and presses 提交评分 without pressing 保存评分 first (#14, item 1): what is
typed is saved and submitted; when an item is left blank, nothing typed is lost and the blank item is marked
where it is. On a desktop and on a phone."""

from decimal import Decimal

import pytest

from reviews import services
from reviews.models import Assignment
from reviews.sheets import Rubric
from tests import factories
from tests.browser.fixtures import screenshot, sign_in
from tests.browser.steps import CONFIRM
from tests.reviews import factories as rf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assigned(username):
    hr = factories.HRUserFactory()
    round_ = rf.open_round(hr)
    evaluation = rf.evaluation_in_round(round_, final=True)
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    expert = factories.ExpertFactory(username=username)
    services.assign_expert(actor=hr, evaluation_id=evaluation.pk, expert_id=expert.pk)
    return Rubric.load(round_.rubric_id), Assignment.objects.get(evaluation=evaluation, expert=expert)


def _value(item) -> str:
    return str((item.max_points - Decimal("0.5")).normalize())


@pytest.fixture(params=["page", "phone_page"])
def any_page(request):
    return request.getfixturevalue(request.param)


def test_submitting_without_saving_first_saves_and_submits_what_is_typed(any_page):
    page = any_page
    rubric, assignment = _assigned("scorer")
    sign_in(page, "scorer", factories.PASSWORD)
    page.goto(f"/reviews/assignments/{assignment.pk}/")
    for item in rubric.judged_items:
        page.fill(f"[name=item_{item.pk}]", _value(item))
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="提交评分").click()
    page.get_by_text("评分已提交。").wait_for()

    assignment.refresh_from_db()
    assert assignment.state == "submitted"
    saved = dict(assignment.scores.values_list("item_id", "points"))
    assert {i.pk: saved[i.pk] for i in rubric.judged_items} == {
        i.pk: i.max_points - Decimal("0.5") for i in rubric.judged_items}


def test_a_blank_item_is_marked_at_that_item_and_nothing_typed_is_lost(any_page):
    page = any_page
    rubric, assignment = _assigned("scorer")
    blank, *typed = rubric.judged_items
    sign_in(page, "scorer", factories.PASSWORD)
    page.goto(f"/reviews/assignments/{assignment.pk}/")
    for item in typed:
        page.fill(f"[name=item_{item.pk}]", _value(item))
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="提交评分").click()

    page.locator("#score-errors").wait_for()
    assert page.locator("#score-errors").inner_text() == "还有1项尚未评分或认定，已在各项下标出。"
    assert page.locator(f"#id_item_{blank.pk}-error").inner_text().strip() == "尚未评分。"
    assert page.locator(".invalid-feedback").count() == 1
    for item in typed:
        assert page.locator(f"[name=item_{item.pk}]").input_value() == _value(item)
    screenshot(page, f"expert-submit-blank-item-{page.viewport_size['width']}")
    assignment.refresh_from_db()
    assert assignment.state == "assigned"
    assert assignment.scores.filter(item__in=[i.pk for i in typed]).count() == len(typed)

    # The expert fills the blank item and submits again.
    page.fill(f"[name=item_{blank.pk}]", _value(blank))
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="提交评分").click()
    page.get_by_text("评分已提交。").wait_for()
    assignment.refresh_from_db()
    assert assignment.state == "submitted"


def test_forgetting_the_confirmation_box_keeps_what_is_typed(page):
    rubric, assignment = _assigned("scorer")
    first = rubric.judged_items[0]
    sign_in(page, "scorer", factories.PASSWORD)
    page.goto(f"/reviews/assignments/{assignment.pk}/")
    page.fill(f"[name=item_{first.pk}]", _value(first))
    page.get_by_role("button", name="提交评分").click()
    page.locator("#confirm-submit-score-error").wait_for()
    assert page.locator("#confirm-submit-score-error").inner_text() == "请勾选确认后再提交。"
    assert page.locator(f"[name=item_{first.pk}]").input_value() == _value(first)


def test_a_refused_save_brings_the_item_at_fault_into_view(any_page):
    """保存评分 is pressed at the foot of a sheet several screens long; the page opens again at its top, the item at
    fault far below: it is brought into view and focused, so the person sees what to do without hunting for it."""
    page = any_page
    rubric, assignment = _assigned("scorer")
    last = rubric.judged_items[-1]
    sign_in(page, "scorer", factories.PASSWORD)
    page.goto(f"/reviews/assignments/{assignment.pk}/")
    page.fill(f"[name=item_{last.pk}]", str(last.max_points + 1))
    page.locator(f"[name=item_{last.pk}]").evaluate("field => field.form.noValidate = true")
    page.get_by_role("button", name="保存评分").click()

    field = page.locator(f"[name=item_{last.pk}]")
    page.locator(f"#id_item_{last.pk}-error").wait_for()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * page.viewport_size["height"]
    assert field.evaluate("""field => {
        const box = field.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight && document.activeElement === field;
    }""")
    assert field.input_value() == str(last.max_points + 1)
