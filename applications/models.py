"""The annual batch, the 申报表 (附件1) with its members and attachments, the review records, the publicity
and the recognition document. Rules live in services.py / rules.py; the database holds the invariants."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Trim
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applications.states import DEAD, EDITABLE, LIVE, BatchState, ExpertAssignmentState, ObjectionState, State
from qinshui_station import limits
from qinshui_station.addresses import address
from qinshui_station.choice_labels import label
from qinshui_station.limits import text_limit
from qinshui_station.punctuation import bracketed
from qinshui_station.roles import OrgKind, UnitType
from qinshui_station.uploads import StoredFileBase
from qinshui_station.validators import validate_phone

DEFAULT_SUBSIDY = Decimal("100000.00")


class Batch(models.Model):
    """年度批次: one a year, with its filing window and the subsidy per station (第十一条)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    filing_opens_on = models.DateField(_("申报开始日期"))
    filing_closes_on = models.DateField(_("申报截止日期"))
    subsidy_amount = models.DecimalField(_("每站建设补助（元）"), max_digits=12, decimal_places=2,
                                         default=DEFAULT_SUBSIDY)
    state = models.CharField(_("状态"), max_length=10, choices=BatchState.choices, default=BatchState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "申报批次")  # one, as an audit sentence names it
        verbose_name_plural = _("申报批次")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(name="batch_subsidy_positive", condition=Q(subsidy_amount__gt=0),
                                   violation_error_message=_("建设补助金额必须大于零。")),
            models.CheckConstraint(name="batch_window_ordered", condition=Q(filing_closes_on__gte=F("filing_opens_on")),
                                   violation_error_message=_("申报截止日期不能早于开始日期。")),
            models.CheckConstraint(name="batch_year_range", condition=Q(year__gte=2023, year__lte=2100)),
        ]

    def __str__(self) -> str:
        return _("%(year)d年度批次") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return address("applications:batch_detail", self.pk)

    def filing_open_on(self, day) -> bool:
        return self.state == BatchState.OPEN and self.filing_opens_on <= day <= self.filing_closes_on


class Qualification(models.TextChoices):
    """职业资格/职称 of a proposed member. The first three count towards 第四条(一)."""

    SENIOR_TECHNICIAN = "senior_technician", _("高级技师")
    TECHNICIAN = "technician", _("技师")
    SKILL_LEADER = "skill_leader", _("技术技能带头人")
    SENIOR_WORKER = "senior_worker", _("高级工")
    SENIOR_ENGINEER = "senior_engineer", _("高级工程师")
    ENGINEER = "engineer", _("工程师")
    ASSISTANT_ENGINEER = "assistant_engineer", _("助理工程师")
    OTHER = "other", _("其他")


QUALIFYING = (Qualification.SENIOR_TECHNICIAN, Qualification.TECHNICIAN, Qualification.SKILL_LEADER)

TALENT_FIELDS = ("senior_technicians", "technicians", "senior_workers", "senior_engineers", "engineers",
                 "assistant_engineers", "other_talents")


