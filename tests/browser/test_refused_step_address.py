"""A refused step shows its object's page again at the step's own address (the form's action, e.g.
/applications/<pk>/move/recommended/): reloading posted the step again, and the address copied or bookmarked
later gave a 405 page. The page now names its address and portal.js puts it in the address bar."""

import pytest

from applications.workflow import State
from tests import factories
from tests.applications import factories as af
from tests.browser.fixtures import screenshot, sign_in
from tests.browser.steps import CONFIRM, confirm_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_step_leaves_the_address_on_the_objects_page_and_a_reload_does_not_post_again(page, live_server):
    app = af.application_in(State.SUBMITTED)
    factories.DepartmentUserFactory(username="dept_addr", organization=app.unit.department)
    sign_in(page, "dept_addr", factories.PASSWORD)
    page.goto(f"/applications/{app.pk}/")
    step = confirm_step(page, "同意推荐，上报县人社局")
    step.get_by_label(CONFIRM).check()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        step.get_by_role("button", name="同意推荐，上报县人社局").click()
    assert posted.value.url == f"{live_server.url}/applications/{app.pk}/move/recommended/"
    confirm_step(page, "同意推荐，上报县人社局").locator("#move-report-error").wait_for()
    assert page.url == f"{live_server.url}/applications/{app.pk}/"
    screenshot(page, "refused-step-address")

    with page.expect_response(lambda r: r.url == page.url) as reloaded:
        page.reload()
    assert (reloaded.value.request.method, reloaded.value.status) == ("GET", 200)
    assert page.locator("#move-report-error").count() == 0
