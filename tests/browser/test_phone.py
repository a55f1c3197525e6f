"""On a phone (390×844): the expert's site-visit record of an application and the expert's scoring form of an
annual evaluation, filled in and saved without horizontal scrolling; a screenshot of each."""


import pytest

from applications.workflow import State
from reviews import services
from reviews.sheets import Rubric
from tests import factories
from tests.applications import factories as af
from tests.browser.fixtures import screenshot, sign_in
from tests.browser.steps import save_expert_opinion
from tests.reviews import factories as rf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 390


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_site_visit_record_on_a_phone(phone_page):
    page = phone_page
    app = af.application_in(State.EXPERT_REVIEW)
    expert = factories.ExpertFactory(username="phone_expert")
    af.assign(app, expert=expert, submitted=False)

    sign_in(page, "phone_expert", factories.PASSWORD)
    page.goto("/applications/assignments/")
    assert fits(page)
    page.get_by_role("link", name=app.unit_name).click()
    page.wait_for_url("**/applications/assignments/*/")  # measured once the record has loaded, not while navigating
    assert fits(page)
    save_expert_opinion(page, seen="实训车间约120平方米，数控设备完好，现场查看了师带徒记录。")
    assert fits(page)
    screenshot(page, "phone-site-visit-record")


def test_expert_scoring_on_a_phone(phone_page):
    page = phone_page
    hr = factories.HRUserFactory()
    round_ = rf.open_round(hr)
    evaluation = rf.evaluation_in_round(round_, final=True)
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation),
                       counts=rf.counts_by_code(Rubric.load(round_.rubric_id), utility_patents=2))
    expert = factories.ExpertFactory(username="phone_scorer")
    services.assign_expert(actor=hr, evaluation_id=evaluation.pk, expert_id=expert.pk)
    rubric = Rubric.load(round_.rubric_id)

    sign_in(page, "phone_scorer", factories.PASSWORD)
    page.goto("/reviews/assignments/")
    assert fits(page)
    page.get_by_role("link", name=evaluation.workstation.name).click()
    page.wait_for_url("**/reviews/assignments/*/")  # measured once the sheet has loaded, not while navigating
    assert fits(page)
    for item in rubric.judged_items:
        page.fill(f"[name=item_{item.pk}]", str((item.max_points - 1).normalize()))
    page.get_by_role("button", name="保存评分").click()
    page.get_by_text("评分已保存。").wait_for()
    assert fits(page)
    screenshot(page, "phone-expert-scoring")
