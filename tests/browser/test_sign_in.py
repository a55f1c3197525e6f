import pytest

from qinshui_station.demo import DEMO_PASSWORD, load_demo
from tests.browser.fixtures import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "unit1": "申报单位工作台", "unit2": "申报单位工作台", "dept1": "行业主管部门工作台", "dept2": "行业主管部门工作台",
    "expert1": "评审专家工作台", "expert2": "评审专家工作台", "expert3": "评审专家工作台", "hr": "县人社局工作台",
    "finance": "县财政局工作台", "orgdept": "县委组织部工作台",
}


def test_every_demo_role_signs_in_and_lands_on_its_dashboard(page):
    accounts = load_demo()
    assert [a[0] for a in accounts] == list(HEADINGS)
    for username, heading in HEADINGS.items():
        sign_in(page, username, DEMO_PASSWORD)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        screenshot(page, f"dashboard-{username}")


def test_wrong_password_shows_chinese_message(page, db):
    load_demo()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("hr")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert "请输入一个正确的用户名和密码" in page.content()
