"""The unit's side: batch, draft with the profile snapshot, the steps, members in place without JavaScript,
the dashboard and the demo."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import services
from applications.demo import load_demo
from applications.models import Application, Batch, Qualification
from applications.workflow import State
from qinshui_station.demo import load_demo as load_core_demo
from qinshui_station.registry import dashboard_for
from tests.applications.factories import ApplicationFactory, BatchFactory, application_in

pytestmark = pytest.mark.django_db


def test_batch_defaults_to_one_hundred_thousand_yuan(hr_user):
    today = timezone.localdate()
    batch = services.open_batch(actor=hr_user, year=2027, filing_opens_on=today, filing_closes_on=today)
    assert batch.subsidy_amount == Decimal("100000.00")


def test_batch_amount_must_be_positive_in_the_database(hr_user):
    batch = BatchFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(subsidy_amount=Decimal("0.00"))


def test_batch_year_is_unique(hr_user):
    today = timezone.localdate()
    services.open_batch(actor=hr_user, year=2027, filing_opens_on=today, filing_closes_on=today)
    with pytest.raises(ValidationError, match="年度"):
        services.open_batch(actor=hr_user, year=2027, filing_opens_on=today, filing_closes_on=today)


def test_only_hr_opens_a_batch(unit_user):
    from django.core.exceptions import PermissionDenied

    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.open_batch(actor=unit_user, year=2027, filing_opens_on=today, filing_closes_on=today)


def test_draft_copies_the_units_profile(unit_user):
    batch = BatchFactory()
    app = services.create_application(actor=unit_user, batch_id=batch.pk, occupation="钳工")
    unit = unit_user.organization
    assert (app.unit_name, app.unit_type, app.address, app.bank_account_number, app.contact_phone) == (
        unit.name, unit.unit_type, unit.address, unit.bank_account_number, unit.contact_phone)


def test_draft_cannot_be_started_outside_the_window(unit_user):
    batch = BatchFactory(filing_opens_on=timezone.localdate() + timedelta(days=1),
                         filing_closes_on=timezone.localdate() + timedelta(days=9))
    with pytest.raises(ValidationError, match="不在申报期内"):
        services.create_application(actor=unit_user, batch_id=batch.pk, occupation="钳工")


def test_step_saves_a_draft_and_goes_on(client):
    app = ApplicationFactory()
    client.force_login(app.created_by)
    response = client.post(f"/applications/{app.pk}/edit/narrative/", {
        "training_system": "新体系", "training_plan": "计划", "equipment": "设备", "technical_work_recent": "近2年",
        "technical_work_plan": "未来2年", "projects": "项目", "school_cooperation": "校企", "next": ""})
    assert response["Location"] == f"/applications/{app.pk}/edit/members/"
    app.refresh_from_db()
    assert app.training_system == "新体系"


def test_progress_indicator_marks_the_current_and_completed_steps(client):
    app = ApplicationFactory()
    client.force_login(app.created_by)
    html = client.get(f"/applications/{app.pk}/edit/station/").content.decode()
    assert '<li class="current"><span aria-current="step">2. 工作站与人才情况</span>' in html
    assert f'<li class="done"><a href="/applications/{app.pk}/edit/unit/">1. 单位基本情况' in html
    assert f'<li class=""><a href="/applications/{app.pk}/edit/members/">4. 拟入站人员</a>' in html


def test_share_of_workforce_is_shown_computed(client):
    app = ApplicationFactory(staff_total=320, senior_technicians=4, technicians=11, senior_workers=36, engineers=9)
    client.force_login(app.created_by)
    html = client.get(f"/applications/{app.pk}/edit/station/").content.decode()
    assert '<output id="talent-share" class="fw-bold">18.75%</output>' in html


def _member_post(rows, extra=None):
    data = {"members-TOTAL_FORMS": str(len(rows)), "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000"}
    for i, (name, qualification) in enumerate(rows):
        data |= {f"members-{i}-name": name, f"members-{i}-qualification": qualification,
                 f"members-{i}-post": "班组长", f"members-{i}-specialty": "维修"}
    return data | (extra or {})


def test_members_are_added_in_place_without_javascript(client):
    app = ApplicationFactory()
    client.force_login(app.created_by)
    response = client.post(f"/applications/{app.pk}/edit/members/",
                           _member_post([("甲", Qualification.TECHNICIAN)], {"add_row": ""}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="members-1-name"' in html and 'value="甲"' in html
    assert app.members.count() == 0  # not saved until the person saves


def test_members_are_saved_and_removed(client):
    app = ApplicationFactory()
    client.force_login(app.created_by)
    client.post(f"/applications/{app.pk}/edit/members/", _member_post(
        [("甲", Qualification.TECHNICIAN), ("乙", Qualification.SENIOR_TECHNICIAN), ("丙", Qualification.OTHER)],
        {"members-2-DELETE": "on", "save": ""}))
    assert list(app.members.values_list("name", "qualification")) == [
        ("甲", "technician"), ("乙", "senior_technician")]


def test_returned_application_shows_the_reason_at_the_top(client):
    app = application_in(State.RETURNED)
    Application.objects.filter(pk=app.pk).update(return_reason="请补充成员证书。", returned_by="县工信局")
    client.force_login(app.created_by)
    html = client.get(f"/applications/{app.pk}/edit/unit/").content.decode()
    assert "已被县工信局退回修改，理由：</strong> 请补充成员证书。" in html


def test_submit_without_confirmation_is_refused(client):
    app = application_in(State.DRAFT)
    client.force_login(app.created_by)
    client.post(f"/applications/{app.pk}/move/submitted/")
    app.refresh_from_db()
    assert app.state == State.DRAFT


def test_submit_with_confirmation(client):
    app = application_in(State.DRAFT)
    client.force_login(app.created_by)
    client.post(f"/applications/{app.pk}/move/submitted/", {"confirm": "1"})
    app.refresh_from_db()
    assert app.state == State.SUBMITTED


def test_ineligible_submission_shows_one_message_per_condition(client):
    app = ApplicationFactory()
    client.force_login(app.created_by)
    html = client.post(f"/applications/{app.pk}/move/submitted/", {"confirm": "1"}, follow=True).content.decode()
    assert "目前只有0名。" in html
    assert "缺少附件：申请报告。" in html


def test_dashboard_items_per_role(unit_user, hr_user):
    app = application_in(State.RETURNED, unit=unit_user.organization)
    application_in(State.RECOMMENDED, batch=app.batch)
    unit_items = [(i.title, i.count) for i in dashboard_for(unit_user) if "申报" in i.title]
    hr_items = [(i.title, i.count) for i in dashboard_for(hr_user) if "申报" in i.title]
    assert unit_items == [("被退回待修改的申报", 1)]
    assert hr_items == [("待审核材料的工作站申报", 1)]
    assert app.state == State.RETURNED


def test_demo_is_idempotent():
    load_core_demo()
    first = load_demo()
    second = load_demo()
    assert first == second
    app = Application.objects.get()
    assert (app.state, app.occupation, app.members.count(), app.batch.year) == (
        State.DRAFT, "钳工", 4, timezone.localdate().year)


def test_a_refused_member_row_is_named_by_its_row_and_lands_at_that_field_of_the_form(unit_user):
    from django.http import QueryDict

    from applications.forms import MemberFormSet
    from qinshui_station.access import errors_to_formset

    app = ApplicationFactory(unit=unit_user.organization, created_by=unit_user)
    rows = [{"name": "赵振华", "qualification": Qualification.TECHNICIAN},
            {"name": "钱进", "qualification": Qualification.TECHNICIAN, "specialty": "长" * 501}]
    with pytest.raises(ValidationError) as raised:
        services.replace_members(actor=unit_user, application_id=app.pk, members=rows)
    assert list(raised.value.message_dict) == ["1.specialty"]
    data = QueryDict(mutable=True)
    data.update({"members-TOTAL_FORMS": "2", "members-INITIAL_FORMS": "0", "members-0-name": "赵振华",
                 "members-0-qualification": Qualification.TECHNICIAN, "members-1-name": "钱进",
                 "members-1-qualification": Qualification.TECHNICIAN})
    formset = MemberFormSet(data, instance=app, prefix="members")
    formset.is_valid()
    errors_to_formset(formset, raised.value)
    assert (formset.forms[0].errors, formset.forms[1].errors["specialty"], list(formset.non_form_errors())) == (
        {}, raised.value.message_dict["1.specialty"], [])
    errors_to_formset(formset, services.TransitionRefused("申报已提交（待主管部门初审），不能修改。"))
    assert list(formset.non_form_errors()) == ["申报已提交（待主管部门初审），不能修改。"]


def test_a_return_a_colleague_made_meanwhile_is_said_at_the_top_of_the_page_as_it_now_stands(
        client, unit_user, department_user):
    """A second officer of the department returns the application from a page opened before a colleague returned
    it: the refusal is said at the top of the application's page, which no longer offers 退回修改 (its form, where
    the message was put, is gone)."""
    from tests import factories

    app = application_in(State.SUBMITTED, unit=unit_user.organization, created_by=unit_user)
    colleague = factories.DepartmentUserFactory(organization=department_user.organization)
    services.application_transition(application_id=app.pk, actor=colleague, to=State.RETURNED, reason="请补充证书。")
    client.force_login(department_user)
    response = client.post(f"/applications/{app.pk}/move/returned/", {"reason": "第二个页面：缺少台账。", "confirm": "1"})
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == [
        "已是“退回修改”，无需再办理（可能已在其他页面或由他人办理）。"]
    html = response.content.decode()
    assert f'action="/applications/{app.pk}/move/returned/"' not in html and "第二个页面" not in html
    app.refresh_from_db()
    assert app.return_reason == "请补充证书。"


def test_a_return_refused_while_it_is_offered_keeps_the_reason_at_its_box(client, unit_user, department_user):
    app = application_in(State.SUBMITTED, unit=unit_user.organization, created_by=unit_user)
    client.force_login(department_user)
    response = client.post(f"/applications/{app.pk}/move/returned/", {"reason": "第二个页面：缺少台账。"})
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == []
    html = response.content.decode()
    assert 'id="confirm-returned-error">请先勾选确认框，再执行此操作。' in html
    assert "第二个页面：缺少台账。</textarea>" in html


def test_a_refused_step_of_the_form_is_a_400_with_the_form_as_typed(client):
    """As every refused form (the members' step, the moves): a 400, what was typed shown again."""
    app = application_in(State.DRAFT)
    client.force_login(app.created_by)
    response = client.post(f"/applications/{app.pk}/edit/unit/", {
        "unit_type": app.unit_type, "staff_total": "-3", "contact_email": "wang@example.cn", "save": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["staff_total"] == ["不能小于0。"]
    assert 'value="wang@example.cn"' in response.content.decode()


def test_a_step_refused_names_every_box_at_fault_at_once(client):
    """单位基本情况 saved with an e-mail and a phone number both malformed: both said, each at its box (the phone
    number, checked by the model's validator, was said only once the e-mail was put right: a second refusal)."""
    app = application_in(State.DRAFT)
    client.force_login(app.created_by)
    response = client.post(f"/applications/{app.pk}/edit/unit/", {
        "unit_type": app.unit_type, "ownership": "有限责任公司", "staff_total": "120", "address": "沁水县龙港镇",
        "legal_representative": "张伟", "legal_representative_phone": "0356-7021230", "contact_person": "王晓燕",
        "contact_phone": "abc", "contact_email": "not-an-email", "bank_account_name": "", "bank_name": "",
        "bank_account_number": "", "save": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"contact_phone", "contact_email"}
    assert errors["contact_phone"] == ["请输入有效的电话号码：11位手机号，或区号-号码形式的固定电话（如0356-7021234）。"]
    app.refresh_from_db()
    assert app.contact_phone != "abc"
