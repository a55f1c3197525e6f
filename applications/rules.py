"""The checks of 第四条 and 第五条 that decide whether a move may happen, each with its own message."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.db.models.functions import Trim
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import (
    QUALIFYING,
    REQUIRED_KINDS,
    Application,
    AttachmentKind,
    BatchState,
    Member,
    ObjectionState,
    SharedName,
    application_label,
)
from applications.overlaps import NOT_COUNTED
from applications.states import IN_REVIEW, LIVE, State
from qinshui_station.choice_labels import label
from qinshui_station.prepared import Fixed, Rows
from qinshui_station.punctuation import bracketed, listed
from qinshui_station.roles import UnitType
from qinshui_station.validators import validate_credit_code, validate_expert_for

MIN_QUALIFYING_MEMBERS = 3

# Fields of 附件1 that must be filled before submitting (the talent counts may be zero; the unit type has
# its own check).
REQUIRED_FIELDS = (
    "unit_name", "ownership", "staff_total", "address", "legal_representative",
    "legal_representative_phone", "contact_person", "contact_phone", "contact_email", "bank_account_name",
    "bank_name", "bank_account_number", "occupation", "leader_name", "leader_skill_level", "training_system",
    "training_plan", "equipment", "technical_work_recent", "technical_work_plan", "projects",
    "school_cooperation", "post_establishment_plan",
)
DECLARATIONS = ("declares_talent_mechanism", "declares_sound_operation", "declares_advanced_equipment",
                "declares_work_rules", "declares_truthful")


def eligibility_problems(app: Application, today: date | None = None) -> list[str]:
    """Every reason ``app`` cannot be submitted now, one message per failed condition (empty: eligible)."""
    return [message for _keys, message in _problems(app, today)]


def steps_done(app: Application, steps: dict[str, tuple[str, ...]]) -> dict[str, bool]:
    """For the 申报表's progress indicator: a step (its fields; "members", "attachments") is done when none
    of the problems that stop a submission concerns it — the same checks, not a second list."""
    concerned = {key for keys, _message in _problems(app) for key in keys}
    return {slug: not concerned.intersection(fields) for slug, fields in steps.items()}


def problems_by_step(app: Application, steps: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Each reason ``app`` cannot be submitted yet, once, under the first step (as in ``steps_done``) it
    concerns; "" for those no step puts right (the batch's window, the unit's credit code)."""
    out: dict[str, list[str]] = {}
    for keys, message in _problems(app):
        step = next((slug for slug, fields in steps.items() if set(keys) & set(fields)), "")
        out.setdefault(step, []).append(message)
    return out


def _problems(app: Application, today: date | None = None) -> list[tuple[tuple[str, ...], str]]:
    """(the fields or parts concerned, the message) for each failed condition."""
    today = today or timezone.localdate()
    problems: list[tuple[tuple[str, ...], str]] = []
    batch = app.batch

    if batch.state != BatchState.OPEN:
        problems.append((("batch",), _("%(batch)s已截止申报，不能提交。") % {"batch": batch}))
    elif not batch.filing_open_on(today):
        problems.append((("batch",), _("%(batch)s的申报时间为%(opens)s至%(closes)s，当前不在申报期内。") % {
            "batch": batch, "opens": batch.filing_opens_on.isoformat(),
            "closes": batch.filing_closes_on.isoformat()}))

    if app.unit_type not in UnitType.values:
        problems.append((("unit_type",), _("单位类型须为企业、行业协会、科研生产型事业单位、公共技能实训基地或高技能人才培训基地之一（第四条）。")))
    try:
        validate_credit_code(app.unit.credit_code or "")
    except ValidationError:
        problems.append((("credit_code",), _("申报单位未登记有效的统一社会信用代码，须为在本县注册的单位（第四条）。")))

    qualifying = sum(1 for m in app.members.all() if m.qualification in QUALIFYING)
    if qualifying < MIN_QUALIFYING_MEMBERS:
        problems.append((("members",), _("拟入站人员中须有3名以上技师、高级技师或技术技能带头人（第四条（一）），目前只有%(n)d名。")
                         % {"n": qualifying}))

    duplicate = (Application.objects.filter(batch=batch, unit_id=app.unit_id, occupation=app.occupation,
                                            state__in=LIVE).exclude(pk=app.pk).first())
    if duplicate is not None:
        problems.append((("occupation",), _("本单位在%(batch)s已有职业（工种）为“%(occupation)s”的申报在办（状态：%(state)s），"
                                           "同一单位同一工种每批次只能申报一份。") % {
            "batch": batch, "occupation": app.occupation, "state": duplicate.get_state_display()}))

    missing = [name for name in REQUIRED_FIELDS if getattr(app, name) in (None, "")]
    if missing:
        problems.append((tuple(missing), _("申报表尚有必填项未填写：%(fields)s。") % {
            "fields": listed(Application._meta.get_field(name).verbose_name for name in missing)}))

    for name in DECLARATIONS:
        if not getattr(app, name):
            problems.append(((name,), _("请勾选声明：%(text)s。") % {
                "text": Application._meta.get_field(name).verbose_name}))
    if app.also_applies_master_studio is None:
        problems.append((("also_applies_master_studio",), _("请声明同一团队是否同时申报县级技能大师工作室。")))

    present = set(app.current_attachments().values_list("kind", flat=True))
    for kind in REQUIRED_KINDS:
        if kind not in present:
            problems.append((("attachments",), _("缺少附件：%(kind)s。") % {"kind": AttachmentKind(kind).label}))
    return problems


