"""Factories for the applications app, and helpers that put an application in a given state with the
records that state implies (report, assignments, conclusion, publicity)."""

import itertools
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import overlaps
from applications.models import (
    REQUIRED_KINDS,
    Application,
    Attachment,
    AttachmentKind,
    Batch,
    ExpertAssignment,
    Member,
    Objection,
    PanelConclusion,
    Publicity,
    Qualification,
)
from applications.states import ExpertAssignmentState
from applications.workflow import State
from qinshui_station import workdays
from tests import factories as core

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
_years = itertools.count()


def pdf(name: str = "材料.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    year = factory.LazyFunction(lambda: 2030 + next(_years) % 70)
    filing_opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    filing_closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    subsidy_amount = Decimal("100000.00")
    created_by = factory.SubFactory(core.HRUserFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft: every field of 附件1 filled, declarations ticked (no members, no files)."""

    class Meta:
        model = Application

    batch = factory.SubFactory(BatchFactory)
    unit = factory.SubFactory(core.UnitFactory)
    created_by = factory.SubFactory(core.UnitUserFactory, organization=factory.SelfAttribute("..unit"))
    state = State.DRAFT
    unit_name = factory.SelfAttribute("unit.name")
    unit_type = factory.SelfAttribute("unit.unit_type")
    ownership = "有限责任公司"
    staff_total = 200
    address = "沁水县龙港镇"
    legal_representative = "张伟"
    legal_representative_phone = "0356-7021234"
    contact_person = "王芳"
    contact_phone = "13835600001"
    contact_email = "contact@example.cn"
    bank_account_name = factory.SelfAttribute("unit.name")
    bank_name = "中国工商银行沁水支行"
    bank_account_number = "0506012309024012345"
    occupation = "钳工"
    leader_name = "李师傅"
    leader_skill_level = "高级技师"
    senior_technicians = 3
    technicians = 8
    senior_workers = 20
    engineers = 4
    training_system = "建立了师带徒制度，近3年培养技师12名。"
    training_plan = "未来3年培养高级技师3名、技师10名。"
    equipment = "数控加工中心2台、三坐标测量仪1台。"
    technical_work_recent = "完成液压支架装配工艺改进2项。"
    technical_work_plan = "开展刮板输送机链轮修复技术攻关。"
    projects = "承担市级技术改造项目1项。"
    school_cooperation = "与晋城技师学院共建实训基地，接收实习生30名。"
    post_establishment_plan = "设工作站站长1名，制定管理制度，年培养骨干5名以上。"
    declares_talent_mechanism = True
    declares_sound_operation = True
    declares_advanced_equipment = True
    declares_work_rules = True
    declares_truthful = True
    also_applies_master_studio = False


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True  # the hook writes nothing on the member

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    qualification = Qualification.TECHNICIAN
    post = "班组长"
    specialty = "设备维修，获县技术能手"

    @factory.post_generation
    def kept(member, create, extracted, **kwargs):
        """What the services keep with the members (the names shared, applications.overlaps), kept here too."""
        if create:
            overlaps.refresh(application_ids=[member.application_id])


def add_file(app, kind: str, user=None, name: str = "材料.pdf") -> Attachment:
    attachment = Attachment(application=app, kind=kind)
    attachment.attach(pdf(name), user=user or app.created_by)
    attachment.save()
    return attachment


def eligible_application(**kwargs) -> Application:
    """A draft that passes every eligibility check: 3 qualifying members and the required files."""
    app = ApplicationFactory(**kwargs)
    for qualification in (Qualification.SENIOR_TECHNICIAN, Qualification.TECHNICIAN, Qualification.SKILL_LEADER):
        MemberFactory(application=app, qualification=qualification)
    for kind in REQUIRED_KINDS:
        add_file(app, kind)
    return app


def assign(app, expert=None, submitted: bool = True, opinion=ExpertAssignment.Opinion.RECOMMEND):
    expert = expert or core.ExpertFactory()
    fields = {}
    if submitted:
        fields = dict(document_review="材料齐全真实。", site_visit_on=timezone.localdate() - timedelta(days=1),
                      site_visit_notes="查看了实训车间和设备。", opinion=opinion, opinion_reason="条件具备。",
                      submitted_at=timezone.now(), state=ExpertAssignmentState.SUBMITTED)
    return ExpertAssignment.objects.create(application=app, expert=expert, assigned_by=core.HRUserFactory(),
                                           **fields)


def publish(batch, starts_on, hr=None) -> Publicity:
    ends_on = workdays.nth_working_day(starts_on, 5)
    return Publicity.objects.create(batch=batch, starts_on=starts_on, ends_on=ends_on,
                                    closes_at=workdays.end_of_day(ends_on), published_by=hr or core.HRUserFactory())


ORDER = [State.DRAFT, State.SUBMITTED, State.RECOMMENDED, State.EXPERT_REVIEW, State.PROPOSED, State.PUBLICITY]


def application_in(state: str, *, publicity_starts=None, **kwargs) -> Application:
    """An eligible application brought to ``state`` with the records the earlier steps leave behind."""
    app = eligible_application(**kwargs)
    reached = ORDER.index(state) if state in ORDER else {
        State.RETURNED: 1, State.NOT_RECOMMENDED: 1, State.NOT_RECOGNIZED: 3}[state]
    if reached >= 1:
        app.submitted_at = timezone.now()
    if reached >= 2 or state == State.NOT_RECOMMENDED:
        add_file(app, AttachmentKind.RECOMMENDATION_REPORT, user=core.DepartmentUserFactory(
            organization=app.unit.department))
    if reached >= 3:
        assign(app)
    if reached >= 4 or state == State.NOT_RECOGNIZED:
        recommends = state != State.NOT_RECOGNIZED
        PanelConclusion.objects.create(application=app, votes_for=5 if recommends else 1,
                                       votes_against=0 if recommends else 4, votes_abstain=0,
                                       recommends=recommends, summary="集中评议意见。",
                                       held_on=timezone.localdate(), recorded_by=core.HRUserFactory())
    if reached >= 5:
        app.batch.state = "closed"
        app.batch.save()
        if not hasattr(app.batch, "publicity"):
            publish(app.batch, publicity_starts or timezone.localdate())
    app.state = state
    app.save()
    overlaps.refresh(application_ids=[app.pk])  # in the running or out of it, as the services' moves recount
    return Application.objects.get(pk=app.pk)


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objection

    publicity = factory.LazyAttribute(lambda o: o.application.batch.publicity)
    application = factory.LazyFunction(lambda: application_in(State.PUBLICITY))
    name = "赵某"
    phone = "13900000000"
    content = "该单位实际技师人数不足。"
    ip_address = "203.0.113.9"
