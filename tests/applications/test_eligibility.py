"""第四条 at submission: one message per failed condition; the DB holds one live application per unit,
occupation and batch."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import rules, services
from applications.models import Application, AttachmentKind, Qualification
from applications.workflow import State
from tests.applications.factories import (
    ApplicationFactory,
    MemberFactory,
    application_in,
    eligible_application,
)

pytestmark = pytest.mark.django_db


def test_an_eligible_draft_has_no_problems():
    assert rules.eligibility_problems(eligible_application()) == []


def test_fewer_than_three_qualifying_members_is_named_with_the_count():
    app = eligible_application()
    app.members.filter(qualification=Qualification.SKILL_LEADER).update(qualification=Qualification.SENIOR_WORKER)
    MemberFactory(application=app, qualification=Qualification.ENGINEER)
    assert rules.eligibility_problems(app) == [
        "拟入站人员中须有3名以上技师、高级技师或技术技能带头人（第四条（一）），目前只有2名。"]


def test_named_skill_leaders_count_towards_the_three():
    app = eligible_application()
    app.members.update(qualification=Qualification.SKILL_LEADER)
    assert rules.eligibility_problems(app) == []


def test_unit_type_outside_the_five_is_refused():
    app = eligible_application(unit_type="")
    assert rules.eligibility_problems(app) == [
        "单位类型须为企业、行业协会、科研生产型事业单位、公共技能实训基地或高技能人才培训基地之一（第四条）。"]


def test_filing_window_closed_is_refused_with_its_dates():
    app = eligible_application()
    batch = app.batch
    batch.filing_opens_on = timezone.localdate() - timedelta(days=40)
    batch.filing_closes_on = timezone.localdate() - timedelta(days=1)
    batch.save()
    assert rules.eligibility_problems(app) == [
        f"{batch.year}年度批次的申报时间为{batch.filing_opens_on.isoformat()}至{batch.filing_closes_on.isoformat()}，"
        "当前不在申报期内。"]


def test_closed_batch_is_refused():
    app = eligible_application()
    app.batch.state = "closed"
    app.batch.save()
    assert rules.eligibility_problems(app) == [f"{app.batch.year}年度批次已截止申报，不能提交。"]


def test_second_live_application_for_the_same_occupation_is_refused():
    first = application_in(State.SUBMITTED)
    second = eligible_application(batch=first.batch, unit=first.unit)
    assert rules.eligibility_problems(second) == [
        f"本单位在{first.batch}已有职业（工种）为“钳工”的申报在办（状态：待主管部门初审），同一单位同一工种每批次只能申报一份。"]


def test_a_not_recommended_application_does_not_block_a_new_one():
    first = application_in(State.NOT_RECOMMENDED)
    second = eligible_application(batch=first.batch, unit=first.unit)
    assert rules.eligibility_problems(second) == []


def test_another_occupation_of_the_same_unit_is_allowed():
    first = application_in(State.SUBMITTED)
    second = eligible_application(batch=first.batch, unit=first.unit, occupation="电工")
    assert rules.eligibility_problems(second) == []


def test_database_refuses_two_live_applications_for_one_unit_and_occupation():
    first = application_in(State.SUBMITTED)
    second = ApplicationFactory(batch=first.batch, unit=first.unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=second.pk).update(state=State.SUBMITTED)


def test_each_missing_required_attachment_has_its_own_message():
    app = eligible_application()
    app.attachments.filter(kind__in=[AttachmentKind.SIGNED_FORM, AttachmentKind.MEMBER_EVIDENCE]).delete()
    assert rules.eligibility_problems(app) == ["缺少附件：申报表签字盖章扫描件。", "缺少附件：成员证书及业绩佐证材料。"]


def test_missing_fields_declarations_and_master_studio_answer():
    app = eligible_application(leader_name="", staff_total=None, declares_truthful=False,
                               also_applies_master_studio=None)
    assert rules.eligibility_problems(app) == [
        "申报表尚有必填项未填写：员工总人数、领办人姓名。",
        "请勾选声明：所填内容及所附材料真实、准确，如有虚假愿承担相应责任。",
        "请声明同一团队是否同时申报县级技能大师工作室。",
    ]


def test_submitting_an_ineligible_draft_raises_every_message_and_keeps_the_draft():
    app = ApplicationFactory(unit_type="")
    with pytest.raises(ValidationError) as raised:
        services.application_transition(application_id=app.pk, actor=app.created_by, to=State.SUBMITTED)
    assert "拟入站人员中须有3名以上技师、高级技师或技术技能带头人（第四条（一）），目前只有0名。" in raised.value.messages
    assert len(raised.value.messages) == 6  # type, members, and four attachments
    app.refresh_from_db()
    assert app.state == State.DRAFT


def test_shared_members_between_two_applications_are_flagged():
    first = application_in(State.SUBMITTED)
    second = application_in(State.SUBMITTED, batch=first.batch)
    shared = first.members.first()
    MemberFactory(application=second, name=shared.name, qualification=shared.qualification)
    MemberFactory(application=second, name=shared.name, qualification=Qualification.OTHER)  # other title: no match
    overlaps = rules.shared_members(first.batch)
    assert [(o["first"].pk, o["second"].pk, o["members"]) for o in overlaps] == [
        (first.pk, second.pk, [f"{shared.name}（{shared.get_qualification_display()}）"])]


def test_the_application_page_warns_of_its_own_overlaps_only(client, hr_user):
    first = application_in(State.SUBMITTED)
    second = application_in(State.SUBMITTED, batch=first.batch)
    third = application_in(State.SUBMITTED, batch=first.batch)
    shared = first.members.first()
    MemberFactory(application=second, name=f" {shared.name} ", qualification=shared.qualification)  # spaces trimmed
    other = third.members.first()
    MemberFactory(application=second, name=other.name, qualification=other.qualification)
    client.force_login(hr_user)
    html = client.get(first.get_absolute_url()).content.decode()
    assert html.count("overlap-warning") == 1
    assert f"成员重复提示：“{first}”与“{second}”的拟入站人员有相同人员（{shared.name}（" in html
    assert client.get(second.get_absolute_url()).content.decode().count("overlap-warning") == 2


@pytest.mark.parametrize("state", [State.NOT_RECOMMENDED, State.NOT_RECOGNIZED])
def test_an_application_out_of_the_running_overlaps_no_one(client, hr_user, state):
    first = application_in(State.SUBMITTED)
    out = application_in(state, batch=first.batch)
    shared = first.members.first()
    MemberFactory(application=out, name=shared.name, qualification=shared.qualification)
    client.force_login(hr_user)
    assert "overlap-warning" not in client.get(out.get_absolute_url()).content.decode()
    assert "overlap-warning" not in client.get(first.get_absolute_url()).content.decode()
    assert rules.shared_members(first.batch) == []


@pytest.mark.parametrize("pairs,note", [(1, False), (2, True)])
def test_the_batch_page_says_more_pairs_exist_only_when_some_were_left_out(client, hr_user, monkeypatch, pairs, note):
    monkeypatch.setattr(rules, "OVERLAP_LIMIT", 1)
    first = application_in(State.SUBMITTED)
    shared = first.members.first()
    for _ in range(pairs):
        other = application_in(State.SUBMITTED, batch=first.batch)
        MemberFactory(application=other, name=shared.name, qualification=shared.qualification)
    client.force_login(hr_user)
    html = client.get(first.batch.get_absolute_url()).content.decode()
    assert html.count("overlap-warning") == 1
    assert ("仅显示前1组成员重复提示" in html) is note


def test_talent_share_is_computed_from_the_staff_total():
    app = ApplicationFactory(staff_total=320, senior_technicians=4, technicians=11, senior_workers=36,
                             senior_engineers=0, engineers=9, assistant_engineers=0, other_talents=0)
    assert str(app.talent_share) == "18.75"


def test_talents_above_the_staff_total_are_refused():
    app = ApplicationFactory()
    with pytest.raises(ValidationError, match="技术技能人才合计不能超过员工总人数"):
        services.update_draft(actor=app.created_by, application_id=app.pk, fields={"staff_total": 10})