def require_eligible(app: Application) -> None:
    problems = eligibility_problems(app)
    if problems:
        raise ValidationError(problems)


def issued_on_errors(batch, issued_on: date | None) -> dict[str, str]:
    """The recognition document's date against the 公示 and today, by field (recognize_batch refuses with it;
    the page says it on the same try as an unticked box: access.also_refused)."""
    publicity = getattr(batch, "publicity", None)
    if issued_on is None or publicity is None:
        return {}
    if issued_on <= publicity.ends_on:
        return {"issued_on": _("发文日期须在公示期（至%(end)s）结束之后。") % {"end": publicity.ends_on.isoformat()}}
    if issued_on > timezone.localdate():
        return {"issued_on": _("发文日期不能晚于今天。")}
    return {}


def publicity_start_errors(starts_on: date | None) -> dict[str, str]:
    """The 公示's first day is not in the past (publish_publicity refuses with it; the page says it on the same
    try as an unticked box)."""
    if starts_on is not None and starts_on < timezone.localdate():
        return {"starts_on": _("公示开始日期不能早于今天。")}
    return {}


def require_publicity_over(batch, now=None) -> None:
    publicity = getattr(batch, "publicity", None)
    if publicity is None:
        raise ValidationError(_("本批次尚未公示，不能认定。"))
    now = now or timezone.now()
    if now <= publicity.closes_at:
        raise ValidationError(_("公示期至%(end)s 23:59:59结束，公示期满后才能认定。")
                              % {"end": publicity.ends_on.isoformat()})
    pending = publicity.objections.filter(state=ObjectionState.PENDING).count()
    if pending:
        raise ValidationError(_("尚有%(n)d条公示异议未处理，处理完毕后才能认定。") % {"n": pending})


OVERLAP_LIMIT = 50  # overlap warnings shown on a page


@dataclass(frozen=True)
class Named:
    """An application as a warning names it (``pk`` and ``str()``), without making the model instance."""

    pk: int
    label: str

    def __str__(self) -> str:
        return self.label


def _shared_members(*, batch: int):
    """The members of the batch's counted applications whose (trimmed name, qualification) is kept as shared
    (applications.overlaps), with their application's label, in one read: from the few shared names through the
    index ``member_name_key`` to their holders."""
    shared = SharedName.objects.filter(batch_id=batch, name=OuterRef("key"), qualification=OuterRef("qualification"))
    return (Member.objects.annotate(key=Trim("name")).filter(Exists(shared), application__batch_id=batch)
            .exclude(application__state__in=NOT_COUNTED).order_by()
            .values_list("application_id", "position", "id", "key", "qualification", "application__unit_name",
                         "application__occupation"))


def _shared_with(*, batch: int, application: int):
    """What ``_shared_members`` reads, of the names ``application`` proposes only."""
    own = Member.objects.annotate(own_key=Trim("name")).filter(
        application_id=application, own_key=OuterRef("key"), qualification=OuterRef("qualification"))
    return _shared_members(batch=batch).filter(Exists(own))