class Application(models.Model):
    """沁水县技师工作站申报表 (附件1). The unit fields are a snapshot of the unit's profile taken when the
    draft is created; the unit may correct them while the application is editable."""

    batch = models.ForeignKey(Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey("qinshui_station.Organization", verbose_name=_("申报单位"), on_delete=models.PROTECT,
                             related_name="applications", limit_choices_to={"kind": OrgKind.UNIT})
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    state_changed_at = models.DateTimeField(_("进入当前状态时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True, validators=[text_limit(limits.REASON)])
    returned_by = models.CharField(_("退回方"), max_length=120, blank=True)
    department_opinion = models.TextField(_("业务主管单位初审意见"), blank=True, validators=[text_limit(limits.REASON)])
    hr_opinion = models.TextField(_("县人社局审核意见"), blank=True, validators=[text_limit(limits.REASON)])
    # 第四条: a unit whose credit code was registered elsewhere in Shanxi (not 140521) is flagged; the sector
    # department confirms its registered address is in the county before recommending it.
    county_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实注册地的主管部门人员"),
                                            on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    county_confirmed_at = models.DateTimeField(_("核实注册地时间"), null=True, blank=True)

    # 申请设立单位基本情况
    unit_name = models.CharField(_("单位名称"), max_length=120)
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=UnitType.choices, blank=True)
    ownership = models.CharField(_("所有制形式"), max_length=40, blank=True)
    staff_total = models.PositiveIntegerField(_("员工总人数"), null=True, blank=True)
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法人代表"), max_length=40, blank=True)
    legal_representative_phone = models.CharField(_("法人代表联系电话"), max_length=20, blank=True,
                                                  validators=[validate_phone])
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系人电话"), max_length=20, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(_("邮箱"), blank=True)
    bank_account_name = models.CharField(_("银行开户名称"), max_length=120, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=120, blank=True)
    bank_account_number = models.CharField(_("银行开户账号"), max_length=40, blank=True)

    # 工作站
    occupation = models.CharField(_("工作站职业（工种）"), max_length=60)
    leader_name = models.CharField(_("领办人姓名"), max_length=40, blank=True)
    leader_skill_level = models.CharField(_("领办人职业技能等级"), max_length=40, blank=True)

    # 技术技能人才情况 (counts; the share of the workforce is computed)
    senior_technicians = models.PositiveIntegerField(_("高级技师"), default=0)
    technicians = models.PositiveIntegerField(_("技师"), default=0)
    senior_workers = models.PositiveIntegerField(_("高级工"), default=0)
    senior_engineers = models.PositiveIntegerField(_("高级工程师"), default=0)
    engineers = models.PositiveIntegerField(_("工程师"), default=0)
    assistant_engineers = models.PositiveIntegerField(_("助理工程师"), default=0)
    other_talents = models.PositiveIntegerField(_("其他技术技能人才"), default=0)

    # 叙述部分
    training_system = models.TextField(_("目前人才培养体系和近3年人才培养情况"), blank=True, validators=[text_limit(limits.NARRATIVE)])
    training_plan = models.TextField(_("未来3年人才培养计划（包括培养方向、目标）"), blank=True, validators=[text_limit(limits.NARRATIVE)])
    equipment = models.TextField(_("生产科研仪器设备情况"), blank=True, validators=[text_limit(limits.NARRATIVE)])
    technical_work_recent = models.TextField(_("技术攻关、技能创新近2年情况"), blank=True, validators=[text_limit(limits.NARRATIVE)])
    technical_work_plan = models.TextField(_("技术攻关、技能创新未来2年计划"), blank=True, validators=[text_limit(limits.NARRATIVE)])
    projects = models.TextField(_("承担国家、省级、市级、县级或单位内部项目情况"), blank=True, validators=[text_limit(limits.NARRATIVE)])
    school_cooperation = models.TextField(_("当前校企合作情况，效果如何"), blank=True, validators=[text_limit(limits.NARRATIVE)])
    post_establishment_plan = models.TextField(_("建站后工作设想"), blank=True, validators=[text_limit(limits.NARRATIVE)])

    # 第四条(二)–(五): conditions the portal cannot verify, declared by the unit and judged by the experts.
    declares_talent_mechanism = models.BooleanField(
        _("本单位重视技能人才队伍建设，建立了较为完善的技能人才培养、评价、使用和激励机制，具有组织开展技术攻关、技术研讨等活动的能力和经验"),
        default=False)
    declares_sound_operation = models.BooleanField(
        _("本单位经营管理状况良好，能为工作站提供相应的资金支持及包括场所、设备在内的必要工作条件"), default=False)
    declares_advanced_equipment = models.BooleanField(_("本单位具有本行业（领域）较为先进的生产、科研设施设备"),
                                                      default=False)
    declares_work_rules = models.BooleanField(_("已建立完备的工作制度，有明确的工作计划、工作目标和预期收益"),
                                              default=False)
    declares_truthful = models.BooleanField(_("所填内容及所附材料真实、准确，如有虚假愿承担相应责任"), default=False)
    also_applies_master_studio = models.BooleanField(
        _("同一团队是否同时申报县级技能大师工作室"), null=True, blank=True,
        help_text=_("县级技能大师工作室、技师工作站成员组成相类同的团队，原则上只申报其中一项。"))

    workstation = models.OneToOneField("qinshui_station.Workstation", verbose_name=_("认定的工作站"),
                                       on_delete=models.PROTECT, null=True, blank=True, related_name="application")

    class Meta:
        verbose_name = pgettext_lazy("model", "工作站申报")
        verbose_name_plural = _("工作站申报")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "unit", "occupation"], condition=Q(state__in=LIVE),
                name="application_one_live_per_unit_occupation",
                violation_error_message=_("本单位在本批次已有同一职业（工种）的申报在办。"),
            ),
            models.CheckConstraint(
                name="application_talents_within_staff",
                condition=Q(staff_total__isnull=True) | Q(staff_total__gte=(
                    F("senior_technicians") + F("technicians") + F("senior_workers") + F("senior_engineers")
                    + F("engineers") + F("assistant_engineers") + F("other_talents"))),
                violation_error_message=_("技术技能人才合计不能超过员工总人数。"),
            ),
            models.CheckConstraint(name="application_state_valid", condition=Q(state__in=State.values)),
            models.CheckConstraint(name="application_recognized_has_workstation",
                                   condition=~Q(state=State.RECOGNIZED) | Q(workstation__isnull=False)),
            models.CheckConstraint(name="application_occupation_present", condition=~Q(occupation="")),
        ]
        indexes = [models.Index(fields=["batch", "state"]), models.Index(fields=["unit", "state"]),
                   # HR's home and the list's state filter over every year's applications
                   models.Index(fields=["state"], name="application_state"),
                   # the public notice's page in order (applications.selectors.public_list), docs/performance.md
                   models.Index(fields=["batch", "id"], name="application_public_list",
                                condition=Q(state__in=(State.PUBLICITY, State.RECOGNIZED))),
                   # HR's batch page (and its spreadsheet) in its order: a page is read off the index, not sorted
                   # out of every application of the batch
                   models.Index(fields=["batch", "state", "state_changed_at", "id"], name="application_batch_page",
                                condition=~Q(state=State.DRAFT))]

    def __str__(self) -> str:
        return application_label(self.unit_name, self.occupation)

    def get_absolute_url(self) -> str:
        return address("applications:detail", self.pk)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def is_live(self) -> bool:
        return self.state not in (State.DRAFT, *DEAD)

    @property
    def talent_total(self) -> int:
        return sum(getattr(self, name) for name in TALENT_FIELDS)

    @property
    def talent_share(self) -> Decimal | None:
        """技术技能人才占用工比例, in percent to two decimals; None until the staff total is known."""
        if not self.staff_total:
            return None
        return (Decimal(self.talent_total) * 100 / Decimal(self.staff_total)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)

    def current_attachments(self):
        return self.attachments.filter(superseded_at__isnull=True)


