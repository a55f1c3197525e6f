"""The annual evaluation (第九条, 附件2) and the work ledger (第七条, 第八条).

The rubric is data (a version, its categories, items and count rules); a round keeps the version it
started with. Scores are Decimals constrained by the database: 0 to the item's maximum in steps of 0.5.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qinshui_station import limits
from qinshui_station.addresses import address
from qinshui_station.limits import text_limit
from qinshui_station.numbers import plain
from qinshui_station.punctuation import bracketed
from qinshui_station.uploads import StoredFileBase
from qinshui_station.validators import validate_phone
from reviews.states import AssignmentState, EvaluationState, Grade, RoundState

ZERO = Decimal("0")


def _half_point_checks(prefix: str) -> list[models.CheckConstraint]:
    """0 ≤ points ≤ the item's maximum (copied onto the row), in steps of 0.5."""
    return [
        models.CheckConstraint(name=f"{prefix}_points_in_range",
                               condition=Q(points__gte=0) & Q(points__lte=F("max_points")),
                               violation_error_message=_("分值须在0到该项满分之间。")),
        models.CheckConstraint(name=f"{prefix}_points_half_steps",
                               condition=Q(points=Round(F("points") * 2) / 2),
                               violation_error_message=_("分值须以0.5分为单位。")),
    ]


# --- The rubric ---------------------------------------------------------------------------------------

class ItemKind(models.TextChoices):
    JUDGED = "judged", _("专家评分")
    COUNTED = "counted", _("按数量计分")


class RubricVersion(models.Model):
    code = models.CharField(_("版本"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    bonus_cap = models.DecimalField(_("加分上限"), max_digits=4, decimal_places=1)
    excellent_percent = models.PositiveSmallIntegerField(_("优秀比例上限（%）"), default=15)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评估细则版本")
        verbose_name_plural = _("评估细则版本")
        ordering = ["-code"]
        constraints = [
            models.CheckConstraint(name="rubric_bonus_cap_positive", condition=Q(bonus_cap__gte=0)),
            models.CheckConstraint(name="rubric_percent_range", condition=Q(excellent_percent__lte=100)),
        ]

    def __str__(self) -> str:
        return bracketed(self.name, self.code)


class RubricCategory(models.Model):
    class Tiebreak(models.IntegerChoices):
        FIRST = 1, _("第一并列比较项（技术攻关和研发）")
        SECOND = 2, _("第二并列比较项（带徒传艺）")

    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="categories")
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("考核项目"), max_length=60)
    max_points = models.DecimalField(_("满分"), max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("顺序"))
    tiebreak = models.PositiveSmallIntegerField(_("并列时比较顺序"), choices=Tiebreak.choices, null=True, blank=True)

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="rubric_category_code_unique"),
            models.UniqueConstraint(fields=["version", "tiebreak"], name="rubric_category_tiebreak_unique"),
            models.CheckConstraint(name="rubric_category_max_positive", condition=Q(max_points__gt=0)),
        ]

    def __str__(self) -> str:
        return bracketed(self.name, gettext("%(points)s分") % {"points": plain(self.max_points)})


class RubricItem(models.Model):
    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="items")
    category = models.ForeignKey(RubricCategory, on_delete=models.PROTECT, related_name="items")
    code = models.SlugField(_("代码"), max_length=30)
    text = models.CharField(_("考核细则"), max_length=200)
    max_points = models.DecimalField(_("满分"), max_digits=4, decimal_places=1)
    kind = models.CharField(_("计分方式"), max_length=10, choices=ItemKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("考核细则")
        verbose_name_plural = _("考核细则")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="rubric_item_code_unique"),
            models.CheckConstraint(name="rubric_item_max_positive", condition=Q(max_points__gt=0)),
            models.CheckConstraint(name="rubric_item_kind_valid", condition=Q(kind__in=ItemKind.values)),
        ]

    def __str__(self) -> str:
        return bracketed(self.text, gettext("%(points)s分") % {"points": plain(self.max_points)})

    @property
    def is_counted(self) -> bool:
        return self.kind == ItemKind.COUNTED


class CountRule(models.Model):
    """Points per count: a sub-count of a counted item (an invention patent: 3), or, with no item, a bonus
    rule (a city-level presentation: +3). A counted item's points and the bonus are capped."""

    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="count_rules")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="count_rules", null=True, blank=True)
    code = models.SlugField(_("代码"), max_length=40)
    label = models.CharField(_("计数项"), max_length=80)
    points_each = models.DecimalField(_("每项分值"), max_digits=4, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("计数规则")
        verbose_name_plural = _("计数规则")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="count_rule_code_unique"),
            models.CheckConstraint(name="count_rule_points_positive", condition=Q(points_each__gt=0)),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_bonus(self) -> bool:
        return self.item_id is None


