"""serve.sh's demo (``manage.py seed_demo``) gives every role something to do and something to see (#14, item
15): a station with its first tranche paid and expenditures, an open round with
sheets to score, an open 公示; the station's ledger page opens for finance."""

import pytest
from django.core.management import call_command

from applications.models import Publicity
from funding.models import Tranche
from qinshui_station.demo import DEMO_PASSWORD
from reviews.models import Assignment
from reviews.rubric_data import ensure_rubric_2023
from tests.browser.fixtures import screenshot, sign_in
from tests.funding.factories import ensure_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cards(page) -> list[str]:
    return [t.strip() for t in page.locator(".dashboard-card .card-title").all_inner_texts()]


def test_every_demo_role_has_something_to_do_and_to_see(page):
    ensure_categories()  # a transactional test starts without the data migration's rows
    ensure_rubric_2023()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # idempotent
    tranches = Tranche.objects.order_by("kind").values_list("kind", "state")
    assert list(tranches) == [("first", "disbursed")]  # the second only with the final acceptance
    assert Assignment.objects.filter(state="assigned").count() == 2
    publicity = Publicity.objects.get()

    sign_in(page, "finance", DEMO_PASSWORD)
    station = Tranche.objects.get(kind="first").grant.workstation
    page.goto(f"/funding/stations/{station.pk}/")
    assert page.get_by_role("heading", level=1).count() == 1
    body = page.locator("main").inner_text()
    assert "已拨付" in body and "购置数控车床刀具及量具一批" in body
    screenshot(page, "demo-finance-station-ledger")

    for username, expected in {
        "unit1": f"公示至{publicity.ends_on.month}月{publicity.ends_on.day}日，期满后认定",
        "hr": f"公示至{publicity.ends_on.month}月{publicity.ends_on.day}日，期满后认定",
        "expert1": "待评分的年度评估",
        "expert2": "待评分的年度评估",
        "dept1": "待初审的工作站申报",
    }.items():
        sign_in(page, username, DEMO_PASSWORD)
        assert any(expected in card for card in _cards(page)), (username, _cards(page))
    for username in ("unit2", "finance", "orgdept", "expert3"):
        sign_in(page, username, DEMO_PASSWORD)
        assert _cards(page) or username == "expert3", username
        screenshot(page, f"demo-home-{username}")
