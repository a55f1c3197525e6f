"""Factories for the core's models. Each app's tests add their own beside them (tests/<app>/factories.py)."""

import itertools
from datetime import date

import factory

from qinshui_station.models import Organization, User, Workstation
from qinshui_station.models.workstations import construction_end
from qinshui_station.roles import OrgKind, Role, UnitType
from qinshui_station.validators import credit_code_check_character

PASSWORD = "Test@Pass2026"
_codes = itertools.count(1)


def make_credit_code() -> str:
    body = f"91140521MA{next(_codes):07d}"
    return body + credit_code_check_character(body)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrgKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"县行业主管部门{n}")
    sector = "工业"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrgKind.UNIT
    name = factory.Sequence(lambda n: f"沁水测试企业{n}有限公司")
    credit_code = factory.LazyFunction(make_credit_code)
    unit_type = UnitType.ENTERPRISE
    department = factory.SubFactory(DepartmentFactory)
    ownership = "有限责任公司"
    address = "沁水县龙港镇"
    legal_representative = "张伟"
    legal_representative_phone = "0356-7021234"
    contact_person = "王芳"
    contact_phone = "13835600001"
    contact_email = "contact@example.cn"
    bank_account_name = factory.SelfAttribute("name")
    bank_name = "中国工商银行沁水支行"
    bank_account_number = "0506012309024012345"


class OtherOrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrgKind.OTHER
    name = factory.Sequence(lambda n: f"专家工作单位{n}")


def _bureau(kind):
    return factory.LazyFunction(lambda: Organization.objects.get_or_create(kind=kind, name=str(OrgKind(kind).label))[0])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    role = Role.UNIT
    organization = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitUserFactory(UserFactory):
    role = Role.UNIT
    organization = factory.SubFactory(UnitFactory)


class DepartmentUserFactory(UserFactory):
    role = Role.DEPARTMENT
    organization = factory.SubFactory(DepartmentFactory)


class ExpertFactory(UserFactory):
    role = Role.EXPERT
    organization = factory.SubFactory(OtherOrgFactory)


class HRUserFactory(UserFactory):
    role = Role.HR
    organization = _bureau(OrgKind.HR_BUREAU)


class FinanceUserFactory(UserFactory):
    role = Role.FINANCE
    organization = _bureau(OrgKind.FINANCE_BUREAU)


class OrgDeptUserFactory(UserFactory):
    role = Role.ORG_DEPT
    organization = _bureau(OrgKind.ORG_DEPT)


class WorkstationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstation

    unit = factory.SubFactory(UnitFactory)
    name = factory.LazyAttribute(lambda w: f"沁水县技师工作站（{w.unit.name}·{w.occupation}）")
    occupation = "钳工"
    leader_name = "李师傅"
    leader_skill_level = "高级技师"
    batch_year = 2025
    plaque_number = factory.Sequence(lambda n: f"QSJS-2025-{n:03d}")
    recognition_document_number = "沁人社字〔2025〕40号"
    recognized_on = date(2025, 12, 10)
    construction_ends_on = factory.LazyAttribute(lambda w: construction_end(w.recognized_on))
