"""SPEC.md "Separation of duties" (issue 15, finding 7: HR created a finance account with a password of its
choosing, approved tranche 11, signed in as that account and disbursed it).

HR creates department, expert and HR accounts only; finance and organization-department accounts are made
by a system administrator (``manage.py create_account``). Who approved a tranche cannot disburse it: the
service refuses, and a CheckConstraint holds it in the database."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from funding import services as funding_services
from funding.models import Tranche
from funding.workflow import TrancheState
from qinshui_station import services
from qinshui_station.models import AuditEntry, Organization, User
from qinshui_station.roles import OrgKind, Role
from tests import factories
from tests.funding import factories as ff

pytestmark = pytest.mark.django_db
STRONG = "Hq7#vTz!m2Lp"


def _bureau(kind):
    return Organization.objects.get_or_create(kind=kind, name=str(OrgKind(kind).label))[0]


@pytest.mark.parametrize("role,kind", [(Role.FINANCE, OrgKind.FINANCE_BUREAU), (Role.ORG_DEPT, OrgKind.ORG_DEPT)])
def test_hr_cannot_create_a_finance_or_organization_department_account_through_the_page(client, hr_user, role, kind):
    client.force_login(hr_user)
    response = client.post(reverse("staff_users"), {
        "role": role, "organization": _bureau(kind).pk, "username": "czj_new", "full_name": "李敏",
        "email": "li@example.cn", "password": STRONG})
    assert response.status_code == 200
    assert not User.objects.filter(username="czj_new").exists()
    assert "role" in response.context["form"].errors


@pytest.mark.parametrize("role,kind", [(Role.FINANCE, OrgKind.FINANCE_BUREAU), (Role.ORG_DEPT, OrgKind.ORG_DEPT)])
def test_the_service_refuses_hr_a_finance_or_organization_department_account(hr_user, role, kind):
    with pytest.raises(ValidationError) as info:
        services.create_staff_user(actor=hr_user, role=role, organization_id=_bureau(kind).pk, username="czj_new",
                                   full_name="李敏", email="li@example.cn", password=STRONG)
    assert info.value.message_dict["role"] == ["县财政局和县委组织部的账号由系统管理员创建，县人社局不能创建。"]
    assert not User.objects.filter(username="czj_new").exists()


@pytest.mark.parametrize("role,kind", [(Role.DEPARTMENT, OrgKind.DEPARTMENT), (Role.HR, OrgKind.HR_BUREAU)])
def test_hr_still_creates_department_and_hr_accounts(hr_user, role, kind):
    org = factories.DepartmentFactory() if kind == OrgKind.DEPARTMENT else _bureau(kind)
    user = services.create_staff_user(actor=hr_user, role=role, organization_id=org.pk, username="new_staff",
                                      full_name="赵敏", email="zhao@example.cn", password=STRONG)
    assert (user.role, user.organization_id) == (role, org.pk)


def test_the_administrator_creates_a_finance_account_on_the_host(monkeypatch):
    org = _bureau(OrgKind.FINANCE_BUREAU)
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    out = io.StringIO()
    call_command("create_account", role="finance", organization=org.name, username="czj_li", full_name="李敏",
                 email="li@czj.example.cn", stdout=out)
    user = User.objects.get(username="czj_li")
    assert (user.role, user.organization_id, user.check_password(STRONG)) == (Role.FINANCE, org.pk, True)
    assert out.getvalue().strip() == "已创建账号 czj_li（县财政局，县财政局）。"
    entry = AuditEntry.objects.get(object_id=str(user.pk), object_type="qinshui_station.user")
    assert (entry.action, entry.actor_id, entry.to_state) == ("create_user_by_administrator", None, "finance")


def test_the_administrator_is_held_to_the_password_rules(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Qinshui@2026\n"))
    with pytest.raises(CommandError):
        call_command("create_account", role="finance", organization=_bureau(OrgKind.FINANCE_BUREAU).name,
                     username="czj_li", full_name="李敏", email="li@czj.example.cn", stdout=io.StringIO())
    assert not User.objects.filter(username="czj_li").exists()


def _approved_by(approver):
    _ws, grant = ff.funded_station(hr=approver)
    tranche = ff.first_tranche(grant)
    funding_services.approve_tranche(tranche_id=tranche.pk, actor=approver)
    return tranche


def test_who_approved_a_tranche_cannot_disburse_it(hr_user):
    tranche = _approved_by(hr_user)
    User.objects.filter(pk=hr_user.pk).update(role=Role.FINANCE, organization=_bureau(OrgKind.FINANCE_BUREAU))
    hr_user.refresh_from_db()
    with pytest.raises(PermissionDenied, match="审批这笔资金的人不能再登记拨付"):
        funding_services.disburse_tranche(tranche_id=tranche.pk, actor=hr_user, disbursed_on=timezone.localdate(),
                                          voucher_number="记-2026-0011")
    tranche.refresh_from_db()
    assert (tranche.state, tranche.disbursed_by_id) == (TrancheState.APPROVED, None)


def test_the_database_refuses_a_tranche_disbursed_by_its_approver(hr_user):
    tranche = _approved_by(hr_user)
    with pytest.raises(IntegrityError, match="tranche_approver_does_not_disburse"), transaction.atomic():
        Tranche.objects.filter(pk=tranche.pk).update(
            state=TrancheState.DISBURSED, disbursed_by=hr_user, disbursed_on=timezone.localdate(),
            voucher_number="记-1", paid_account_number="6222000000000000")


def test_another_finance_officer_disburses_it(hr_user, finance_user):
    tranche = _approved_by(hr_user)
    funding_services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user, disbursed_on=timezone.localdate(),
                                      voucher_number="记-2026-0011")
    tranche.refresh_from_db()
    assert (tranche.state, tranche.approved_by_id, tranche.disbursed_by_id) == (
        TrancheState.DISBURSED, hr_user.pk, finance_user.pk)