# --- Rounds and evaluations ----------------------------------------------------------------------------

class EvaluationRound(models.Model):
    year = models.PositiveSmallIntegerField(_("评估年度"), unique=True)
    rubric = models.ForeignKey(RubricVersion, verbose_name=_("评估细则版本"), on_delete=models.PROTECT,
                               related_name="rounds")
    opens_on = models.DateField(_("申报开始日期"))
    closes_on = models.DateField(_("申报截止日期"))
    excellent_percent = models.PositiveSmallIntegerField(_("优秀比例上限（%）"))
    state = models.CharField(_("状态"), max_length=12, choices=RoundState.choices, default=RoundState.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    tie_reason = models.TextField(_("并列处理理由"), blank=True, validators=[text_limit(limits.REASON)])
    tie_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       null=True, blank=True)
    tie_decided_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    finalized_at = models.DateTimeField(_("定级时间"), null=True, blank=True)
    evaluated_count = models.PositiveIntegerField(_("参评数"), null=True, blank=True)
    unqualified_count = models.PositiveIntegerField(_("不合格数"), null=True, blank=True)
    excellent_quota = models.PositiveIntegerField(_("优秀名额"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度评估")
        verbose_name_plural = _("年度评估")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(name="round_window_order", condition=Q(closes_on__gte=F("opens_on")),
                                   violation_error_message=_("截止日期不能早于开始日期。")),
            models.CheckConstraint(name="round_percent_range", condition=Q(excellent_percent__lte=100)),
            models.CheckConstraint(name="round_state_valid", condition=Q(state__in=RoundState.values)),
            models.CheckConstraint(
                name="round_finalized_has_counts",
                condition=~Q(state=RoundState.FINALIZED)
                | (Q(finalized_at__isnull=False) & Q(evaluated_count__isnull=False)
                   & Q(excellent_quota__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)d年度技师工作站评估") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return address("reviews:round_detail", self.pk)

    def clean(self):
        """The window's order said at the closing date (the constraint alone says it at the top of the form, and
        its check is then skipped: the field has its error)."""
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": gettext("截止日期不能早于开始日期。")})

    @property
    def is_finalized(self) -> bool:
        return self.state == RoundState.FINALIZED


class Evaluation(models.Model):
    """One station's 年度评估申请表 in a round, and the results computed from the experts' scores."""

    round = models.ForeignKey(EvaluationRound, verbose_name=_("年度评估"), on_delete=models.PROTECT,
                              related_name="evaluations")
    workstation = models.ForeignKey("qinshui_station.Workstation", verbose_name=_("工作站"), on_delete=models.PROTECT,
                                    related_name="evaluations")
    is_final_acceptance = models.BooleanField(_("建设期满验收"), default=False)
    # The station's plaque number, copied when the round opens (it never changes): HR's round table is in this
    # order, read from the index (round, plaque_number) instead of joining and sorting the round's stations.
    plaque_number = models.CharField(_("牌匾编号"), max_length=40, blank=True, default="", editable=False)
    state = models.CharField(_("状态"), max_length=12, choices=EvaluationState.choices, default=EvaluationState.DRAFT)
    contact_person = models.CharField(_("工作站联系人"), max_length=40, blank=True)
    contact_title = models.CharField(_("职务"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    work_summary = models.TextField(_("工作站工作开展情况"), blank=True, validators=[text_limit(limits.NARRATIVE)])
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # The unit's self-score (自评得分), recomputed whenever the unit saves it.
    self_base = models.DecimalField(_("自评基础分"), max_digits=6, decimal_places=2, default=ZERO)
    self_bonus = models.DecimalField(_("自评加分"), max_digits=6, decimal_places=2, default=ZERO)
    self_total = models.DecimalField(_("自评总分"), max_digits=6, decimal_places=2, default=ZERO)
    # The assessed score (考核得分): means over the experts who submitted, written by SQL
    # (services.recompute_assessed), rounded half up to 2 decimals.
    experts_submitted = models.PositiveSmallIntegerField(_("已提交评分专家数"), default=0)
    assessed_base = models.DecimalField(_("考核基础分"), max_digits=6, decimal_places=2, null=True, blank=True)
    assessed_bonus = models.DecimalField(_("考核加分"), max_digits=6, decimal_places=2, null=True, blank=True)
    assessed_total = models.DecimalField(_("考核总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    first_tiebreak = models.DecimalField(_("技术攻关和研发得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    second_tiebreak = models.DecimalField(_("带徒传艺得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    expert_spread = models.DecimalField(_("专家评分极差"), max_digits=6, decimal_places=2, null=True, blank=True)
    # Set by HR's tie decision: lower is preferred when everything else is equal at the cut-off.
    tie_preference = models.PositiveSmallIntegerField(_("并列处理顺位"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    grade = models.CharField(_("评估等级"), max_length=12, choices=Grade.choices, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度评估申请")
        verbose_name_plural = _("年度评估申请")
        ordering = ["round", "workstation__plaque_number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "workstation"], name="evaluation_one_per_round"),
            models.CheckConstraint(name="evaluation_state_valid", condition=Q(state__in=EvaluationState.values)),
            models.CheckConstraint(name="evaluation_grade_valid", condition=Q(grade="") | Q(grade__in=Grade.values)),
            models.CheckConstraint(
                name="evaluation_graded_has_grade",
                condition=(Q(state=EvaluationState.GRADED) & ~Q(grade="") & Q(assessed_total__isnull=False))
                | (~Q(state=EvaluationState.GRADED) & Q(grade="")),
            ),
        ]
        indexes = [models.Index(fields=["round", "state"]), models.Index(fields=["workstation", "round"]),
                   models.Index(fields=["round", "plaque_number"], name="evaluation_round_table"),
                   # the round's standing (services._RANKED_SQL), on every view of an open round: the scored
                   # sheets in their ranking's order, with their ids, read from the index alone (no sort, no table)
                   models.Index(fields=["round", "-assessed_total", "-assessed_base", "-first_tiebreak",
                                        "-second_tiebreak", "tie_preference"], include=["id"],
                                name="evaluation_standing",
                                condition=Q(state=EvaluationState.SUBMITTED, assessed_total__isnull=False))]

    def __str__(self) -> str:
        return f"{self.workstation}·{self.round.year}"

    def get_absolute_url(self) -> str:
        return address("reviews:evaluation_detail", self.pk)

    @property
    def is_editable(self) -> bool:
        return self.state in (EvaluationState.DRAFT, EvaluationState.RETURNED)

    @property
    def review_year(self) -> int:
        """The work the evaluation looks at: the calendar year before the round (docs/reviews.md)."""
        return self.round.year - 1


class SelfScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="self_scores")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("自评得分"), max_digits=4, decimal_places=1)
    max_points = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = verbose_name_plural = _("自评分项")
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="self_score_one_per_item"),
                       *_half_point_checks("self_score")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"


class ClaimedCount(models.Model):
    """What the unit claims: patents, awards, technologies promoted, bonus items."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="claimed_counts")
    rule = models.ForeignKey(CountRule, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField(_("数量"))

    class Meta:
        verbose_name = verbose_name_plural = _("单位自报数量")
        constraints = [models.UniqueConstraint(fields=["evaluation", "rule"], name="claimed_count_one_per_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.count}"


class Assignment(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("专家"), on_delete=models.PROTECT,
                               related_name="evaluation_assignments")
    state = models.CharField(_("状态"), max_length=12, choices=AssignmentState.choices,
                             default=AssignmentState.ASSIGNED)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    base = models.DecimalField(_("基础分"), max_digits=6, decimal_places=2, null=True, blank=True)
    bonus = models.DecimalField(_("加分"), max_digits=6, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("专家评分任务")
        verbose_name_plural = _("专家评分任务")
        ordering = ["evaluation", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "expert"], name="assignment_one_per_expert"),
            models.CheckConstraint(
                name="assignment_submitted_has_total",
                condition=~Q(state=AssignmentState.SUBMITTED)
                | (Q(submitted_at__isnull=False) & Q(total__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["expert", "state"])]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.expert}"

    def get_absolute_url(self) -> str:
        return address("reviews:score", self.pk)


class ExpertScore(models.Model):
    """An expert's points for one item: typed for judged items, computed from the accepted counts for
    counted items (services.save_expert_scores), never typed."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("考核得分"), max_digits=4, decimal_places=1)
    max_points = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = verbose_name_plural = _("专家评分项")
        constraints = [models.UniqueConstraint(fields=["assignment", "item"], name="expert_score_one_per_item"),
                       *_half_point_checks("expert_score")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"


class AcceptedCount(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="accepted_counts")
    rule = models.ForeignKey(CountRule, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField(_("认定数量"))

    class Meta:
        verbose_name = verbose_name_plural = _("专家认定数量")
        constraints = [models.UniqueConstraint(fields=["assignment", "rule"], name="accepted_count_one_per_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.count}"


class EvaluationAttachment(StoredFileBase):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="attachments")
    item = models.ForeignKey(RubricItem, verbose_name=_("佐证的考核细则"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    rule = models.ForeignKey(CountRule, verbose_name=_("佐证的计数项"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    note = models.CharField(_("说明"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


# --- The work ledger (第七条, 第八条) --------------------------------------------------------------------

class LedgerKind(models.TextChoices):
    TRAINED = "trained", _("培养技能技术骨干")
    PROJECT = "project", _("技术攻关或技能创新项目")
    COOPERATION = "cooperation", _("校企合作")
    COMPETITION = "competition", _("技能竞赛")


class LedgerTarget(models.Model):
    """第七条's yearly outputs; data, so the county can change them."""

    kind = models.CharField(_("产出项目"), max_length=12, choices=LedgerKind.choices, unique=True)
    minimum = models.PositiveSmallIntegerField(_("每年不少于"))

    class Meta:
        verbose_name = _("年度产出要求")
        verbose_name_plural = _("年度产出要求")
        constraints = [models.CheckConstraint(name="ledger_target_positive", condition=Q(minimum__gt=0))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≥ {self.minimum}"


class LedgerEntry(models.Model):
    workstation = models.ForeignKey("qinshui_station.Workstation", verbose_name=_("工作站"), on_delete=models.PROTECT,
                                    related_name="ledger_entries")
    kind = models.CharField(_("类别"), max_length=12, choices=LedgerKind.choices)
    occurred_on = models.DateField(_("日期"))
    title = models.CharField(_("名称"), max_length=160, blank=True,
                             help_text=_("项目名称、合作单位或竞赛名称"))
    person_name = models.CharField(_("姓名"), max_length=40, blank=True)
    occupation = models.CharField(_("职业（工种）"), max_length=60, blank=True)
    result = models.CharField(_("培养结果"), max_length=120, blank=True, help_text=_("如：取得高级工证书"))
    description = models.TextField(_("情况说明"), blank=True, validators=[text_limit(limits.REASON)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工作台账")
        verbose_name_plural = _("工作台账")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="ledger_kind_valid", condition=Q(kind__in=LedgerKind.values)),
            models.CheckConstraint(
                name="ledger_trained_has_person",
                condition=~Q(kind=LedgerKind.TRAINED) | (~Q(person_name="") & ~Q(occupation="") & ~Q(result="")),
                violation_error_message=_("培养骨干须填写姓名、职业（工种）和培养结果。"),
            ),
            models.CheckConstraint(
                name="ledger_other_has_title",
                condition=Q(kind=LedgerKind.TRAINED) | ~Q(title=""),
                violation_error_message=_("请填写名称。"),
            ),
        ]
        indexes = [models.Index(fields=["workstation", "kind", "occurred_on"])]

    def __str__(self) -> str:
        return self.person_name if self.kind == LedgerKind.TRAINED else self.title


class LedgerAttachment(StoredFileBase):
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("台账影像资料")
        verbose_name_plural = _("台账影像资料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


# --- Results of evaluations held on paper before the portal (records/, issue 18) -------------------------

class ImportedResult(models.Model):
    """A grade the county gave on paper, before the portal, brought in by HR's import (records.services).
    No round, no expert scores: only the year and the grade the document records. ``stations_owing`` does
    not ask a station again for a year it has a result for."""

    workstation = models.ForeignKey("qinshui_station.Workstation", verbose_name=_("工作站"), on_delete=models.PROTECT,
                                    related_name="imported_results")
    year = models.PositiveSmallIntegerField(_("评估年度"))
    grade = models.CharField(_("评估等级"), max_length=12, choices=Grade.choices)
    is_final_acceptance = models.BooleanField(_("建设期满验收"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("导入的历史评估结果")
        verbose_name_plural = _("导入的历史评估结果")
        ordering = ["workstation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["workstation", "year"], name="imported_result_one_per_year"),
            models.CheckConstraint(name="imported_result_grade_valid", condition=Q(grade__in=Grade.values)),
            models.CheckConstraint(name="imported_result_year_range", condition=Q(year__gte=2023, year__lte=2100)),
        ]

    def __str__(self) -> str:
        return f"{self.workstation}·{self.year}·{self.get_grade_display()}"
