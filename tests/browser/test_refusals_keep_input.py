"""A refused action keeps everything typed and shows the message at the field that caused it (#14, item 8):
the department's 同意推荐 without a 推荐报告, HR's 发布公示 (the preconditions listed and the form disabled until
they hold; a start date in the past), a unit's refused upload (材料类别 kept) and a refused evidence upload
(佐证的项目 and 说明 kept)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application, ExpertAssignment
from applications.workflow import State
from qinshui_station.models import User
from tests import factories
from tests.applications import factories as af
from tests.browser.fixtures import screenshot, sign_in
from tests.browser.steps import CONFIRM, confirm_step, scrolled_down
from tests.reviews import factories as rf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OPINION = "材料齐全，同意推荐。该单位技师团队结构合理。"
NOT_A_PDF = "这是一段文字，不是PDF。".encode()
HOW_TO_OBJECT = "书面异议请寄送县人社局职业能力建设股，注明联系方式。"


def test_recommending_without_the_report_keeps_the_opinion_and_asks_for_the_report_at_its_field(page):
    app = af.application_in(State.SUBMITTED)
    factories.DepartmentUserFactory(username="dept_a", organization=app.unit.department)
    sign_in(page, "dept_a", factories.PASSWORD)
    page.goto(f"/applications/{app.pk}/")
    step = confirm_step(page, "同意推荐，上报县人社局")
    # The report is asked for with the action, before the person presses anything.
    assert step.locator(".report-missing").inner_text() == "尚未上传推荐报告：推荐上报须附推荐报告。"
    step.get_by_label("意见（选填）").fill(OPINION)
    step.get_by_label(CONFIRM).check()
    step.get_by_role("button", name="同意推荐，上报县人社局").click()

    step = confirm_step(page, "同意推荐，上报县人社局")
    step.locator("#move-report-error").wait_for()
    assert step.locator("#move-report-error").inner_text() == "请先上传行业主管部门出具的推荐报告，再推荐上报。"
    assert step.get_by_label("意见（选填）").input_value() == OPINION
    screenshot(page, "dept-recommend-without-report")

    step.locator("input[name=report]").set_input_files(
        files=[{"name": "推荐报告.pdf", "mimeType": "application/pdf", "buffer": af.PDF}])
    step.get_by_label(CONFIRM).check()
    step.get_by_role("button", name="同意推荐，上报县人社局").click()
    page.get_by_text("已办理：同意推荐，上报县人社局。").wait_for()
    app.refresh_from_db()
    assert (app.state, app.department_opinion) == (State.RECOMMENDED, OPINION)


def test_publishing_lists_what_is_missing_then_keeps_the_date_and_text_after_a_refusal(page):
    proposed = af.application_in(State.PROPOSED)
    in_review = af.application_in(State.EXPERT_REVIEW, batch=proposed.batch)
    factories.HRUserFactory(username="hr_a")
    sign_in(page, "hr_a", factories.PASSWORD)
    page.goto(proposed.batch.get_absolute_url())
    step = confirm_step(page, "发布公示")
    assert step.locator(".step-blockers li").all_inner_texts() == [
        "请先截止本批次申报，再发布拟认定名单公示。", "本批次尚有1份申报未完成评审，全部评审结束后才能发布公示。"]
    assert step.get_by_role("button", name="发布公示").is_disabled()

    Application.objects.filter(pk=in_review.pk).update(state=State.NOT_RECOGNIZED)
    confirm_step(page, "截止申报").get_by_label(CONFIRM).check()
    confirm_step(page, "截止申报").get_by_role("button", name="截止申报").click()
    step = confirm_step(page, "发布公示")
    assert step.locator(".step-blockers").count() == 0
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    step.get_by_label("公示开始日期").fill(yesterday)
    step.get_by_label("异议受理方式").fill(HOW_TO_OBJECT)
    step.get_by_label(CONFIRM).check()
    step.get_by_role("button", name="发布公示").click()

    step = confirm_step(page, "发布公示")
    step.locator("#error_1_id_starts_on, .invalid-feedback").first.wait_for()
    assert step.locator(".invalid-feedback").all_inner_texts() == ["公示开始日期不能早于今天。"]
    assert step.get_by_label("公示开始日期").input_value() == yesterday
    assert step.get_by_label("异议受理方式").input_value() == HOW_TO_OBJECT
    assert page.locator(".messages .alert-danger").count() == 0
    screenshot(page, "hr-publish-refused")

    step.get_by_label("公示开始日期").fill(timezone.localdate().isoformat())
    step.get_by_label(CONFIRM).check()
    step.get_by_role("button", name="发布公示").click()
    page.get_by_text("拟认定名单已公示").wait_for()


def test_a_refused_upload_keeps_the_chosen_category(page):
    app = af.eligible_application()
    app.created_by.username = "unit_a"
    app.created_by.save()
    sign_in(page, "unit_a", factories.PASSWORD)
    page.goto(f"/applications/{app.pk}/edit/attachments/")
    page.get_by_label("材料类别").select_option(label="成员证书及业绩佐证材料")
    page.get_by_label("文件").set_input_files(files=[{"name": "证书.pdf", "mimeType": "application/pdf",
                                                     "buffer": NOT_A_PDF}])
    page.get_by_role("button", name="上传").click()
    page.locator(".invalid-feedback").first.wait_for()
    assert page.locator(".invalid-feedback").all_inner_texts() == [
        "文件“证书.pdf”不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）。"]
    assert page.get_by_label("材料类别").evaluate("s => s.options[s.selectedIndex].text") == "成员证书及业绩佐证材料"


def test_a_refused_evidence_upload_keeps_the_item_and_the_note(page):
    hr = factories.HRUserFactory()
    evaluation = rf.evaluation_in_round(rf.open_round(hr))
    unit = rf.unit_user_of(evaluation.workstation)
    unit.username = "unit_b"
    unit.save()
    sign_in(page, "unit_b", factories.PASSWORD)
    page.goto(f"/reviews/evaluations/{evaluation.pk}/edit/")
    target = page.get_by_label("佐证的项目")
    chosen = target.locator("option").nth(3).inner_text()
    target.select_option(label=chosen)
    page.get_by_label("说明").fill("发明专利证书扫描件")
    page.get_by_label("佐证材料（PDF、JPEG或PNG）").set_input_files(
        files=[{"name": "专利.pdf", "mimeType": "application/pdf", "buffer": NOT_A_PDF}])
    page.get_by_role("button", name="上传").click()
    page.locator(".invalid-feedback").first.wait_for()
    assert page.locator(".invalid-feedback").all_inner_texts() == [
        "文件“专利.pdf”不是PDF、JPEG或PNG文件（系统按文件内容识别，不看扩展名）。"]
    assert page.get_by_label("佐证的项目").evaluate("s => s.options[s.selectedIndex].text") == chosen
    assert page.get_by_label("说明").input_value() == "发明专利证书扫描件"


def test_assigning_an_expert_no_longer_on_the_list_keeps_the_other_tick_and_says_why_at_the_experts(page):
    app = af.application_in(State.EXPERT_REVIEW)
    staying, leaving = factories.ExpertFactory(full_name="周正"), factories.ExpertFactory(full_name="吴敏")
    factories.HRUserFactory(username="hr_k")
    sign_in(page, "hr_k", factories.PASSWORD)
    page.goto(f"/applications/{app.pk}/")
    form = page.locator("#assign-experts")
    form.locator(f"#assign-expert-{staying.pk}").check()
    form.locator(f"#assign-expert-{leaving.pk}").check()
    User.objects.filter(pk=leaving.pk).update(is_active=False)  # meanwhile, in another office
    form.get_by_role("button", name="分配所选专家").click()

    form = page.locator("#assign-experts")
    form.locator("#assign-expert-error").wait_for()
    assert form.locator("#assign-expert-error").inner_text() == "所选专家中有人已不在评审专家名单中（账号已停用），请重新勾选。"
    assert form.locator(f"#assign-expert-{staying.pk}").is_checked()
    assert form.locator(f"#assign-expert-{leaving.pk}").count() == 0  # no longer offered
    assert page.locator(".messages .alert").count() == 0
    assert app.assignments.filter(expert=staying).count() == 0
    screenshot(page, "hr-assign-refused")

    form.get_by_role("button", name="分配所选专家").click()
    page.locator("#assign-experts .alert-success").wait_for()
    assert app.assignments.filter(expert=staying, state="assigned").count() == 1


def test_assigning_from_the_batch_page_with_no_expert_ticked_keeps_the_applications_ticked(page):
    one = af.application_in(State.EXPERT_REVIEW)
    two = af.application_in(State.EXPERT_REVIEW, batch=one.batch)
    factories.ExpertFactory(full_name="周正")
    factories.HRUserFactory(username="hr_m")
    sign_in(page, "hr_m", factories.PASSWORD)
    page.goto(one.batch.get_absolute_url())
    form = page.locator("#assign-experts")
    form.locator(f"#assign-app-{two.pk}").check()
    form.get_by_role("button", name="分配所选专家").click()

    form = page.locator("#assign-experts")
    form.locator("#assign-expert-error").wait_for()
    assert form.locator("#assign-expert-error").inner_text() == "请勾选要分配的专家。"
    assert form.locator(f"#assign-app-{one.pk}").is_checked() and form.locator(f"#assign-app-{two.pk}").is_checked()

    form.locator(f"#assign-app-{one.pk}").uncheck()
    form.locator(f"#assign-app-{two.pk}").uncheck()
    form.locator("input[name=expert]").first.check()
    form.get_by_role("button", name="分配所选专家").click()
    form = page.locator("#assign-experts")
    form.locator("#assign-application-error").wait_for()
    assert form.locator("#assign-application-error").inner_text() == "请勾选要分配专家的申报。"
    assert form.locator("input[name=expert]").first.is_checked()


def test_members_typed_while_the_application_was_submitted_elsewhere_are_kept_with_the_reason(page):
    app = af.eligible_application()
    factories.UnitUserFactory(username="unit_m", organization=app.unit)
    sign_in(page, "unit_m", factories.PASSWORD)
    page.goto(f"/applications/{app.pk}/edit/members/")
    page.locator("input[name='members-3-name']").fill("赵振华")
    page.locator("select[name='members-3-qualification']").select_option(label="技师")
    page.locator("input[name='members-3-post']").fill("电工班长")
    Application.objects.filter(pk=app.pk).update(state=State.SUBMITTED)  # submitted from another tab
    page.get_by_role("button", name="保存草稿").click()

    form = page.locator("#members-form")
    form.locator(".alert-danger").wait_for()
    assert form.locator(".alert-danger").inner_text() == "申报已提交（待主管部门初审），不能修改。"
    assert page.locator("input[name='members-3-name']").input_value() == "赵振华"
    assert page.locator("input[name='members-3-post']").input_value() == "电工班长"
    assert app.members.count() == 3
    screenshot(page, "unit-members-refused")


def test_a_conflict_on_the_batch_page_assigns_the_other_pairs_and_keeps_the_refused_ticks_with_the_reason(page):
    one = af.application_in(State.EXPERT_REVIEW)
    two = af.application_in(State.EXPERT_REVIEW, batch=one.batch)
    three = af.application_in(State.EXPERT_REVIEW, batch=one.batch)
    colleague = factories.ExpertFactory(full_name="郑国强", organization=two.unit)
    other = factories.ExpertFactory(full_name="周正")
    factories.HRUserFactory(username="hr_n")
    sign_in(page, "hr_n", factories.PASSWORD)
    page.goto(one.batch.get_absolute_url())
    form = page.locator("#assign-experts")
    form.locator(f"#assign-app-{two.pk}").check()
    form.locator(f"#assign-expert-{colleague.pk}").check()
    form.locator(f"#assign-expert-{other.pk}").check()
    form.get_by_role("button", name="分配所选专家").click()

    form = page.locator("#assign-experts")
    form.locator(f"#assign-app-{two.pk}-error").wait_for()
    assert form.locator(".alert-success").all_inner_texts() == [
        f"已分配专家：周正、郑国强（{one}）", f"已分配专家：周正（{two}）"]
    assert form.locator(".alert-danger").all_inner_texts() == [
        "仍勾选的申报和专家未能分配，原因见各申报下方；可调整勾选后再分配。"]
    assert form.locator(".invalid-feedback").all_inner_texts() == [
        f"未分配郑国强：专家{colleague}任职于申报单位{two.unit}，存在利益冲突，不能评审该申报。"]
    ticked = form.locator("input:checked").evaluate_all("boxes => boxes.map(b => b.id)")
    assert ticked == [f"assign-app-{two.pk}", f"assign-expert-{colleague.pk}"]
    assert page.locator(".messages .alert").count() == 0
    assert scrolled_down(page) > 0  # where the person was: at the form (scrolled once loaded)
    assert set(ExpertAssignment.objects.filter(expert__in=[colleague, other]).values_list(
        "application_id", "expert_id")) == {(one.pk, other.pk), (one.pk, colleague.pk), (two.pk, other.pk)}
    assert not three.assignments.filter(expert__in=[colleague, other]).exists()
    screenshot(page, "hr-batch-assign-conflict")

    # The person turns the refused tick to the third application: assigned, the form back with nothing refused.
    form.locator(f"#assign-app-{two.pk}").uncheck()
    form.locator(f"#assign-app-{three.pk}").check()
    form.get_by_role("button", name="分配所选专家").click()
    page.wait_for_url(f"**{one.batch.get_absolute_url()}#assign-experts")
    assert page.locator("#assign-experts .alert").all_inner_texts() == [f"已分配专家：郑国强（{three}）"]
    assert three.assignments.filter(expert=colleague, state="assigned").count() == 1


def test_an_amount_refused_when_upholding_a_misuse_keeps_the_reason(page):
    from decimal import Decimal

    from funding import services as funding
    from tests.funding.factories import disbursed_station, spend

    hr = factories.HRUserFactory(username="hr_p")
    unit = factories.UnitUserFactory()
    station, _grant = disbursed_station(hr=hr, finance=factories.FinanceUserFactory(), unit=unit.organization)
    expenditure = spend(station, unit, Decimal("8000.00"), code="talent-training", description="外出考察")
    funding.question_expenditure(expenditure_id=expenditure.pk, actor=hr, reason="票据抬头不符")
    sign_in(page, "hr_p", factories.PASSWORD)
    page.goto(f"/funding/expenditures/{expenditure.pk}/")
    step = page.locator("#step-uphold")
    step.get_by_label("理由").fill("以培训名义组织旅游，票据系补开。")
    step.get_by_label("应追回金额（元）").fill("9999999")
    step.get_by_label(CONFIRM).check()
    step.get_by_role("button", name="认定违规使用").click()

    step = page.locator("#step-uphold")
    step.locator(".invalid-feedback").first.wait_for()
    assert step.locator(".invalid-feedback").first.inner_text().startswith("应追回金额不能超过已拨付金额")
    assert step.get_by_label("理由").input_value() == "以培训名义组织旅游，票据系补开。"
    assert step.get_by_label("应追回金额（元）").input_value() == "9999999"
    assert page.locator(".messages .alert").count() == 0
    screenshot(page, "hr-uphold-refused")


def test_hr_returning_an_evaluation_reads_as_an_action_with_its_consequences_in_both_languages(page):
    """The card said 退回修改 three times (title, text, button): no consequences; in English the state's
    "Returned for revision" on the button."""
    hr = factories.HRUserFactory(username="hr_r")
    evaluation = rf.evaluation_in_round(rf.open_round(hr))
    rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    sign_in(page, "hr_r", factories.PASSWORD)
    page.goto(evaluation.get_absolute_url())
    step = confirm_step(page, "退回修改")
    assert step.locator(".card-text").inner_text() == (
        "申请表将退回单位修改，单位会收到退回理由；单位重新提交前，专家不能评分，本轮也不能定级。")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url.split("/reviews/")[0] + "/"}])
    page.goto(evaluation.get_absolute_url())
    step = confirm_step(page, "Return for revision")
    assert step.locator(".card-text").inner_text() == (
        "The form goes back to the unit for revision, with your reason; until the unit resubmits it, the experts "
        "cannot score it and the round cannot be finalized.")
    step.get_by_label("Reason").fill("The patent certificate is missing.")
    step.get_by_label("I understand the consequences and confirm").check()
    screenshot(page, "hr-evaluation-return-en")
    step.get_by_role("button", name="Return for revision").click()
    page.get_by_text("Done: Returned for revision.").wait_for()
    evaluation.refresh_from_db()
    assert evaluation.state == "returned"


# the width of a quotation mark as the page's own font draws it, in px
QUOTE_WIDTH = """() => { const s = document.createElement("span"); s.textContent = "\\u201c";
  document.querySelector("main").appendChild(s); const w = s.getBoundingClientRect().width; s.remove(); return Math.round(w); }"""


def test_english_quotation_marks_are_not_a_full_em_wide(page):
    """The CJK font drew “ a full em wide in English ("Please tick “I understand…” first." read with a gap before
    the words); Chinese keeps its full-width marks."""
    factories.HRUserFactory(username="hr_q")
    sign_in(page, "hr_q", factories.PASSWORD)
    assert page.evaluate(QUOTE_WIDTH) == 16
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url.split("/home/")[0] + "/"}])
    page.goto("/home/")
    assert page.evaluate(QUOTE_WIDTH) < 9
