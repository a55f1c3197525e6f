"""A round end to end: the unit files, two experts score on a phone, HR finalizes, the grade table appears."""

import pytest

from qinshui_station.demo import DEMO_PASSWORD
from qinshui_station.demo import load_demo as load_core_demo
from reviews import services
from reviews.demo import load_demo
from reviews.models import Evaluation
from reviews.sheets import Rubric
from tests.browser.fixtures import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_round_from_filing_to_the_grade_table(page, phone_page):
    load_core_demo()
    load_demo()
    evaluation = Evaluation.objects.select_related("round").get(workstation__unit__users__username="unit2")
    rubric = Rubric.load(evaluation.round.rubric_id)

    # The unit fills the 年度评估申请表 and submits it.
    sign_in(page, "unit2", DEMO_PASSWORD)
    page.goto(f"/reviews/evaluations/{evaluation.pk}/edit/")
    assert "排采设备远程监测改造" in page.content()  # the ledger beside the form
    page.get_by_label("工作站联系人").fill("李建国")
    page.get_by_label("职务").fill("综合办主任")
    page.get_by_label("联系电话").fill("13835600002")
    page.get_by_label("工作站工作开展情况").fill("全年培养骨干5名，完成排采设备远程监测改造。")
    for item in rubric.judged_items:
        page.fill(f"[name=item_{item.pk}]", str(item.max_points.normalize()))
    codes = {r.code: r.pk for r in rubric.rules}
    page.fill(f"[name=count_{codes['utility_patents']}]", "2")
    page.fill(f"[name=count_{codes['promoted_technologies']}]", "1")
    page.get_by_role("button", name="保存").click()
    assert "申请表已保存。" in page.content()
    assert "79.00" in page.content()  # 70 judged + 4 patents + 5 promotion
    page.get_by_role("link", name="查看并提交").click()
    page.get_by_label("我已了解上述后果，确认执行").check()
    page.get_by_role("button", name="提交评估申请").click()
    assert "已办理：已提交。" in page.content()
    screenshot(page, "evaluation-submitted")

    # HR assigns two experts (the third works for unit 1: not the station's unit, but we need only two).
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(evaluation.get_absolute_url())
    for name in ("周正", "吴敏"):
        page.locator("#id_expert").select_option(label=next(
            o for o in page.locator("#id_expert option").all_inner_texts() if o.startswith(name)))
        page.get_by_role("button", name="分配专家").click()
        assert "已分配专家。" in page.content()

    # Two experts score on a phone: the unit's self-score beside each field, no horizontal scrolling.
    for username, judged_value in (("expert1", None), ("expert2", "half")):
        sign_in(phone_page, username, DEMO_PASSWORD)
        phone_page.goto("/reviews/assignments/")
        phone_page.get_by_role("link", name=evaluation.workstation.name).click()
        assert "单位自评" in phone_page.content()
        assert _no_horizontal_scroll(phone_page)
        for item in rubric.judged_items:
            value = item.max_points if judged_value is None else item.max_points - 1
            phone_page.fill(f"[name=item_{item.pk}]", str(value.normalize()))
        phone_page.get_by_role("button", name="保存评分").click()
        assert "评分已保存。" in phone_page.content()
        assert _no_horizontal_scroll(phone_page)
        screenshot(phone_page, f"expert-scoring-{username}")
        phone_page.get_by_label("我已了解上述后果，确认执行").check()
        phone_page.get_by_role("button", name="提交评分").click()
        assert "评分已提交。" in phone_page.content()

    # HR finalizes; the grade table appears.
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(evaluation.round.get_absolute_url())
    assert "79.00" in page.locator("#round-table").inner_text()  # self 79.00
    # on a phone the round's table reads as one card per station (it was 417 px wide in its 390 px box, its last
    # column cut off)
    sign_in(phone_page, "hr", DEMO_PASSWORD)
    phone_page.goto(evaluation.round.get_absolute_url())
    round_table = phone_page.locator("#round-table")
    assert round_table.get_attribute("data-stacked") == ""
    assert round_table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    assert _no_horizontal_scroll(phone_page)
    page.get_by_label("我已了解上述后果，确认执行").check()
    page.get_by_role("button", name="定级并锁定").click()
    table = page.locator("#grade-table")
    table.wait_for()
    # expert1: 70 + 4 + 5 = 79; expert2: 56 + 9 = 65 → mean 72.00, qualified
    row = table.locator("tbody tr").first.inner_text()
    assert "72.00" in row and "合格" in row
    screenshot(page, "evaluation-grade-table")
    evaluation.refresh_from_db()
    assert (evaluation.grade, evaluation.assessed_total) == ("qualified", services.Decimal("72.00"))
