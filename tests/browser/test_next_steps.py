"""Every role's next step is plain (#14, item 14): a new unit's home during filing says what to do; during
公示 the unit's and HR's homes say until when and what follows; HR assigns several eligible experts to one or
several applications at once, told why the others are not offered, and stays where it was; a blocked submit
says each unmet condition once, at its step."""


import pytest
from django.utils import timezone

from applications.models import ExpertAssignment
from applications.workflow import State
from tests import factories
from tests.applications import factories as af
from tests.browser.fixtures import screenshot, sign_in
from tests.browser.steps import confirm_step, scrolled_down

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cards(page) -> list[str]:
    return [t.strip() for t in page.locator(".dashboard-card .card-title").all_inner_texts()]


def test_a_new_unit_is_told_to_file_while_a_batch_is_open(page):
    batch = af.BatchFactory()
    factories.UnitUserFactory(username="new_unit")
    sign_in(page, "new_unit", factories.PASSWORD)
    closes = batch.filing_closes_on
    assert _cards(page) == [f"{batch}正在申报，截至{closes.month}月{closes.day}日"]
    assert page.get_by_text("暂无待办事项。").count() == 0
    page.locator(".dashboard-card a").click()
    page.wait_for_url("**/applications/new/")


def test_during_publicity_the_unit_and_hr_are_told_until_when(page):
    app = af.application_in(State.PUBLICITY, publicity_starts=timezone.localdate())
    ends = app.batch.publicity.ends_on
    app.created_by.username = "listed_unit"
    app.created_by.save()
    factories.HRUserFactory(username="hr_e")
    expected = f"公示至{ends.month}月{ends.day}日，期满后认定"
    for username in ("listed_unit", "hr_e"):
        sign_in(page, username, factories.PASSWORD)
        assert expected in _cards(page), username
        screenshot(page, f"home-during-publicity-{username}")


def test_hr_assigns_several_eligible_experts_and_stays_in_place(page):
    app = af.application_in(State.EXPERT_REVIEW)
    already = app.assignments.get().expert
    colleague = factories.ExpertFactory(full_name="郑国强", organization=app.unit)
    first, second = factories.ExpertFactory(full_name="周正"), factories.ExpertFactory(full_name="吴敏")
    factories.HRUserFactory(username="hr_f")
    sign_in(page, "hr_f", factories.PASSWORD)
    page.goto(f"/applications/{app.pk}/")
    form = page.locator("#assign-experts")
    offered = form.locator("input[name=expert]").evaluate_all("boxes => boxes.map(b => b.labels[0].innerText)")
    assert offered == [f"吴敏（{second.organization}）", f"周正（{first.organization}）"]
    assert sorted(form.locator(".experts-unavailable li").all_inner_texts()) == sorted([
        f"郑国强（{app.unit}）：任职于申报单位，存在利益冲突", f"{already}（{already.organization}）：已分配评审该申报"])
    form.get_by_label(f"周正（{first.organization}）").check()
    form.get_by_label(f"吴敏（{second.organization}）").check()
    form.get_by_role("button", name="分配所选专家").click()
    page.wait_for_url(f"**/applications/{app.pk}/#assign-experts")
    assert page.locator("#assign-experts .alert").all_inner_texts() == [f"已分配专家：吴敏、周正（{app}）"]
    assert scrolled_down(page) > 0  # the browser scrolls to the anchor once the page has loaded
    assert sorted(ExpertAssignment.objects.filter(application=app).exclude(state="withdrawn")
                  .values_list("expert__full_name", flat=True)) == sorted(["吴敏", "周正", already.full_name])
    assert colleague.pk not in ExpertAssignment.objects.values_list("expert_id", flat=True)


def test_hr_assigns_experts_to_several_applications_from_the_batch_page(page):
    one = af.application_in(State.EXPERT_REVIEW)
    two = af.application_in(State.EXPERT_REVIEW, batch=one.batch)
    colleague = factories.ExpertFactory(full_name="郑国强", organization=two.unit)
    other = factories.ExpertFactory(full_name="周正")
    factories.HRUserFactory(username="hr_g")
    sign_in(page, "hr_g", factories.PASSWORD)
    page.goto(one.batch.get_absolute_url())
    form = page.locator("#assign-experts")
    form.locator(f"#assign-app-{two.pk}").check()
    form.locator(f"#assign-expert-{other.pk}").check()
    assert form.locator(f"#assign-expert-{colleague.pk} ~ .form-text").inner_text() == (
        f"任职于申报单位，不能评审：{two.unit_name}·{two.occupation}")
    form.get_by_role("button", name="分配所选专家").click()
    page.wait_for_url(f"**{one.batch.get_absolute_url()}#assign-experts")
    assert page.locator("#assign-experts .alert").all_inner_texts() == [
        f"已分配专家：周正（{one}）", f"已分配专家：周正（{two}）"]
    assert page.locator("#assign-experts input:checked").count() == 1  # the form as on arrival: the first application
    assert set(ExpertAssignment.objects.filter(state="assigned", expert__in=[colleague, other])
               .values_list("application_id", "expert_id")) == {(one.pk, other.pk), (two.pk, other.pk)}


def test_a_blocked_submit_says_each_condition_once_at_its_step(page):
    app = af.ApplicationFactory(declares_truthful=False)
    app.created_by.username = "unit_h"
    app.created_by.save()
    sign_in(page, "unit_h", factories.PASSWORD)
    page.goto(f"/applications/{app.pk}/edit/attachments/")
    # Not submittable: no button to press, and each unmet condition once, under the step that puts it right.
    assert confirm_step(page, "提交申报").count() == 0
    texts = page.locator(".eligibility-problems li").all_inner_texts()
    assert len(texts) == len(set(texts)) and len(texts) >= 3
    steps = page.locator(".problem-step").evaluate_all("gs => gs.map(g => g.dataset.step)")
    assert steps == ["members", "plan", "attachments"]
    assert page.locator(".problem-step[data-step=plan] li").all_inner_texts() == [
        f"请勾选声明：{app._meta.get_field('declares_truthful').verbose_name}。"]
    # A submission sent anyway (a page left open) comes back to the same list, without repeating it on top.
    with page.expect_navigation():
        page.evaluate(f"""() => {{ const f = document.createElement('form'); f.method = 'post';
            f.action = '/applications/{app.pk}/move/submitted/';
            f.innerHTML = '<input name=csrfmiddlewaretoken value=' + document.querySelector('[name=csrfmiddlewaretoken]').value
                + '><input name=confirm value=1>'; document.body.append(f); f.submit(); }}""")
    assert page.locator(".eligibility-problems li").all_inner_texts() == texts
    assert page.locator(".messages .alert-danger").count() == 0
    screenshot(page, "unit-blocked-submit")
