"""A unit turns one kind of e-mail off; HR sends a failed e-mail again. Both pages pass axe-core and the Nu HTML
Checker."""

import pytest
from django.utils import timezone

from qinshui_station.demo import DEMO_PASSWORD, load_demo
from qinshui_station.models import Delivery, DeliveryState, EmailPreference, User
from tests.browser.fixtures import sign_in
from tests.browser.quality import Journey, require_tools
from tests.worker import clean_jobs  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_jobs")]


@pytest.fixture
def checked_page(chromium, live_server):
    # bypass_csp: axe is injected as a script element; the portal's own pages never need it.
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900},
                                   bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_unit_turns_a_kind_off_and_hr_sends_a_failed_email_again(checked_page):
    page = checked_page
    require_tools()
    load_demo()
    journey = Journey("mail-settings")
    unit = User.objects.get(username="unit1")
    sign_in(page, "unit1", DEMO_PASSWORD)
    page.goto("/notifications/")
    page.get_by_role("link", name="邮件通知设置").click()
    journey.check(page, "unit-email-preferences")
    page.get_by_label("申报截止提醒").uncheck()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("邮件通知设置已保存。").wait_for()
    assert list(EmailPreference.objects.filter(user=unit).values_list("kind", "email")) == [("filing_closes", False)]
    assert not page.get_by_label("申报截止提醒").is_checked()

    Delivery.objects.create(recipient=unit, to_address=unit.email, subject="【沁水县技师工作站】评估已开始", body="x",
                            status=DeliveryState.FAILED, attempts=6, last_error="SMTPRecipientsRefused: 550",
                            failed_at=timezone.now())
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto("/staff/deliveries/")
    journey.check(page, "hr-failed-deliveries")
    page.locator("#failed-deliveries").get_by_role("button", name="重新发送").click()
    page.get_by_text("已重新排队发送，稍后由后台任务投递。").wait_for()
    assert Delivery.objects.get().status == DeliveryState.PENDING
    journey.assert_clean()
