"""Contexts of the documents whose template lives in the core.

``application_form.html`` (附件1) is driven by plain attributes so that the applications app can pass
its real ``Application`` (or an adapter around it): the attribute names are listed in
``docs/documents.md`` and mirrored by :class:`ApplicationFormData`, which the benchmark and the tests use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MIN_MEMBER_ROWS = 8  # the annex leaves room for about eight members; more rows grow the table
REVIEWER_ROWS = 5  # blank lines of the 评审人员签名 table


@dataclass
class MemberRow:
    """One line of 拟入站人员基本情况."""

    name: str
    qualification: str  # 职业资格/职称
    post: str = ""  # 职务
    achievements: str = ""  # 专长、业绩成果应用及获奖情况


@dataclass
class ApplicationFormData:
    """Everything 附件1 prints. Any object with these attribute names will do."""

    unit_name: str
    unit_type: str  # display text, e.g. "企业"
    ownership: str  # 所有制形式, display text
    staff_total: int
    address: str
    legal_representative: str
    legal_representative_phone: str
    contact_name: str
    contact_phone: str
    contact_email: str
    bank_account_name: str
    bank_name: str
    bank_account_number: str
    occupation: str  # 工作站职业（工种）
    leader_name: str
    leader_skill_level: str
    filed_on: date | None  # 填报时间 (printed Y年n月j日; blank for a draft never filed)
    senior_technicians: int = 0  # 高级技师
    technicians: int = 0  # 技师
    senior_workers: int = 0  # 高级工
    senior_engineers: int = 0  # 高级工程师
    engineers: int = 0  # 工程师
    assistant_engineers: int = 0  # 助理工程师
    other_talent: int = 0  # 其他技术技能人才
    training_system: str = ""  # 目前人才培养体系和近3年人才培养情况
    training_plan: str = ""  # 未来3年人才培养计划（包括培养方向、目标）
    equipment: str = ""  # 生产科研仪器设备情况
    tech_recent: str = ""  # 技术攻关技能创新情况 · 近2年情况
    tech_plan: str = ""  # 技术攻关技能创新情况 · 未来2年计划
    projects: str = ""  # 承担国家、省级、市级、县级或单位内部项目情况
    school_cooperation: str = ""  # 当前校企合作情况，效果如何
    post_plan: str = ""  # 建站后工作设想
    members: list[MemberRow] = field(default_factory=list)

    @property
    def talent_total(self) -> int:
        return talent_total(self)

    @property
    def talent_share(self) -> str:
        return talent_share(self)


TALENT_FIELDS = ("senior_technicians", "technicians", "senior_workers", "senior_engineers", "engineers",
                 "assistant_engineers", "other_talent")


def talent_total(obj) -> int:
    return sum(int(getattr(obj, name) or 0) for name in TALENT_FIELDS)


def talent_share(obj) -> str:
    """技术技能人才占用工比例 as printed: talent / staff, a percentage rounded half up to 0.01."""
    staff = int(obj.staff_total or 0)
    if staff <= 0:
        return ""
    share = (Decimal(talent_total(obj)) * 100 / Decimal(staff)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{share}%"


def application_form_context(application, members=None) -> dict:
    """The context of ``documents/application_form.html``.

    ``application``: an object with the attributes of :class:`ApplicationFormData` (``talent_share``
    may be left out: it is then computed from the counts). ``members``: iterable of objects with
    ``name``, ``qualification``, ``post``, ``achievements``; defaults to ``application.members``.
    """
    rows = list(members if members is not None else getattr(application, "members", []))
    if not hasattr(application, "talent_share"):
        application = _WithShare(application)
    return {
        "application": application,
        "members": rows,
        "blank_member_rows": range(max(0, MIN_MEMBER_ROWS - len(rows))),
        "reviewer_rows": range(REVIEWER_ROWS),
        "narratives": narrative_rows(application),
        "plan_rows": plan_rows(application),
    }


# A narrative longer than this is continued in further rows labelled "（续）", each short enough to stay on
# one page with its borders (a row never breaks across pages: pdf.css).
CHUNK_CHARS = 900


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut after a line end or a Chinese full stop when
    one is near the end of the piece."""
    text = text or ""
    pieces = []
    while len(text) > size:
        window = text[:size]
        cut = max(window.rfind("\n"), window.rfind("。"), window.rfind("；"), window.rfind(". "))
        cut = cut + 1 if cut >= size // 2 else size
        pieces.append(text[:cut].rstrip("\n"))
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return pieces


NARRATIVES = [
    # (group label or None, own label, attribute)
    (gettext_lazy("人才培养情况"), gettext_lazy("目前人才培养体系和近3年人才培养情况"), "training_system"),
    (gettext_lazy("人才培养情况"), gettext_lazy("未来3年人才培养计划（包括培养方向、目标）"), "training_plan"),
    (None, gettext_lazy("生产科研仪器设备情况"), "equipment"),
    (gettext_lazy("技术攻关技能创新情况"), gettext_lazy("近2年情况"), "tech_recent"),
    (gettext_lazy("技术攻关技能创新情况"), gettext_lazy("未来2年计划"), "tech_plan"),
    (None, gettext_lazy("承担国家、省级、市级、县级或单位内部项目情况"), "projects"),
    (None, gettext_lazy("当前校企合作情况，效果如何"), "school_cooperation"),
]


