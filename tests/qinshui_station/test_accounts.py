import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse

from qinshui_station import audit, services
from qinshui_station.models import AuditEntry, Organization, User
from qinshui_station.roles import OrgKind, Role
from tests import factories


def _registration(dept, **over):
    data = {
        "name": "沁水县新材料有限公司", "credit_code": "91140521M000100Y4K", "unit_type": "enterprise",
        "department": dept.pk, "ownership": "民营", "address": "沁水县", "legal_representative": "张三",
        "legal_representative_phone": "13835600002", "contact_person": "李四", "contact_phone": "13835600003",
        "contact_email": "a@example.cn", "username": "newunit", "full_name": "李四", "email": "a@example.cn",
        "phone": "13835600003", "password1": "Qs!sTrong-2026", "password2": "Qs!sTrong-2026",
    }
    data.update(over)
    return data


def test_unit_registers_itself_and_lands_on_its_dashboard(client, db):
    dept = factories.DepartmentFactory()
    response = client.post(reverse("register"), _registration(dept))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(username="newunit")
    assert user.role == Role.UNIT
    assert user.organization.kind == OrgKind.UNIT
    assert user.organization.department == dept
    assert AuditEntry.objects.filter(action="register_unit").count() == 1


def test_registration_with_bad_credit_code_shows_field_error_and_keeps_input(client, db):
    dept = factories.DepartmentFactory()
    response = client.post(reverse("register"), _registration(dept, credit_code="91140521M000100Y44"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "统一社会信用代码校验位不正确，请核对后重新输入。" in html
    assert 'value="沁水县新材料有限公司"' in html
    assert not Organization.objects.filter(name="沁水县新材料有限公司").exists()


def test_registration_requires_allowed_unit_type(client, db):
    dept = factories.DepartmentFactory()
    response = client.post(reverse("register"), _registration(dept, unit_type="individual"))
    assert response.status_code == 200
    assert "individual" in response.content.decode()  # the 'not one of the choices' message names the value
    assert not User.objects.filter(username="newunit").exists()


def test_hr_creates_expert_account(db, hr_user):
    employer = factories.OtherOrgFactory()
    expert = services.create_staff_user(actor=hr_user, role=Role.EXPERT, organization_id=employer.pk,
                                        username="exp9", full_name="专家九", email="e9@example.cn",
                                        password="Qs!sTrong-2026")
    assert expert.role == Role.EXPERT
    assert expert.organization == employer


def test_staff_role_must_match_organization(db, hr_user):
    from django.core.exceptions import ValidationError

    unit = factories.UnitFactory()
    with pytest.raises(ValidationError) as info:
        services.create_staff_user(actor=hr_user, role=Role.DEPARTMENT, organization_id=unit.pk, username="x",
                                   full_name="x", email="x@example.cn", password="Qs!sTrong-2026")
    assert info.value.message_dict["organization"] == ["所选机构与角色不符。"]


def test_audit_log_is_append_only(db, hr_user):
    entry = audit.record(actor=hr_user, obj=hr_user, action="test")
    with pytest.raises(DatabaseError) as info, transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="changed")
    assert "cannot be changed or deleted" in str(info.value)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_audit_page_filters_by_actor(client, hr_user):
    other = factories.HRUserFactory()
    audit.record(actor=hr_user, obj=hr_user, action="mine", reason="甲")
    audit.record(actor=other, obj=other, action="theirs", reason="乙")
    client.force_login(hr_user)
    html = client.get(reverse("audit_log"), {"actor": hr_user.pk}).content.decode()
    assert "理由：甲" in html
    assert "理由：乙" not in html


def test_unit_constraint_in_database(db):
    dept = factories.DepartmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(kind=OrgKind.UNIT, name="无代码单位", department=dept, unit_type="enterprise")


def test_password_reset_mail_is_chinese(client, unit_user, mailoutbox):
    client.post(reverse("password_reset"), {"email": unit_user.email})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "沁水县技师工作站管理平台：重置密码"
    assert "/accounts/password/reset/" in mailoutbox[0].body


def test_audit_page_filters_each_and_together_and_refuses_an_unknown_actor(client, hr_user):
    other, unit_user = factories.HRUserFactory(), factories.UnitUserFactory()
    audit.record(actor=hr_user, obj=hr_user, action="mine", reason="甲")
    audit.record(actor=other, obj=other, action="theirs", reason="乙")
    audit.record(actor=other, obj=hr_user, action="theirs", reason="丙")
    client.force_login(hr_user)

    def reasons(**params):
        response = client.get(reverse("audit_log"), params)
        html = response.content.decode()
        return response.status_code, [r for r in "甲乙丙" if f"理由：{r}" in html]

    label = hr_user._meta.label_lower
    assert reasons() == (200, ["甲", "乙", "丙"])
    assert reasons(object_type=label) == (200, ["甲", "乙", "丙"])
    assert reasons(object_type=label, object_id=str(hr_user.pk)) == (200, ["甲", "丙"])
    assert reasons(object_id=str(hr_user.pk), actor=other.pk) == (200, ["丙"])
    assert reasons(q="丙") == (200, ["丙"])
    assert reasons(q="乙", actor=other.pk) == (200, ["乙"])
    # a unit's account is not among the choices: refused at the field, the whole log shown
    status, shown = reasons(actor=unit_user.pk)
    assert (status, shown) == (200, ["甲", "乙", "丙"])
    form = client.get(reverse("audit_log"), {"actor": unit_user.pk}).context["form"]
    assert form.errors["actor"] == ["所选项不在可选范围内，请从列表中重新选择。"]