def application_label(unit_name: str, occupation: str) -> str:
    """How an application is named on every page: 单位·职业（工种）."""
    return f"{unit_name}·{occupation}"


class Member(models.Model):
    """拟入站人员."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=40)
    qualification = models.CharField(_("职业资格/职称"), max_length=20, choices=Qualification.choices)
    post = models.CharField(_("职务"), max_length=60, blank=True)
    specialty = models.TextField(_("专长、业绩成果应用及获奖情况"), blank=True, validators=[text_limit(limits.CELL)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "拟入站人员")
        verbose_name_plural = _("拟入站人员")
        ordering = ["position", "id"]
        # the holders of a name, whatever the batch: what applications.overlaps counts when members change
        indexes = [models.Index(Trim("name"), "qualification", name="member_name_key")]
        constraints = [
            models.CheckConstraint(name="member_name_present", condition=~Q(name="")),
            models.CheckConstraint(name="member_qualification_valid",
                                   condition=Q(qualification__in=Qualification.values)),
        ]

    def __str__(self) -> str:
        return bracketed(self.name, self.qualification_label)

    @property
    def qualification_label(self) -> str:
        """``get_qualification_display()``, its labels kept per language (a page lists every member)."""
        return label(Member, "qualification", self.qualification)

    @property
    def qualifies(self) -> bool:
        return self.qualification in QUALIFYING


class SharedName(models.Model):
    """A name and qualification that two or more of a batch's applications in the running propose as a member
    (same trimmed name, same 职业资格/职称), and how many: the warning HR sees (第五条: a team applies for a
    station or a master studio, not twice). Kept with the members by the services (``applications.overlaps``), so
    the batch page reads the few names shared instead of grouping the batch's thousands of members on every view;
    only names held twice or more are rows."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)  # as TRIM() leaves it
    qualification = models.CharField(max_length=20, choices=Qualification.choices)
    applications = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("重复申报的人员")
        verbose_name_plural = _("重复申报的人员")
        constraints = [
            models.UniqueConstraint(fields=["batch", "name", "qualification"], name="shared_name_once"),
            models.CheckConstraint(name="shared_name_held_twice", condition=Q(applications__gte=2)),
        ]

    def __str__(self) -> str:
        return bracketed(self.name, label(type(self), "qualification", self.qualification))


class AttachmentKind(models.TextChoices):
    """第五条(一)'s materials."""

    RECOMMENDATION_REPORT = "recommendation_report", _("推荐报告（行业主管部门出具）")
    APPLICATION_REPORT = "application_report", _("申请报告")
    SIGNED_FORM = "signed_form", _("申报表签字盖章扫描件")
    BUSINESS_LICENCE = "business_licence", _("法人营业执照或主管部门批准成立文件")
    ORG_CODE_CERTIFICATE = "org_code_certificate", _("组织机构代码证复印件")
    MEMBER_EVIDENCE = "member_evidence", _("成员证书及业绩佐证材料")


