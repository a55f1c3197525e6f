from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNIT = "unit", _("申报单位")
    DEPARTMENT = "department", _("行业主管部门")
    EXPERT = "expert", _("评审专家")
    HR = "hr", _("县人社局")
    FINANCE = "finance", _("县财政局")
    ORG_DEPT = "org_dept", _("县委组织部")


class OrgKind(models.TextChoices):
    UNIT = "unit", _("申报单位")
    DEPARTMENT = "department", _("行业主管部门")
    HR_BUREAU = "hr_bureau", _("县人力资源和社会保障局")
    FINANCE_BUREAU = "finance_bureau", _("县财政局")
    ORG_DEPT = "org_dept", _("县委组织部")
    OTHER = "other", _("其他单位（专家工作单位）")


# The organization kind each role's user must belong to. Experts belong to their employer, which is
# either a registered unit or another body: that is what the conflict-of-interest check compares.
ROLE_ORG_KINDS: dict[str, tuple[str, ...]] = {
    Role.UNIT: (OrgKind.UNIT,),
    Role.DEPARTMENT: (OrgKind.DEPARTMENT,),
    Role.EXPERT: (OrgKind.UNIT, OrgKind.OTHER),
    Role.HR: (OrgKind.HR_BUREAU,),
    Role.FINANCE: (OrgKind.FINANCE_BUREAU,),
    Role.ORG_DEPT: (OrgKind.ORG_DEPT,),
}

STAFF_ROLES = (Role.HR, Role.FINANCE, Role.ORG_DEPT)

# SPEC.md "Separation of duties": HR creates these accounts; finance and organization-department accounts are
# created by a system administrator (``manage.py create_account``), never by HR.
HR_CREATES = (Role.DEPARTMENT, Role.EXPERT, Role.HR)


class UnitType(models.TextChoices):
    """The five kinds of body 第四条 allows to apply."""

    ENTERPRISE = "enterprise", _("企业")
    ASSOCIATION = "association", _("行业协会")
    INSTITUTION = "institution", _("科研生产型事业单位")
    TRAINING_BASE = "training_base", _("公共技能实训基地")
    HIGH_SKILL_BASE = "high_skill_base", _("高技能人才培训基地")
