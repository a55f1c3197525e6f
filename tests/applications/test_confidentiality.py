"""SPEC.md "Confidentiality" (issue 14, item 2; issue 15, finding 8): the unit, its department and finance see
the panel's conclusion, never an expert's name, opinion, vote or site-visit notes; raw codes never reach a page;
the printed 申报表 follows the same rules per reader, and one masking rule serves pages and PDFs."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from applications import services
from applications.models import ExpertAssignment
from applications.workflow import State
from tests import factories as core
from tests.applications.factories import application_in
from tests.qinshui_station.test_documents import flat, pdftotext

pytestmark = pytest.mark.django_db

ACCOUNT = "0506012309024012345"
EXPERT_NAME = "吴敏"
EXPERT_ORG = "沁水县职业技术学校"


@pytest.fixture
def reviewed(hr_user):
    """An application the department recommended and HR passed, one expert's negative opinion and site visit
    submitted through the services, and the panel's conclusion recorded: not recognized."""
    app = application_in(State.SUBMITTED)
    department = core.DepartmentUserFactory(organization=app.unit.department)
    from tests.applications.factories import add_file

    add_file(app, "recommendation_report", user=department)
    services.application_transition(application_id=app.pk, actor=department, to=State.RECOMMENDED,
                                    reason="该单位技能人才队伍稳定，同意推荐。")
    services.application_transition(application_id=app.pk, actor=hr_user, to=State.EXPERT_REVIEW,
                                    reason="材料齐全。")
    expert = core.ExpertFactory(full_name=EXPERT_NAME, organization=core.OtherOrgFactory(name=EXPERT_ORG),
                                title="高级讲师", phone="13835600777")
    assignment = ExpertAssignment.objects.create(application=app, expert=expert, assigned_by=hr_user)
    services.save_expert_review(actor=expert, assignment_id=assignment.pk, submit=True, fields={
        "document_review": "材料基本齐全。", "site_visit_on": timezone.localdate(),
        "site_visit_notes": "培训场地不足四十平方米。", "opinion": "not_recommend",
        "opinion_reason": "培训场地不足，设备陈旧。"})
    services.record_panel_conclusion(actor=hr_user, application_id=app.pk, votes_for=0, votes_against=1,
                                     votes_abstain=0, summary="实训条件尚不具备，建议完善后再申报。",
                                     held_on=timezone.localdate(), participants=[expert])
    app.refresh_from_db()
    return app


SECRETS = (EXPERT_NAME, EXPERT_ORG, "培训场地不足四十平方米", "培训场地不足，设备陈旧", "not_recommend")
RAW_CODE = re.compile(r"(?<![\w-])recommend(?![\w-])")  # the code, not the English word "recommended"


@pytest.mark.parametrize("who", ["unit", "department", "finance"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_application_page_shows_the_conclusion_and_nothing_of_the_experts(client, reviewed, who, language):
    reader = {"unit": lambda: reviewed.created_by,
              "department": lambda: core.DepartmentUserFactory(organization=reviewed.unit.department),
              "finance": core.FinanceUserFactory}[who]()
    client.force_login(reader)
    client.cookies["django_language"] = language
    html = client.get(reviewed.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for secret in SECRETS:
        assert secret not in html, secret
    assert not RAW_CODE.search(re.sub(r"<[^>]+>", " ", html))
    assert "实训条件尚不具备，建议完善后再申报。" in html


def test_hr_reads_the_experts_opinions_in_words(client, reviewed, hr_user):
    client.force_login(hr_user)
    html = client.get(reviewed.get_absolute_url()).content.decode()
    assert EXPERT_NAME in html and "培训场地不足四十平方米" in html
    assert f"专家提交评审意见（{EXPERT_NAME}）：已分配 → 不同意推荐（培训场地不足，设备陈旧。）" in html
    assert "not_recommend" not in html


def test_the_history_speaks_in_words_in_english_too(client, reviewed, hr_user):
    client.force_login(hr_user)
    with override("en"):
        html = client.get(reviewed.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "not_recommend" not in html
    # the punctuation is English's; the opinion is what the expert wrote
    assert f"Expert submitted the review opinion ({EXPERT_NAME}): Assigned → Do not recommend (培训场地不足，设备陈旧。)" in html
    assert "Status changed: In expert review → Not recognized" in html


def _form_pdf(client, app, reader) -> bytes:
    client.force_login(reader)
    response = client.get(reverse("applications:form_pdf", args=[app.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _form_text(client, app, reader) -> str:
    return flat(pdftotext(_form_pdf(client, app, reader)))


def test_the_units_printed_form_carries_the_opinions_but_no_expert(client, reviewed):
    text = _form_text(client, reviewed, reviewed.created_by)
    for secret in (EXPERT_NAME, EXPERT_ORG, "13835600777", "同意0票", "培训场地不足"):
        assert secret not in text, secret
    today = timezone.localdate()
    on = f"{today.year}年{today.month}月{today.day}日"
    # pdftotext reads the right-aligned sign-off lines out of order: the dates are checked in the layout
    assert "该单位技能人才队伍稳定，同意推荐。" in text
    assert "专家组集中评议：不同意推荐。实训条件尚不具备，建议完善后再申报。" in text
    assert "评审人员名单仅供县人社局和县委组织部查阅。" in text
    assert "材料齐全。" in text.split("县人力资源和社会保障局审核意见", 1)[1]
    layout = pdftotext(_form_pdf(client, reviewed, reviewed.created_by), "-layout")
    assert [line.split()[-1] for line in layout.splitlines() if "签字盖章：" in line or "评议日期：" in line] == [
        on, on, on]
    assert ACCOUNT in text  # the unit's own account, in full


def test_hrs_printed_form_carries_the_vote_and_the_reviewers(client, reviewed, hr_user):
    text = _form_text(client, reviewed, hr_user)
    assert "专家组集中评议：不同意推荐。同意0票，反对1票，弃权0票。实训条件尚不具备" in text
    assert f"{EXPERT_NAME}高级讲师{EXPERT_ORG}13835600777" in text


@pytest.mark.parametrize("who,shown", [
    ("unit", ACCOUNT), ("finance", ACCOUNT), ("department", "***************2345"),
    ("org_dept", "***************2345"), ("hr", "***************2345")])
def test_one_masking_rule_for_the_page_and_the_printed_form(client, reviewed, who, shown):
    reader = {"unit": lambda: reviewed.created_by, "finance": core.FinanceUserFactory,
              "department": lambda: core.DepartmentUserFactory(organization=reviewed.unit.department),
              "org_dept": core.OrgDeptUserFactory, "hr": core.HRUserFactory}[who]()
    text = _form_text(client, reviewed, reader)
    assert shown in text
    if shown != ACCOUNT:
        assert ACCOUNT not in text
    html = client.get(reviewed.get_absolute_url()).content.decode()
    assert shown in html


def test_an_expert_sees_the_account_masked_in_the_form_it_reviews(client):
    app = application_in(State.EXPERT_REVIEW)
    expert = app.assignments.get().expert
    text = _form_text(client, app, expert)
    assert "***************2345" in text and ACCOUNT not in text