# on every view of the batch page and of an application's: compiled once
_SHARED_MEMBERS = Rows(_shared_members, batch=Fixed(int))
_SHARED_WITH = Rows(_shared_with, batch=Fixed(int), application=int)


def shared_members(batch, *, application=None, limit: int | None = None) -> list[dict]:
    """Pairs of applications in ``batch`` whose member lists overlap (same name and qualification): the
    warning HR sees, because a team applies for a station or a master studio, not twice (第五条). One query.
    ``application`` keeps the pairs it is part of; ``limit`` stops after that many pairs (a common name shared
    by k teams makes k·(k−1)/2 pairs: the batch page shows the first ones, docs/performance.md)."""
    # The (name, qualification) held by more than one application are kept (applications.overlaps): only their
    # members and applications are read (the batch's thousands of members were loaded here before, then grouped by
    # the database on every view, docs/performance.md).
    if application is not None:
        # the page has the application's members already: none (or out of the running), no warning and no query
        if application.state in NOT_COUNTED or not application.members.all():
            return []
        found = _SHARED_WITH(batch=batch.pk, application=application.pk)
    else:
        found = _SHARED_MEMBERS(batch=batch.pk)
    rows = sorted(found)  # by application, then position: sorted here, not by the database
    # the warning names each application as its __str__ does, from the columns read
    applications = {row[0]: Named(row[0], application_label(row[5], row[6])) for row in rows}
    holders: dict[tuple[str, str], dict] = defaultdict(dict)
    for application_id, _position, _id, name, qualification, _unit, _occupation in rows:
        holders[(name.strip(), qualification)].setdefault(application_id, applications[application_id])
    pairs: dict[tuple[int, int], dict] = {}
    for (name, qualification), by_pk in holders.items():
        apps = list(by_pk.values())
        if application is not None:
            if application.pk not in by_pk:
                continue
            mine = apps.index(by_pk[application.pk])
            couples = [(apps[min(i, mine)], apps[max(i, mine)]) for i in range(len(apps)) if i != mine]
        else:
            couples = ((first, second) for i, first in enumerate(apps) for second in apps[i + 1:])
        for first, second in couples:
            entry = pairs.get((first.pk, second.pk))
            if entry is None:
                if limit is not None and len(pairs) >= limit:
                    continue
                entry = pairs[(first.pk, second.pk)] = {"first": first, "second": second, "members": []}
            entry["members"].append(bracketed(name, label(Member, "qualification", qualification)))
    return list(pairs.values())


def publicity_blockers(batch, *, counts: dict[str, int] | None = None) -> list[str]:
    """What must still happen before the batch's proposed list may be published, each as a sentence HR can
    act on; empty when it may be published (publish_publicity refuses with these; the batch page lists them
    above the form). ``counts``: the batch's applications by state when the caller has them already
    (``selectors.state_counts_query``)."""
    if hasattr(batch, "publicity"):
        return [_("%(batch)s的拟认定名单已经公示。") % {"batch": batch}]
    blockers = []
    if batch.state != BatchState.CLOSED:
        blockers.append(_("请先截止本批次申报，再发布拟认定名单公示。"))
    if counts is None:
        in_review = batch.applications.filter(state__in=IN_REVIEW).count()
        proposed = batch.applications.filter(state=State.PROPOSED).exists()
    else:
        in_review, proposed = sum(counts.get(s, 0) for s in IN_REVIEW), bool(counts.get(State.PROPOSED))
    if in_review:
        blockers.append(ngettext("本批次尚有%(n)d份申报未完成评审，全部评审结束后才能发布公示。",
                                 "本批次尚有%(n)d份申报未完成评审，全部评审结束后才能发布公示。", in_review) % {"n": in_review})
    if not proposed:
        blockers.append(_("本批次没有拟认定的申报，无需公示。"))
    return blockers


def expert_refusal(app, expert, *, assigned_ids=frozenset()) -> str:
    """Why ``expert`` may not be assigned to review ``app`` ('' when he may): the reasons assign_expert
    refuses with, said before HR picks anyone."""
    try:
        validate_expert_for(expert, unit_id=app.unit_id)
    except ValidationError:
        return _("任职于申报单位，存在利益冲突")
    if expert.pk in assigned_ids:
        return _("已分配评审该申报")
    return ""