def narrative_rows(application) -> list[dict]:
    """The narrative rows of the 申请表: one row per piece of each section. A continued piece repeats its
    label followed by ``continued`` ("（续）"). A group label (人才培养情况 …) spans its two sections as in
    the annex; when a section of the group is continued, every row of the group carries the group label
    (a cell spanning rows on several pages would lose its label and borders)."""
    rows = []
    for group, label, name in NARRATIVES:
        for n, piece in enumerate(chunks(getattr(application, name, ""))):
            rows.append({"group": group, "label": label, "continued": _("（续）") if n else "",
                         "text": piece, "group_span": 1 if group else 0})
    for group in {r["group"] for r in rows if r["group"]}:
        members = [r for r in rows if r["group"] == group]
        if not any(r["continued"] for r in members):
            members[0]["group_span"] = len(members)
            for r in members[1:]:
                r["group_span"] = 0
    return rows


def plan_rows(application) -> list[dict]:
    return [{"label": _("建站后工作设想"), "continued": _("（续）") if n else "", "text": piece}
            for n, piece in enumerate(chunks(application.post_plan))]


class _WithShare:
    def __init__(self, wrapped):
        self._wrapped = wrapped

    def __getattr__(self, name):
        return getattr(self._wrapped, name)

    @property
    def talent_share(self) -> str:
        return talent_share(self._wrapped)


ISSUERS = ("中共沁水县委组织部", "沁水县人力资源和社会保障局", "沁水县财政局")


def certificate_context(station) -> dict:
    """The context of ``documents/plaque_certificate.html`` from a core ``Workstation``."""
    return {"station": station, "unit_name": station.unit.name, "issuers": ISSUERS}


# --- sample data: the benchmark, the README previews and the tests --------------------------------

SAMPLE_MEMBERS = [
    ("张喆", "高级技师", "工作站领办人", "长期从事煤矿机电设备检修，主持完成采煤机液压系统改造，获山西省技术能手称号。"),
    ("王堃", "技师", "机电队副队长", "擅长变频器与PLC故障诊断，参与编写企业维修规程，带徒12人。"),
    ("李昇", "高级技师", "维修班长", "提升机制动系统改进项目负责人，获晋城市职工技术创新成果二等奖。"),
    ("赵敏", "技师", "技术员", "电气焊接工艺骨干，参与皮带机托辊快速更换工装研制。"),
    ("刘洋", "高级工程师", "机电副总工程师", "负责工作站技术攻关课题的组织与评审。"),
    ("陈静", "工程师", "培训主管", "负责师带徒计划的制定与考核。"),
    ("杨帆", "技师", "检修工", "井下供电系统检修，多次参加县级技能竞赛并获奖。"),
    ("黄磊", "高级工", "检修工", "液压支架检修骨干，参与立柱快速修复工艺推广。"),
    ("周鑫", "技师", "电工", "矿用防爆电器维修，参与校企合作实训课程开发。"),
    ("吴淼", "助理工程师", "技术员", "负责工作站台账与影像资料管理。"),
]

PARAGRAPH = ("本单位高度重视技能人才队伍建设，建立了以高级技师、技师为骨干的传帮带体系，"
             "每年组织岗位练兵和技能比武，近三年共培养高级工以上技能人才八十余名。")


def sample_application(members: int = 10) -> ApplicationFormData:
    """A filled 附件1 with ``members`` proposed members (names include 喆, 堃 and 昇)."""
    rows = [MemberRow(*SAMPLE_MEMBERS[i % len(SAMPLE_MEMBERS)]) for i in range(members)]
    return ApplicationFormData(
        unit_name="山西沁水喆昇机电设备有限公司",
        unit_type="企业",
        ownership="有限责任公司",
        staff_total=486,
        address="山西省晋城市沁水县龙港镇梅杏路18号",
        legal_representative="王堃",
        legal_representative_phone="0356-7021234",
        contact_name="李昇",
        contact_phone="13835612345",
        contact_email="hr@qszs-jd.example.cn",
        bank_account_name="山西沁水喆昇机电设备有限公司",
        bank_name="中国工商银行沁水支行",
        bank_account_number="0506 0212 0900 0123 456",
        occupation="机修钳工",
        leader_name="张喆",
        leader_skill_level="高级技师",
        filed_on=date(2025, 3, 18),
        senior_technicians=6, technicians=18, senior_workers=64, senior_engineers=3, engineers=11,
        assistant_engineers=9, other_talent=15,
        training_system=PARAGRAPH * 2,
        training_plan="未来三年围绕煤矿机电设备智能化改造，计划培养技师10名、高级工30名，建立“一师多徒”培养档案。",
        equipment="拥有数控车床、液压综合试验台、变频调速实训装置等生产科研设备46台（套），总价值约680万元。",
        tech_recent="近两年完成采煤机截割部减速器修复等技术攻关项目5项，节约维修费用约210万元。",
        tech_plan="未来两年计划开展提升机智能监测、皮带机节能改造等攻关课题4项。",
        projects="承担晋城市职工技术创新项目1项、县级技能人才培养项目2项及单位内部课题6项。",
        school_cooperation="与晋城职业技术学院建立校企合作关系，共建实训基地，年接收实习学生40名，效果良好。",
        post_plan="建站后实行领办人负责制，制定工作站管理制度和年度计划，围绕关键设备开展攻关，"
                  "每年培养技能骨干不少于5名，组织或参加技能竞赛，推广新工艺新方法。" * 2,
        members=rows,
    )


def sample_station():
    """A recognized station shaped like a core ``Workstation`` (for previews; no database)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        name="沁水县喆昇机修钳工技师工作站", unit=SimpleNamespace(name="山西沁水喆昇机电设备有限公司"),
        occupation="机修钳工", leader_name="张喆", leader_skill_level="高级技师", plaque_number="QSJS-2025-001",
        recognition_document_number="沁人社字〔2025〕40号", recognized_on=date(2025, 12, 10),
        construction_ends_on=date(2027, 12, 9),
    )
