"""After 截止申报 the batch page says the filing is closed and counts no days (#14, item 9)."""

import pytest

from tests import factories
from tests.applications import factories as af
from tests.browser.fixtures import sign_in
from tests.browser.steps import confirm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_closed_batch_counts_no_days(page):
    batch = af.BatchFactory()  # filing closes in 30 days
    factories.HRUserFactory(username="hr_c")
    sign_in(page, "hr_c", factories.PASSWORD)
    page.goto(batch.get_absolute_url())
    assert page.locator("main .deadline").first.inner_text() == "还剩30天"

    confirm(page, "截止申报")
    page.get_by_text(f"{batch}已截止申报。").wait_for()
    assert page.locator("main .deadline").all_inner_texts() == ["已截止"]
    page.goto("/applications/batches/")
    assert page.locator("main .deadline").all_inner_texts() == ["已截止"]