UNIT_KINDS = (AttachmentKind.APPLICATION_REPORT, AttachmentKind.SIGNED_FORM, AttachmentKind.BUSINESS_LICENCE,
              AttachmentKind.ORG_CODE_CERTIFICATE, AttachmentKind.MEMBER_EVIDENCE)
# 三证合一: a licence bearing the unified social credit code replaces the organization code certificate,
# so that certificate is accepted but not required (docs/applications.md).
REQUIRED_KINDS = (AttachmentKind.APPLICATION_REPORT, AttachmentKind.SIGNED_FORM, AttachmentKind.BUSINESS_LICENCE,
                  AttachmentKind.MEMBER_EVIDENCE)
# Kinds with one current file: a new upload replaces the old one, which stays in the history.
SINGLE_KINDS = (AttachmentKind.RECOMMENDATION_REPORT, AttachmentKind.APPLICATION_REPORT, AttachmentKind.SIGNED_FORM,
                AttachmentKind.BUSINESS_LICENCE, AttachmentKind.ORG_CODE_CERTIFICATE)


class Attachment(StoredFileBase):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("材料类别"), max_length=30, choices=AttachmentKind.choices)
    superseded_at = models.DateTimeField(_("被替换/撤下时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        ordering = ["kind", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], condition=Q(superseded_at__isnull=True, kind__in=SINGLE_KINDS),
                name="attachment_one_current_per_single_kind"),
            models.CheckConstraint(name="attachment_kind_valid", condition=Q(kind__in=AttachmentKind.values)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"


class ExpertAssignment(models.Model):
    """An expert of the batch's panel assigned to one application, with that expert's own record:
    资料审查 opinion, 实地查看 record, and the opinion for 集中评议."""

    class Opinion(models.TextChoices):
        RECOMMEND = "recommend", _("同意推荐")
        NOT_RECOMMEND = "not_recommend", _("不同意推荐")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("专家"), on_delete=models.PROTECT,
                               related_name="application_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("状态"), max_length=20, choices=ExpertAssignmentState.choices,
                             default=ExpertAssignmentState.ASSIGNED)
    document_review = models.TextField(_("资料审查意见"), blank=True, validators=[text_limit(limits.REASON)])
    site_visit_on = models.DateField(_("实地查看日期"), null=True, blank=True)
    site_visit_notes = models.TextField(_("实地查看情况（所见所闻）"), blank=True, validators=[text_limit(limits.REASON)])
    opinion = models.CharField(_("评审意见"), max_length=20, choices=Opinion.choices, blank=True)
    opinion_reason = models.TextField(_("意见理由"), blank=True, validators=[text_limit(limits.REASON)])
    submitted_at = models.DateTimeField(_("意见提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审分工")
        verbose_name_plural = _("评审分工")
        ordering = ["assigned_at", "id"]
        indexes = [models.Index(fields=["expert", "state"], name="assignment_expert_state")]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_unique_expert"),
            models.CheckConstraint(name="assignment_state_valid",
                                   condition=Q(state__in=ExpertAssignmentState.values)),
            # Handed in exactly when the opinion carries its time (withdrawal is only before handing in).
            models.CheckConstraint(
                name="assignment_submitted_has_time",
                condition=(Q(state=ExpertAssignmentState.SUBMITTED, submitted_at__isnull=False)
                           | (~Q(state=ExpertAssignmentState.SUBMITTED) & Q(submitted_at__isnull=True)))),
            models.CheckConstraint(
                name="assignment_submitted_is_complete",
                condition=Q(submitted_at__isnull=True) | (
                    ~Q(opinion="") & ~Q(opinion_reason="") & ~Q(document_review="")
                    & Q(site_visit_on__isnull=False) & ~Q(site_visit_notes=""))),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.expert}"


class SiteVisitPhoto(StoredFileBase):
    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.PROTECT, related_name="photos")

    class Meta:
        verbose_name = _("实地查看照片")
        verbose_name_plural = _("实地查看照片")
        ordering = ["uploaded_at", "id"]


