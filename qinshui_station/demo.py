"""Demo organizations and one account per role, for trying the portal. Idempotent."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qinshui_station.models import Organization, User
from qinshui_station.roles import OrgKind, Role, UnitType
from qinshui_station.validators import credit_code_check_character

DEMO_PASSWORD = "Qinshui@2026"


def credit_code(body17: str) -> str:
    return body17 + credit_code_check_character(body17)


DEPARTMENTS = [("县工业和信息化局", "工业和信息化"), ("县能源局", "能源")]
UNITS = [
    # name, credit-code body, department index, type
    ("山西沁水机械制造有限公司", "91140521MA0K123", 0, UnitType.ENTERPRISE),
    ("沁水县煤层气开发有限公司", "91140521MA0L567", 1, UnitType.ENTERPRISE),
]
ACCOUNTS = [
    # username, full name, role, organization key, title
    ("unit1", "王晓燕", Role.UNIT, ("unit", 0), "人事专员"),
    ("unit2", "李建国", Role.UNIT, ("unit", 1), "综合办主任"),
    ("dept1", "赵明", Role.DEPARTMENT, ("dept", 0), "科长"),
    ("dept2", "孙立", Role.DEPARTMENT, ("dept", 1), "科长"),
    ("expert1", "周正", Role.EXPERT, ("other", "晋城技师学院"), "高级技师"),
    ("expert2", "吴敏", Role.EXPERT, ("other", "沁水县职业技术学校"), "高级工程师"),
    ("expert3", "郑国强", Role.EXPERT, ("unit", 0), "高级技师"),  # works for unit 1: shows the conflict check
    ("hr", "陈静", Role.HR, ("hr", None), "职业能力建设股"),
    ("finance", "刘芳", Role.FINANCE, ("finance", None), "社保股"),
    ("orgdept", "何伟", Role.ORG_DEPT, ("org_dept", None), "人才工作科"),
]


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    departments = [
        Organization.objects.get_or_create(kind=OrgKind.DEPARTMENT, name=name, defaults={"sector": sector})[0]
        for name, sector in DEPARTMENTS
    ]
    units = []
    for i, (name, body, dept, unit_type) in enumerate(UNITS):
        code = credit_code(body + f"{i + 1:02d}")
        unit, _created = Organization.objects.get_or_create(
            kind=OrgKind.UNIT, credit_code=code,
            defaults=dict(
                name=name, unit_type=unit_type, department=departments[dept], ownership="有限责任公司",
                address="山西省晋城市沁水县龙港镇", legal_representative="张" + "伟强"[i], contact_person="王晓燕",
                legal_representative_phone="0356-702123" + str(i), contact_phone="1383560000" + str(i),
                contact_email=f"unit{i + 1}@example.cn", bank_account_name=name, bank_name="中国工商银行沁水支行",
                bank_account_number=f"05060123090240{i:05d}",
            ),
        )
        units.append(unit)
    singles = {
        "hr": Organization.objects.get_or_create(kind=OrgKind.HR_BUREAU, name="沁水县人力资源和社会保障局")[0],
        "finance": Organization.objects.get_or_create(kind=OrgKind.FINANCE_BUREAU, name="沁水县财政局")[0],
        "org_dept": Organization.objects.get_or_create(kind=OrgKind.ORG_DEPT, name="中共沁水县委组织部")[0],
    }
    created = []
    for username, full_name, role, (kind, key), title in ACCOUNTS:
        if kind == "unit":
            org = units[key]
        elif kind == "dept":
            org = departments[key]
        elif kind == "other":
            org = Organization.objects.get_or_create(kind=OrgKind.OTHER, name=key)[0]
        else:
            org = singles[kind]
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults=dict(full_name=full_name, role=role, organization=org, title=title,
                          email=f"{username}@example.cn"),
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        created.append((username, user.get_role_display(), str(org)))
    return created


# A minimal PDF (the upload check reads the content's signature): the demo's materials and vouchers.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def demo_pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")
