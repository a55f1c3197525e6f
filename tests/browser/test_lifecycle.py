"""The whole lifecycle in one browser, each role in turn, every page checked by axe-core and the Nu HTML Checker:
a unit applies → department → HR → expert → publicity, an objection filed and dismissed → recognition → first
tranche approved and disbursed → two annual evaluations (the second is the final acceptance) → second tranche
disbursed; a second station fails its evaluation and is revoked.

The calendar: today's date is real. The recognition is today; its evaluations are in the two following years
(rounds Y+1 and Y+2). Each round is opened by HR through the form with a filing window around today instead of
March (the form allows any window), so no date is faked in the database except the publicity window, which is
moved into the past once the objection has been dealt with, as five working days would."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from applications.demo import load_demo as load_applications_demo
from applications.models import Application, Publicity
from funding import services as funding_services
from funding.models import Tranche
from qinshui_station import workdays
from qinshui_station.demo import DEMO_PASSWORD, load_demo
from qinshui_station.models import Organization, User, Workstation
from reviews.models import Assignment, Evaluation, EvaluationRound
from reviews.rubric_data import ensure_rubric_2023
from reviews.sheets import Rubric
from tests import factories
from tests.browser.fixtures import sign_in
from tests.browser.quality import Journey, require_tools
from tests.browser.steps import (
    CONFIRM,
    confirm,
    confirm_step,
    declare_and_attach,
    fill_training_and_technical_work,
    recommend_with_report,
    save_expert_opinion,
)
from tests.funding.factories import ensure_categories
from tests.worker import clean_jobs, drain  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_jobs")]


@pytest.fixture
def journey_page(chromium, live_server):
    # bypass_csp: axe is injected as a script element; the portal's own pages never need it.
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900},
                                   bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def apply(page, j: Journey, app: Application):
    sign_in(page, "unit1", DEMO_PASSWORD)
    j.check(page, "unit-home")
    page.get_by_role("link", name="工作站申报").first.click()
    j.check(page, "unit-applications")
    page.get_by_role("link", name="山西沁水机械制造有限公司").click()
    page.get_by_role("link", name="填写/修改申报表").click()
    j.check(page, "unit-application-step1")
    page.get_by_role("link", name="3. 人才培养与技术情况").click()
    fill_training_and_technical_work(page)
    j.check(page, "unit-application-step3", shot=False)
    page.get_by_role("button", name="保存并下一步").click()
    j.check(page, "unit-application-members")
    page.get_by_role("button", name="保存并下一步").click()
    declare_and_attach(page)
    j.check(page, "unit-application-submit")
    confirm(page, "提交申报")
    page.get_by_text("已办理：提交申报。").wait_for()
    j.check(page, "unit-application-submitted")


def department_recommends(page, j: Journey, app: Application):
    sign_in(page, "dept1", DEMO_PASSWORD)
    j.check(page, "department-home")
    j.visit(page, "/applications/", "department-applications")
    page.goto(f"/applications/{app.pk}/")
    j.check(page, "department-application")
    recommend_with_report(page)


def hr_and_expert_review(page, j: Journey, app: Application):
    sign_in(page, "hr", DEMO_PASSWORD)
    j.check(page, "hr-home")
    page.goto(f"/applications/{app.pk}/")
    j.check(page, "hr-application")
    confirm(page, "材料齐全，进入专家评审")
    page.get_by_label("周正（晋城技师学院，高级技师）").check()
    page.get_by_role("button", name="分配所选专家").click()
    page.get_by_text("已分配专家：周正").wait_for()

    sign_in(page, "expert1", DEMO_PASSWORD)
    j.check(page, "expert-home")
    page.get_by_role("link", name="申报评审").first.click()
    j.check(page, "expert-review-list")
    page.get_by_role("link", name="山西沁水机械制造有限公司").click()
    save_expert_opinion(page)
    j.check(page, "expert-site-visit")
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="提交评审意见").click()
    page.get_by_text("评审意见已提交。").wait_for()

    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(f"/applications/{app.pk}/")
    confirm(page, "记录集中评议结论", 同意票="1", 反对票="0", 专家评审意见="经集中评议，同意列入拟认定名单。")
    page.get_by_text("已记录集中评议结论：同意推荐，列入拟认定名单。").wait_for()


def publicity_and_recognition(page, j: Journey, app: Application):
    page.goto(app.batch.get_absolute_url())
    j.check(page, "hr-batch")
    confirm(page, "截止申报")
    start = timezone.localdate()
    end = workdays.nth_working_day(start, 5)
    confirm(page, "发布公示", 公示开始日期=start.isoformat())
    page.get_by_text(f"拟认定名单已公示：{start.isoformat()}至{end.isoformat()}。").wait_for()

    # The public reads the notice and files a named objection while the window is open.
    page.context.clear_cookies()
    j.visit(page, "/", "public-index")
    j.visit(page, f"/applications/publicity/{app.batch.year}/", "public-publicity")
    page.get_by_label("异议对象（工作站）").select_option(label="山西沁水机械制造有限公司·钳工")
    page.get_by_label("您的姓名").fill("张三")
    page.get_by_label("您的联系电话").fill("13800000000")
    page.get_by_label("异议内容").fill("该单位领办人技能等级证书存疑。")
    page.get_by_role("button", name="提交异议").click()
    page.get_by_text("异议已提交").first.wait_for()
    j.check(page, "public-objection-filed")

    # HR dismisses it with a reason.
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(app.batch.get_absolute_url())
    j.check(page, "hr-batch-objection")
    form = confirm_step(page, "处理异议")
    form.get_by_label("异议不成立（保留在名单中）").check()
    form.get_by_label("处理理由").fill("经核实，领办人高级技师证书真实有效。")
    form.get_by_label(CONFIRM).check()
    form.get_by_role("button", name="处理异议").click()
    page.get_by_text("异议不成立").first.wait_for()

    # Five working days pass: the window is moved into the past, as time would.
    past_start = start - timedelta(days=30)
    past_end = workdays.nth_working_day(past_start, 5)
    Publicity.objects.filter(batch=app.batch).update(starts_on=past_start, ends_on=past_end,
                                                     closes_at=workdays.end_of_day(past_end))
    page.goto(app.batch.get_absolute_url())
    confirm(page, "登记认定文件", 认定文号=f"沁人社字〔{start.year}〕58号", 发文日期=start.isoformat())
    page.get_by_text(f"已登记认定文件沁人社字〔{start.year}〕58号").wait_for()
    app.refresh_from_db()
    j.visit(page, app.workstation.get_absolute_url(), "hr-workstation-recognized")
    j.visit(page, "/workstations/", "hr-workstations")


def first_tranche(page, j: Journey, station: Workstation, kind_label: str):
    sign_in(page, "hr", DEMO_PASSWORD)
    page.get_by_role("link", name="待审批的补助资金").click()
    j.check(page, f"hr-tranches-to-approve-{kind_label}")
    page.get_by_role("link", name=station.name).first.click()
    page.get_by_role("button", name="审批通过").click()
    page.get_by_text("已审批通过，已通知县财政局拨付。").wait_for()

    sign_in(page, "finance", DEMO_PASSWORD)
    j.check(page, f"finance-home-{kind_label}")
    page.get_by_role("link", name="待拨付的补助资金").click()
    page.get_by_role("link", name=station.name).first.click()
    j.check(page, f"finance-tranche-{kind_label}")
    page.get_by_label("拨付日期").fill(timezone.localdate().isoformat())
    page.get_by_label("记账凭证号").fill(f"记-{kind_label}-0101")
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="登记拨付").click()
    page.get_by_text("已登记拨付。").wait_for()
    j.visit(page, "/funding/", f"finance-ledger-{kind_label}")


def open_round(page, j: Journey, year: int) -> EvaluationRound:
    sign_in(page, "hr", DEMO_PASSWORD)
    j.visit(page, "/reviews/rounds/new/", f"hr-round-new-{year}", shot=False)
    page.get_by_label("评估年度").fill(str(year))
    # The March window of that year, brought forward to today (see the module docstring).
    page.get_by_label("申报开始日期").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.get_by_label("申报截止日期").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="开始评估").click()
    return EvaluationRound.objects.get(year=year)


def file_evaluation(page, j: Journey, username: str, evaluation: Evaluation, rubric: Rubric, points):
    sign_in(page, username, DEMO_PASSWORD)
    j.visit(page, "/reviews/evaluations/", f"{username}-evaluations-{evaluation.round.year}")
    page.goto(f"/reviews/evaluations/{evaluation.pk}/edit/")
    page.get_by_label("工作站联系人").fill("李建国")
    page.get_by_label("职务").fill("综合办主任")
    page.get_by_label("联系电话").fill("13835600002")
    page.get_by_label("工作站工作开展情况").fill("全年培养骨干5名，完成技术攻关1项。")
    for item in rubric.judged_items:
        page.fill(f"[name=item_{item.pk}]", str(points(item).normalize()))
    page.get_by_role("button", name="保存").click()
    page.get_by_text("申请表已保存。").wait_for()
    j.check(page, f"{username}-evaluation-form-{evaluation.round.year}")
    page.get_by_role("link", name="查看并提交").click()
    j.check(page, f"{username}-evaluation-review-{evaluation.round.year}", shot=False)
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="提交评估申请").click()
    page.get_by_text("已办理：已提交。").wait_for()


def assign_and_score(page, j: Journey, evaluation: Evaluation, rubric: Rubric, expert: str, points):
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(evaluation.get_absolute_url())
    name = User.objects.get(username=expert).full_name
    page.locator("#id_expert").select_option(label=next(
        o for o in page.locator("#id_expert option").all_inner_texts() if o.startswith(name)))
    page.get_by_role("button", name="分配专家").click()
    page.get_by_text("已分配专家。").wait_for()
    j.check(page, f"hr-evaluation-{evaluation.pk}", shot=False)

    sign_in(page, expert, DEMO_PASSWORD)
    j.visit(page, "/reviews/assignments/", f"{expert}-assignments-{evaluation.pk}", shot=False)
    assignment = Assignment.objects.get(evaluation=evaluation, expert__username=expert)
    page.locator(f"a[href='{reverse('reviews:score', args=[assignment.pk])}']").click()
    for item in rubric.judged_items:
        page.fill(f"[name=item_{item.pk}]", str(points(item).normalize()))
    page.get_by_role("button", name="保存评分").click()
    page.get_by_text("评分已保存。").wait_for()
    j.check(page, f"{expert}-scoring-{evaluation.pk}")
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="提交评分").click()
    page.get_by_text("评分已提交。").wait_for()


def finalize(page, j: Journey, round_: EvaluationRound):
    sign_in(page, "hr", DEMO_PASSWORD)
    page.goto(round_.get_absolute_url())
    j.check(page, f"hr-round-{round_.year}")
    confirm(page, "定级并锁定")
    page.locator("#grade-table").wait_for()
    j.check(page, f"hr-round-grades-{round_.year}")


def check_mail_links():
    """Every notification e-mail is in Chinese and links, with an absolute URL, to a page its recipient can open.
    The e-mails were queued by the journey's transactions; the real worker sends them now."""
    assert mail.outbox == []
    drain()
    assert len(mail.outbox) >= 20
    client, checked = Client(), {}
    for message in mail.outbox:
        assert message.subject.startswith("【沁水县技师工作站】"), message.subject
        link = message.body.split("请登录沁水县技师工作站管理平台办理：")[1].split()[0]
        assert link.startswith(settings.SITE_URL + "/"), link
        path = link[len(settings.SITE_URL):]
        resolve(path.split("?")[0])
        user = User.objects.get(email=message.to[0])
        if (user.pk, path) not in checked:
            client.force_login(user)
            checked[user.pk, path] = client.get(path).status_code
    assert {key: status for key, status in checked.items() if status != 200} == {}