class PanelConclusion(models.Model):
    """集中评议: the expert panel's collective conclusion on one application, recorded by HR with the vote.
    The conclusion follows the vote: recommended when more than half of the votes cast are in favour."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="panel_conclusion")
    votes_for = models.PositiveSmallIntegerField(_("同意票"))
    votes_against = models.PositiveSmallIntegerField(_("反对票"))
    votes_abstain = models.PositiveSmallIntegerField(_("弃权票"), default=0)
    recommends = models.BooleanField(_("评议结论：同意推荐"))
    summary = models.TextField(_("专家评审意见"), validators=[text_limit(limits.REASON)])
    held_on = models.DateField(_("评议日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The experts who took part (a subset of the batch's panel): the votes add up to their number.
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("参加评议的专家"),
                                          related_name="panel_conclusions", blank=True)
    corrected_at = models.DateTimeField(_("更正时间"), null=True, blank=True)
    correction_reason = models.TextField(_("更正理由"), blank=True)

    class Meta:
        verbose_name = _("集中评议结论")
        verbose_name_plural = _("集中评议结论")
        constraints = [
            models.CheckConstraint(name="panel_has_votes",
                                   condition=Q(votes_for__gt=0) | Q(votes_against__gt=0) | Q(votes_abstain__gt=0)),
            models.CheckConstraint(
                name="panel_conclusion_follows_vote",
                condition=Q(recommends=True, votes_for__gt=F("votes_against") + F("votes_abstain"))
                | Q(recommends=False, votes_for__lte=F("votes_against") + F("votes_abstain"))),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.votes_for}:{self.votes_against}:{self.votes_abstain}"


DEFAULT_OBJECTION_NOTICE = _(
    "公示期间，任何单位和个人对拟认定名单有异议的，可通过本页面实名提出（须填写真实姓名和联系电话），"
    "也可书面向沁水县人力资源和社会保障局反映。匿名异议不予受理。")


class Publicity(models.Model):
    """公示: 5 working days from the start date HR picks (第五条(二))."""

    batch = models.OneToOneField(Batch, on_delete=models.PROTECT, related_name="publicity")
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示结束日期"))
    closes_at = models.DateTimeField(_("公示截止时间"))
    # blank: the default words (DEFAULT_OBJECTION_NOTICE), printed in the reader's language, never stored in the
    # language of whoever published
    how_to_object = models.TextField(_("异议受理方式"), blank=True, validators=[text_limit(limits.NOTICE)])
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(name="publicity_end_after_start",
                                              condition=Q(ends_on__gte=F("starts_on")))]

    def __str__(self) -> str:
        return _("%(year)d年度技师工作站拟认定名单公示") % {"year": self.batch.year}

    def get_absolute_url(self) -> str:
        return address("applications:publicity_detail", self.batch.year)

    @property
    def objection_notice(self) -> str:
        """How to object as the notice prints it: HR's own words, else the default in the reader's language."""
        return self.how_to_object or str(DEFAULT_OBJECTION_NOTICE)


class Objection(models.Model):
    """A named objection filed during the publicity window against one station on the list."""

    publicity = models.ForeignKey(Publicity, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, verbose_name=_("异议对象"), on_delete=models.PROTECT,
                                    related_name="objections")
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=20, validators=[validate_phone])
    content = models.TextField(_("异议内容"), validators=[text_limit(limits.OBJECTION)])
    ip_address = models.GenericIPAddressField(_("来源地址"))
    filed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    state = models.CharField(_("处理结果"), max_length=10, choices=ObjectionState.choices,
                             default=ObjectionState.PENDING)
    resolution_reason = models.TextField(_("处理理由"), blank=True, validators=[text_limit(limits.REASON)])
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["filed_at", "id"]
        indexes = [models.Index(fields=["ip_address", "filed_at"])]
        constraints = [
            models.CheckConstraint(
                name="objection_resolved_has_reason",
                condition=Q(state=ObjectionState.PENDING)
                | (~Q(resolution_reason="") & Q(resolved_at__isnull=False) & Q(resolved_by__isnull=False))),
            models.CheckConstraint(name="objection_named", condition=~Q(name="") & ~Q(phone="") & ~Q(content="")),
        ]

    def __str__(self) -> str:
        return _("对“%(app)s”的异议") % {"app": self.application}


ISSUERS = (
    ("org_dept", _("中共沁水县委组织部")),
    ("hr_bureau", _("沁水县人力资源和社会保障局")),
    ("finance_bureau", _("沁水县财政局")),
)


class RecognitionDocument(models.Model):
    """The joint recognition document (县委组织部、县人社局、县财政局联合发文)."""

    batch = models.OneToOneField(Batch, on_delete=models.PROTECT, related_name="recognition")
    number = models.CharField(_("认定文号"), max_length=60, unique=True)
    issued_on = models.DateField(_("发文日期"))
    issuers = models.JSONField(_("联合发文单位"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认定文件")
        verbose_name_plural = _("认定文件")

    def __str__(self) -> str:
        return self.number

    def issuer_names(self) -> list[str]:
        names = dict(ISSUERS)
        return [str(names.get(code, code)) for code in self.issuers]
