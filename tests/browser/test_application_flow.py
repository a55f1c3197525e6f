"""One application from the demo draft to a recognized workstation, signing in as each role in turn:
unit → sector department → HR → expert → HR (conclusion, publicity) → the public → HR (recognition)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.demo import load_demo as load_applications_demo
from applications.models import Application, Publicity
from applications.workflow import State
from qinshui_station import workdays
from qinshui_station.demo import DEMO_PASSWORD, load_demo
from tests.applications.factories import PNG
from tests.browser.fixtures import screenshot, sign_in
from tests.browser.steps import (
    confirm_step,
    declare_and_attach,
    fill_training_and_technical_work,
    recommend_with_report,
    save_expert_opinion,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_application_from_draft_to_recognized_workstation(page):
    load_demo()
    load_applications_demo()
    app = Application.objects.get()

    # --- the unit completes its draft --------------------------------------------------------------
    sign_in(page, "unit1", DEMO_PASSWORD)
    page.get_by_role("link", name="工作站申报").first.click()
    page.get_by_role("link", name="山西沁水机械制造有限公司").click()
    page.get_by_role("link", name="填写/修改申报表").click()
    page.get_by_role("link", name="3. 人才培养与技术情况").click()
    fill_training_and_technical_work(page)
    page.get_by_role("button", name="保存并下一步").click()

    # members: a row added in place (JavaScript), then saved
    page.get_by_role("button", name="添加一行").click()
    page.locator("input[name='members-4-name']").fill("赵振华")
    page.locator("select[name='members-4-qualification']").select_option(label="技师")
    page.locator("input[name='members-4-post']").fill("电工班长")
    page.get_by_role("button", name="保存并下一步").click()
    assert app.members.count() == 5

    declare_and_attach(page)
    screenshot(page, "application-ready-to-submit")
    submit = confirm_step(page, "提交申报")
    submit.get_by_label("我已了解上述后果，确认执行").check()
    submit.get_by_role("button", name="提交申报").click()
    page.get_by_text("已办理：提交申报。").wait_for()

    # --- the sector department recommends with its report ------------------------------------------
    sign_in(page, "dept1", DEMO_PASSWORD)
    page.goto(f"/applications/{app.pk}/")
    recommend_with_report(page)

    # --- HR: completeness, experts (the unit's own employee is refused) -----------------------------
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(f"/applications/{app.pk}/")
    complete = confirm_step(page, "材料齐全，进入专家评审")
    complete.get_by_label("我已了解上述后果，确认执行").check()
    complete.get_by_role("button", name="材料齐全，进入专家评审").click()
    # The expert who works for the unit is not offered; the reason is given.
    page.locator("#assign-experts").wait_for()
    assert page.get_by_label("郑国强（山西沁水机械制造有限公司，高级技师）").count() == 0
    assert "郑国强（山西沁水机械制造有限公司）：任职于申报单位，存在利益冲突" in page.locator(".experts-unavailable").inner_text()
    page.get_by_label("周正（晋城技师学院，高级技师）").check()
    page.get_by_role("button", name="分配所选专家").click()
    page.get_by_text("已分配专家：周正").wait_for()

    # --- the expert reviews -------------------------------------------------------------------------
    sign_in(page, "expert1", DEMO_PASSWORD)
    page.get_by_role("link", name="申报评审").first.click()
    page.get_by_role("link", name="山西沁水机械制造有限公司").click()
    save_expert_opinion(page)
    page.get_by_label("实地查看照片").set_input_files(files=[{"name": "车间.png", "mimeType": "image/png",
                                                             "buffer": PNG}])
    page.get_by_role("button", name="上传照片").click()
    page.get_by_text("照片已上传。").wait_for()
    page.get_by_label("我已了解上述后果，确认执行").check()
    page.get_by_role("button", name="提交评审意见").click()
    page.get_by_text("评审意见已提交。").wait_for()

    # --- HR: collective conclusion, close the batch, publish -----------------------------------------
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(f"/applications/{app.pk}/")
    conclusion = confirm_step(page, "记录集中评议结论")
    conclusion.get_by_label("同意票").fill("1")  # one expert took part: one vote
    conclusion.get_by_label("反对票").fill("0")
    conclusion.get_by_label("专家评审意见").fill("经集中评议，同意列入拟认定名单。")
    conclusion.get_by_label("我已了解上述后果，确认执行").check()
    conclusion.get_by_role("button", name="记录集中评议结论").click()
    page.get_by_text("已记录集中评议结论：同意推荐，列入拟认定名单。").wait_for()
    page.goto(app.batch.get_absolute_url())
    close = confirm_step(page, "截止申报")
    close.get_by_label("我已了解上述后果，确认执行").check()
    close.get_by_role("button", name="截止申报").click()
    start = timezone.localdate()
    end = workdays.nth_working_day(start, 5)
    publish = confirm_step(page, "发布公示")
    publish.get_by_label("公示开始日期").fill(start.isoformat())
    publish.get_by_label("我已了解上述后果，确认执行").check()
    publish.get_by_role("button", name="发布公示").click()
    page.get_by_text(f"拟认定名单已公示：{start.isoformat()}至{end.isoformat()}。").wait_for()

    # --- the public reads the notice (no sign-in) -----------------------------------------------------
    page.context.clear_cookies()
    page.goto(f"/applications/publicity/{app.batch.year}/")
    notice = page.locator("article.publicity-notice")
    assert "沁水县技师工作站（山西沁水机械制造有限公司·钳工）" in notice.inner_text()
    assert f"{end.year}年{end.month}月{end.day}日" in notice.inner_text()
    assert app.contact_phone not in page.content()
    screenshot(page, "application-publicity")

    # Five working days pass: the window is moved into the past, as time would.
    past_start = start - timedelta(days=30)
    past_end = workdays.nth_working_day(past_start, 5)
    Publicity.objects.filter(batch=app.batch).update(starts_on=past_start, ends_on=past_end,
                                                     closes_at=workdays.end_of_day(past_end))

    # --- HR records the joint recognition document -----------------------------------------------------
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(app.batch.get_absolute_url())
    recognize = confirm_step(page, "登记认定文件")
    recognize.get_by_label("认定文号").fill("沁人社字〔2026〕58号")
    recognize.get_by_label("发文日期").fill(timezone.localdate().isoformat())
    recognize.get_by_label("我已了解上述后果，确认执行").check()
    recognize.get_by_role("button", name="登记认定文件").click()
    page.get_by_text("已登记认定文件沁人社字〔2026〕58号").wait_for()

    app.refresh_from_db()
    assert app.state == State.RECOGNIZED
    page.goto(app.workstation.get_absolute_url())
    assert f"QSJS-{app.batch.year}-001" in page.content()
    assert "沁人社字〔2026〕58号" in page.locator(".recognition-panel").inner_text()
    screenshot(page, "application-recognized-workstation")