def test_the_whole_lifecycle(journey_page):
    require_tools()
    page, j = journey_page, Journey("lifecycle")
    load_demo()
    load_applications_demo()
    ensure_rubric_2023()
    ensure_categories()
    app = Application.objects.get()
    today = timezone.localdate()
    year = today.year

    # A second station, recognized last December by an earlier batch: its final acceptance is in round Y+1.
    hr = User.objects.get(username="hr")
    unit2 = Organization.objects.get(users__username="unit2")
    other = factories.WorkstationFactory(unit=unit2, occupation="采气工", batch_year=year - 1,
                                         plaque_number=f"QSJS-{year - 1}-001", recognized_on=date(year - 1, 12, 10),
                                         recognition_document_number=f"沁人社字〔{year - 1}〕40号")
    funding_services.create_grant(workstation=other, amount=Decimal("100000.00"), actor=hr)

    apply(page, j, app)
    department_recommends(page, j, app)
    hr_and_expert_review(page, j, app)
    publicity_and_recognition(page, j, app)
    station = Workstation.objects.get(unit__users__username="unit1")
    first_tranche(page, j, station, "first")
    assert Tranche.objects.get(grant__workstation=station, kind="first").state == "disbursed"

    # Round Y+1: station 1's first annual evaluation (qualified), station 2's final acceptance (unqualified).
    round1 = open_round(page, j, year + 1)
    rubric = Rubric.load(round1.rubric_id)
    ev1 = Evaluation.objects.get(round=round1, workstation=station)
    ev2 = Evaluation.objects.get(round=round1, workstation=other)
    assert (ev1.is_final_acceptance, ev2.is_final_acceptance) == (False, True)
    file_evaluation(page, j, "unit1", ev1, rubric, lambda item: item.max_points)
    file_evaluation(page, j, "unit2", ev2, rubric, lambda item: item.max_points / 2)
    assign_and_score(page, j, ev1, rubric, "expert1", lambda item: item.max_points)
    assign_and_score(page, j, ev2, rubric, "expert2", lambda item: Decimal("0.5"))
    finalize(page, j, round1)
    ev1.refresh_from_db()
    ev2.refresh_from_db()
    assert (ev1.grade, ev2.grade) == ("qualified", "unqualified")
    other.refresh_from_db()
    assert other.state == "revoked"
    assert Tranche.objects.get(grant__workstation=other, kind="first").state == "cancelled"
    j.visit(page, other.get_absolute_url(), "hr-workstation-revoked")

    # Round Y+2: station 1's final acceptance passes; the second tranche is scheduled, approved and paid.
    round2 = open_round(page, j, year + 2)
    ev3 = Evaluation.objects.get(round=round2, workstation=station)
    assert ev3.is_final_acceptance and not Evaluation.objects.filter(round=round2, workstation=other).exists()
    file_evaluation(page, j, "unit1", ev3, rubric, lambda item: item.max_points)
    assign_and_score(page, j, ev3, rubric, "expert1", lambda item: item.max_points - Decimal("0.5"))
    finalize(page, j, round2)
    station.refresh_from_db()
    assert station.state == "accepted"
    first_tranche(page, j, station, "second")
    assert Tranche.objects.get(grant__workstation=station, kind="second").state == "disbursed"

    # Each role's main pages at the end of the story.
    sign_in(page, "unit1", DEMO_PASSWORD)
    j.visit(page, station.get_absolute_url(), "unit-workstation")
    j.visit(page, f"/funding/stations/{station.pk}/", "unit-funding-statement")
    j.visit(page, f"/reviews/stations/{station.pk}/ledger/", "unit-ledger")
    j.visit(page, "/notifications/", "unit-notifications")
    sign_in(page, "orgdept", DEMO_PASSWORD)
    j.check(page, "orgdept-home")
    j.visit(page, "/reviews/rounds/", "orgdept-rounds")
    sign_in(page, "hr", DEMO_PASSWORD)
    j.visit(page, "/reviews/rounds/", "hr-rounds")
    j.visit(page, "/dashboards/", "hr-charts")
    assert page.locator("#table-stations-by-state").inner_text().count("\n") >= 3
    sign_in(page, "finance", DEMO_PASSWORD)
    j.visit(page, "/dashboards/", "finance-charts")
    assert "¥100,000.00" in page.locator("#table-subsidy-by-year").inner_text()  # both tranches paid

    check_mail_links()
    j.assert_clean()
