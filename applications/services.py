"""Every change to batches, applications, reviews, the publicity and recognition. Keyword-only arguments;
one locked transaction per change; the workflow table decides who may move what; an audit entry and a
notification to whoever acts next."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import overlaps, rules, workflow
from applications.models import (
    ISSUERS,
    SINGLE_KINDS,
    UNIT_KINDS,
    Application,
    Attachment,
    AttachmentKind,
    Batch,
    BatchState,
    ExpertAssignment,
    Member,
    Objection,
    ObjectionState,
    PanelConclusion,
    Publicity,
    RecognitionDocument,
    SiteVisitPhoto,
)
from applications.states import ON_PANEL
from applications.states import ExpertAssignmentState as AssignmentState
from applications.workflow import EDITABLE, State
from qinshui_station import audit, engine, notifications, throttle, workdays
from qinshui_station import services as core_services
from qinshui_station.models import Organization, User, Workstation
from qinshui_station.models.workstations import construction_end
from qinshui_station.punctuation import listed
from qinshui_station.roles import OrgKind, Role
from qinshui_station.selectors import users_with_role
from qinshui_station.validators import validate_expert_for
from qinshui_station.workflow import TransitionRefused, require_role

PUBLICITY_WORKING_DAYS = 5
OBJECTIONS_PER_ADDRESS_PER_HOUR = 3

# The unit fields of 附件1 copied from the unit's profile when a draft is created.
SNAPSHOT_FIELDS = {
    "unit_name": "name", "unit_type": "unit_type", "ownership": "ownership", "address": "address",
    "legal_representative": "legal_representative", "legal_representative_phone": "legal_representative_phone",
    "contact_person": "contact_person", "contact_phone": "contact_phone", "contact_email": "contact_email",
    "bank_account_name": "bank_account_name", "bank_name": "bank_name", "bank_account_number": "bank_account_number",
}
# What a unit may change in its draft (everything of 附件1 except the batch and the unit itself).
EDITABLE_FIELDS = (
    *SNAPSHOT_FIELDS, "staff_total", "occupation", "leader_name", "leader_skill_level", "senior_technicians",
    "technicians", "senior_workers", "senior_engineers", "engineers", "assistant_engineers", "other_talents",
    "training_system", "training_plan", "equipment", "technical_work_recent", "technical_work_plan", "projects",
    "school_cooperation", "post_establishment_plan", *rules.DECLARATIONS, "also_applies_master_studio",
)
MEMBER_FIELDS = ("name", "qualification", "post", "specialty")


def _unit_users(app):
    return User.objects.filter(role=Role.UNIT, organization_id=app.unit_id, is_active=True)


def _department_users(app):
    return User.objects.filter(role=Role.DEPARTMENT, organization_id=app.unit.department_id, is_active=True)


def _hr_users():
    return users_with_role(Role.HR)


def _locked(application_id: int) -> Application:
    return engine.lock(Application.objects, pk=application_id)


# --- batches --------------------------------------------------------------------------------------

@transaction.atomic
def open_batch(*, actor, year: int, filing_opens_on: date, filing_closes_on: date,
               subsidy_amount: Decimal = Decimal("100000.00")) -> Batch:
    require_role(actor, Role.HR)
    if isinstance(subsidy_amount, float):
        raise TypeError("amounts are Decimal, never float")
    batch = Batch(year=year, filing_opens_on=filing_opens_on, filing_closes_on=filing_closes_on,
                  subsidy_amount=subsidy_amount, created_by=actor)
    batch.full_clean()
    batch.save()
    audit.record(actor=actor, obj=batch, action="open_batch", after=BatchState.OPEN,
                 data={"subsidy_amount": str(subsidy_amount)})
    notifications.notify(users_with_role(Role.UNIT),
                         _("%(batch)s开始申报：%(opens)s至%(closes)s。") % {
                             "batch": batch, "opens": filing_opens_on.isoformat(),
                             "closes": filing_closes_on.isoformat()},
                         "/applications/")
    return batch


@transaction.atomic
def close_batch(*, actor, batch_id: int) -> Batch:
    batch = engine.lock(Batch.objects, pk=batch_id)
    if batch.state == BatchState.CLOSED:
        raise ValidationError(_("%(batch)s已截止申报。") % {"batch": batch})
    return engine.move(batch, to=BatchState.CLOSED, actor=actor, action="close_batch", closed_at=timezone.now())


# --- filing ---------------------------------------------------------------------------------------

@transaction.atomic
def create_application(*, actor, batch_id: int, occupation: str) -> Application:
    """A unit starts a draft; its profile is copied into the form (editable until submitted)."""
    require_role(actor, Role.UNIT)
    batch = Batch.objects.get(pk=batch_id)
    if not batch.filing_open_on(timezone.localdate()):
        raise ValidationError({"batch": _("%(batch)s不在申报期内。") % {"batch": batch}})
    unit = Organization.objects.get(pk=actor.organization_id, kind=OrgKind.UNIT)
    app = Application(batch=batch, unit=unit, created_by=actor, occupation=(occupation or "").strip(),
                      **{field: getattr(unit, source) or "" for field, source in SNAPSHOT_FIELDS.items()})
    app.full_clean()
    app.save()
    audit.record(actor=actor, obj=app, action="create", after=State.DRAFT)
    return app


def _editable_by(actor, app: Application) -> None:
    require_role(actor, Role.UNIT)
    workflow.own_unit(actor, app)
    if app.state not in EDITABLE:
        raise TransitionRefused(_("申报已提交（%(state)s），不能修改。") % {"state": app.get_state_display()})


@transaction.atomic
def update_draft(*, actor, application_id: int, fields: dict) -> Application:
    app = _locked(application_id)
    _editable_by(actor, app)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"fields not editable here: {sorted(unknown)}")
    fields = {**fields, "unit_name": app.unit.name}  # 第四条: the registered organization's name, not free text
    changed = sorted(name for name, value in fields.items() if getattr(app, name) != value)
    for name, value in fields.items():
        setattr(app, name, value)
    app.full_clean()
    app.save()
    if changed:
        audit.record(actor=actor, obj=app, action="edit", data={"fields": changed})
    return app


@transaction.atomic
def replace_members(*, actor, application_id: int, members: list[dict]) -> list[Member]:
    """The proposed members, in the order given (the formset's rows, deleted rows left out). A row refused
    names its field as ``"<row>.<field>"`` (``access.errors_to_formset`` puts it there)."""
    app = _locked(application_id)
    _editable_by(actor, app)
    rows = []
    for position, data in enumerate(members):
        member = Member(application=app, position=position, **{k: (data.get(k) or "") for k in MEMBER_FIELDS})
        try:
            member.full_clean(exclude=["application"])
        except ValidationError as error:
            raise ValidationError({f"{position}.{field}": messages
                                   for field, messages in error.message_dict.items()}) from None
        rows.append(member)
    counted = app.state not in overlaps.NOT_COUNTED  # a draft's members overlap no one's: nothing kept changes
    former = overlaps.keys_of([app.pk]) if counted else ()
    app.members.all().delete()
    Member.objects.bulk_create(rows)
    if counted:
        overlaps.refresh(application_ids=[app.pk], former=former)
    audit.record(actor=actor, obj=app, action="members", data={"count": len(rows)})
    return rows


@transaction.atomic
def upload_attachment(*, actor, application_id: int, kind: str, uploaded) -> Attachment:
    """A unit's material while the application is editable; the department's 推荐报告 while it waits for
    the department. A new file of a one-file kind replaces the current one; the old one stays in the history."""
    app = _locked(application_id)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("请选择材料类别。")})
    if kind == AttachmentKind.RECOMMENDATION_REPORT:
        workflow.report_guard(actor, app)
    else:
        _editable_by(actor, app)
        if kind not in UNIT_KINDS:
            raise ValidationError({"kind": _("请选择材料类别。")})
    attachment = Attachment(application=app, kind=kind)
    try:
        attachment.attach(uploaded, user=actor)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    now = timezone.now()
    replaced = []
    if kind in SINGLE_KINDS:
        for old in app.attachments.select_for_update().filter(kind=kind, superseded_at__isnull=True):
            old.superseded_at = now
            old.save(update_fields=["superseded_at"])
            replaced.append(old.pk)
    attachment.full_clean()
    attachment.save()
    audit.record(actor=actor, obj=app, action="attachment", after=kind,
                 data={"attachment": attachment.pk, "name": attachment.original_name, "replaced": replaced,
                       "sha256": attachment.sha256})
    return attachment


@transaction.atomic
def withdraw_attachment(*, actor, attachment_id: int) -> Attachment:
    """Takes a file off the current materials (it stays in the history)."""
    attachment = Attachment.objects.select_for_update().get(pk=attachment_id)
    app = _locked(attachment.application_id)
    if attachment.kind == AttachmentKind.RECOMMENDATION_REPORT:
        workflow.report_guard(actor, app)
    else:
        _editable_by(actor, app)
    if attachment.superseded_at is not None:
        raise ValidationError(_("该文件已被替换或撤下。"))
    attachment.superseded_at = timezone.now()
    attachment.save(update_fields=["superseded_at"])
    audit.record(actor=actor, obj=app, action="attachment_withdrawn", before=attachment.kind,
                 data={"attachment": attachment.pk, "name": attachment.original_name})
    return attachment


# --- the workflow ---------------------------------------------------------------------------------

def _move(app: Application, *, actor, to: str, reason: str = "", told: str | None = None, **fields) -> None:
    """The one place an application's state changes, with ``fields`` written with it and the notice of who acts
    or needs to know next (``told``: the reason the notice gives, when not the move's). ``app`` is locked by
    the caller."""
    counted_before = app.state not in overlaps.NOT_COUNTED
    engine.move(app, to=to, actor=actor, reason=reason, state_changed_at=timezone.now(),
                notify=_notice(to, reason if told is None else told), **fields)
    if counted_before != (to not in overlaps.NOT_COUNTED):  # in or out of the running: its names are recounted
        overlaps.refresh(application_ids=[app.pk])


# Who is told of an application's move to a state, and what (%(app)s: the application as it is after the move).
NOTICES = {
    State.SUBMITTED: (_department_users, gettext_lazy("%(app)s已提交技师工作站申报，请初审。")),
    State.RETURNED: (_unit_users, gettext_lazy("%(app)s的申报被退回修改：%(reason)s")),
    State.RECOMMENDED: (lambda _app: _hr_users(), gettext_lazy("%(app)s的申报已由行业主管部门推荐，请审核材料。")),
    State.NOT_RECOMMENDED: (_unit_users, gettext_lazy("%(app)s的申报未获行业主管部门推荐：%(reason)s")),
    State.EXPERT_REVIEW: (_unit_users, gettext_lazy("%(app)s的申报材料审核通过，进入专家评审。")),
    State.PROPOSED: (_unit_users, gettext_lazy("%(app)s经专家组集中评议，列入拟认定名单。")),
    State.NOT_RECOGNIZED: (_unit_users, gettext_lazy("%(app)s不予认定：%(reason)s")),
    State.PUBLICITY: (_unit_users, gettext_lazy("%(app)s已列入拟认定名单公示。")),
    State.RECOGNIZED: (_unit_users, gettext_lazy("%(app)s已被认定为沁水县技师工作站。")),
}


def _notice(to: str, reason: str) -> engine.Notify | None:
    """The move's ``notify`` (``engine.move``): the notice ``NOTICES`` gives for ``to``."""
    if to not in NOTICES:
        return None
    recipients, text = NOTICES[to]
    return lambda app: [(recipients(app), text % {"app": str(app), "reason": reason}, app.get_absolute_url())]


def application_transition(*, application_id: int, actor, to: str, reason: str = "") -> Application:
    """A move made with a button on the application's page (submit, return, recommend, not recommend,
    completeness passed). The table's guard does the object-level checks (ownership, eligibility …)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        app = _locked(application_id)
        if to not in workflow.BUTTON_TARGETS:
            raise TransitionRefused(_("该操作须通过相应的表单办理。"))
        fields = {}  # written with the state, so that the audit entry and the notice name what the move wrote
        match to:
            case State.SUBMITTED:
                # the registered organization's name (第四条); a resubmission clears the return
                fields = {"submitted_at": timezone.now(), "unit_name": app.unit.name}
                if app.state == State.RETURNED:
                    fields.update(return_reason="", returned_by="")
            case State.RETURNED:
                fields = {"return_reason": reason, "returned_by": str(actor.organization)}
            case State.RECOMMENDED | State.NOT_RECOMMENDED:
                fields = {"department_opinion": reason or _("同意推荐。")}
            case State.EXPERT_REVIEW:
                fields = {"hr_opinion": reason or _("材料齐全，同意进入专家评审。")}
        _move(app, actor=actor, to=to, reason=reason, **fields)
    return app


def confirm_county_registration(*, actor, application_id: int) -> Application:
    """第四条: the sector department confirms that a unit whose credit code was issued elsewhere in Shanxi
    has its registered address in 沁水县 (the flag on the application)."""
    with transaction.atomic():
        require_role(actor, Role.DEPARTMENT)
        app = _locked(application_id)
        workflow.own_sector(actor, app)
        if app.unit.registration_region != "shanxi":
            raise ValidationError(_("该单位由沁水县登记机关登记，无需核实注册地。"))
        if app.county_confirmed_at is not None:
            return app
        if app.state != State.SUBMITTED:
            raise TransitionRefused(_("只有待初审的申报才能核实注册地。"))
        app.county_confirmed_by, app.county_confirmed_at = actor, timezone.now()
        app.full_clean()
        app.save(update_fields=["county_confirmed_by", "county_confirmed_at", "updated_at"])
        audit.record(actor=actor, obj=app, action="county_confirmed", data={"credit_code": app.unit.credit_code})
    return app


# --- expert review --------------------------------------------------------------------------------

@transaction.atomic
def assign_expert(*, actor, application_id: int, expert_id: int) -> ExpertAssignment:
    """HR puts an expert on the application's panel: a new assignment, or the one taken off assigned again
    (the table's 重新分配)."""
    require_role(actor, Role.HR)
    app = _locked(application_id)
    workflow.assign_guard(actor, app)
    expert = User.objects.select_related("organization").get(pk=expert_id)
    validate_expert_for(expert, unit_id=app.unit_id)
    found = ExpertAssignment.objects.filter(application=app, expert=expert).values_list("pk", flat=True).first()
    if found is None:
        assignment = ExpertAssignment(application=app, expert=expert, assigned_by=actor)
        assignment.full_clean()
        assignment.save()
        audit.record(actor=actor, obj=assignment, action="assign_expert", after=assignment.state,
                     data={"expert": expert.pk, "name": str(expert)})
    else:
        assignment = engine.lock(ExpertAssignment.objects, pk=found)
        if assignment.state != AssignmentState.WITHDRAWN:
            raise ValidationError({"expert": _("专家%(expert)s已分配评审该申报。") % {"expert": expert}})
        engine.move(assignment, to=AssignmentState.ASSIGNED, actor=actor, action="assign_expert",
                    data={"expert": expert.pk, "name": str(expert)}, assigned_by=actor, notify=_assigned_notice)
        return assignment
    notifications.notify(*_assigned_notice(assignment)[0])
    return assignment


def _assigned_notice(assignment: ExpertAssignment) -> list:
    """The expert is told what to review: on a new assignment, and as the move's notice of a renewed one."""
    return [([assignment.expert], _("请评审%(app)s的技师工作站申报（资料审查、实地查看、评审意见）。")
             % {"app": assignment.application}, f"/applications/assignments/{assignment.pk}/")]


@transaction.atomic
def remove_assignment(*, actor, assignment_id: int) -> ExpertAssignment:
    """HR takes an expert off the panel before the opinion is in (the table's 撤销分配)."""
    require_role(actor, Role.HR)
    _locked(ExpertAssignment.objects.values_list("application_id", flat=True).get(pk=assignment_id))
    assignment = engine.lock(ExpertAssignment.objects, pk=assignment_id)
    return engine.move(assignment, to=AssignmentState.WITHDRAWN, actor=actor, action="unassign_expert",
                       data={"expert": assignment.expert_id})


REVIEW_FIELDS = ("document_review", "site_visit_on", "site_visit_notes", "opinion", "opinion_reason")


def _own_open_assignment(actor, assignment_id: int) -> ExpertAssignment:
    """The expert's own assignment, locked, while the opinion may still be written (the guard of handing it in)."""
    require_role(actor, Role.EXPERT)
    assignment = engine.lock(ExpertAssignment.objects, pk=assignment_id)
    workflow.opinion_guard(actor, assignment)
    return assignment


def save_expert_review(*, actor, assignment_id: int, fields: dict, submit: bool = False) -> ExpertAssignment:
    """Saves the expert's record; ``submit`` hands the opinion in (then it is final)."""
    with transaction.atomic():
        assignment = _own_open_assignment(actor, assignment_id)
        unknown = set(fields) - set(REVIEW_FIELDS)
        if unknown:
            raise TypeError(f"fields not editable here: {sorted(unknown)}")
        for name, value in fields.items():
            setattr(assignment, name, value if value is not None or name == "site_visit_on" else "")
        app = assignment.application
        errors = {}
        if assignment.site_visit_on and assignment.site_visit_on > timezone.localdate():
            errors["site_visit_on"] = _("实地查看日期不能晚于今天。")  # a draft too: a visit to come is not a record
        if not submit:
            if errors:
                raise ValidationError(errors)
            assignment.full_clean()
            assignment.save()
            audit.record(actor=actor, obj=app, action="expert_review_saved")
            return assignment
        errors |= {name: _("提交评审意见前请填写此项。") for name in REVIEW_FIELDS
                   if getattr(assignment, name) in (None, "")}
        if errors:  # every box at fault at once, not one more at each try
            raise ValidationError(errors)
        engine.move(assignment, to=AssignmentState.SUBMITTED, actor=actor, action="expert_opinion",
                    reason=assignment.opinion_reason, data={"opinion": assignment.opinion},
                    submitted_at=timezone.now(), notify=_all_opinions_in_notice)
    return assignment


def _all_opinions_in_notice(assignment: ExpertAssignment) -> list:
    """The opinion handed in was the last one awaited: HR is told to record the 集中评议 (else nobody is)."""
    app = assignment.application
    if app.assignments.filter(state=AssignmentState.ASSIGNED).exists():
        return []
    return [(_hr_users(), _("%(app)s的专家评审意见已全部提交，请记录集中评议结论。") % {"app": app}, app.get_absolute_url())]


@transaction.atomic
def add_site_visit_photo(*, actor, assignment_id: int, uploaded) -> SiteVisitPhoto:
    assignment = _own_open_assignment(actor, assignment_id)
    photo = SiteVisitPhoto(assignment=assignment)
    try:
        photo.attach(uploaded, user=actor)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    photo.full_clean()
    photo.save()
    audit.record(actor=actor, obj=assignment.application, action="site_visit_photo",
                 data={"photo": photo.pk, "name": photo.original_name})
    return photo


def panel_of(batch):
    """The batch's expert panel as a queryset: every expert on an application of the batch (not taken off)."""
    members = User.objects.filter(role=Role.EXPERT, application_assignments__state__in=ON_PANEL,
                                  application_assignments__application__batch=batch)
    return (User.objects.filter(pk__in=members.values("pk")).select_related("organization")
            .order_by("full_name", "pk"))


def batch_panel(batch) -> list[User]:
    return list(panel_of(batch))


def _check_votes(app: Application, *, participants, votes_for: int, votes_against: int,
                 votes_abstain: int) -> list[User]:
    """SPEC "Panel votes": the experts who took part are a subset of the batch's panel, and every one of
    them voted once (agree + disagree + abstain = their number)."""
    panel = {u.pk: u for u in batch_panel(app.batch)}
    chosen = [getattr(p, "pk", p) for p in (participants or [])]
    if not chosen:
        raise ValidationError({"participants": _("请勾选参加集中评议的专家。")})
    outside = [str(p) for p in chosen if p not in panel]
    if outside:
        raise ValidationError({"participants": _("参加评议的专家须是本批次评审专家组成员。")})
    people = [panel[p] for p in dict.fromkeys(chosen)]
    cast = votes_for + votes_against + votes_abstain
    if cast != len(people):
        raise ValidationError({"votes_for": _(
            "同意、反对、弃权票合计%(cast)d票，与参加评议的专家人数%(n)d人不符：每位参加评议的专家投一票。")
            % {"cast": cast, "n": len(people)}})
    return people


def record_panel_conclusion(*, actor, application_id: int, votes_for: int, votes_against: int,
                            votes_abstain: int, summary: str, held_on: date, participants=()) -> PanelConclusion:
    """集中评议: HR records who took part and the vote; the conclusion follows the vote (more than half of
    the participants agreeing), and the application moves to the proposed list or is not recognized."""
    with transaction.atomic():
        require_role(actor, Role.HR)
        app = _locked(application_id)
        if app.state != State.EXPERT_REVIEW:
            raise TransitionRefused(_("只有专家评审中的申报才能记录集中评议结论。"))
        assignments = list(app.assignments.filter(state__in=ON_PANEL))
        if not assignments:
            raise ValidationError(_("尚未分配评审专家。"))
        waiting = [str(a.expert) for a in assignments if a.state == AssignmentState.ASSIGNED]
        if waiting:
            raise ValidationError(_("以下专家尚未提交评审意见：%(names)s。") % {"names": listed(waiting)})
        if held_on > timezone.localdate():
            raise ValidationError({"held_on": _("评议日期不能晚于今天。")})
        people = _check_votes(app, participants=participants, votes_for=votes_for, votes_against=votes_against,
                              votes_abstain=votes_abstain)
        conclusion = PanelConclusion(
            application=app, votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
            recommends=votes_for * 2 > len(people), summary=(summary or "").strip(), held_on=held_on,
            recorded_by=actor)
        conclusion.full_clean()
        conclusion.save()
        conclusion.participants.set(people)
        app.panel_conclusion = conclusion
        to = State.PROPOSED if conclusion.recommends else State.NOT_RECOGNIZED
        _move(app, actor=actor, to=to, reason=_conclusion_reason(conclusion))
    return conclusion


def _conclusion_reason(conclusion: PanelConclusion) -> str:
    return _("集中评议：同意%(f)d票，反对%(a)d票，弃权%(n)d票。%(summary)s") % {
        "f": conclusion.votes_for, "a": conclusion.votes_against, "n": conclusion.votes_abstain,
        "summary": conclusion.summary}


def panel_correctable(app: Application) -> bool:
    """HR may correct the 集中评议 record until the batch's proposed list is published."""
    return (app.state in (State.PROPOSED, State.NOT_RECOGNIZED) and hasattr(app, "panel_conclusion")
            and not Publicity.objects.filter(batch_id=app.batch_id).exists())


def correct_panel_conclusion(*, actor, application_id: int, votes_for: int, votes_against: int,
                             votes_abstain: int, summary: str, held_on: date, participants=(),
                             reason: str) -> PanelConclusion:
    """HR corrects a recorded 集中评议 (with a reason) before the proposed list is published; when the
    corrected vote changes the conclusion the application moves between 拟认定 and 不予认定."""
    reason = (reason or "").strip()
    with transaction.atomic():
        require_role(actor, Role.HR)
        app = _locked(application_id)
        Batch.objects.select_for_update().get(pk=app.batch_id)
        if not panel_correctable(app):
            raise TransitionRefused(_("拟认定名单已经公示，集中评议结论不能再更正。"))
        if not reason:
            raise ValidationError({"reason": _("请填写更正理由。")})
        if held_on > timezone.localdate():
            raise ValidationError({"held_on": _("评议日期不能晚于今天。")})
        conclusion = PanelConclusion.objects.select_for_update().get(application=app)
        people = _check_votes(app, participants=participants, votes_for=votes_for, votes_against=votes_against,
                              votes_abstain=votes_abstain)
        before = {"votes": [conclusion.votes_for, conclusion.votes_against, conclusion.votes_abstain],
                  "recommends": conclusion.recommends}
        conclusion.votes_for, conclusion.votes_against, conclusion.votes_abstain = (
            votes_for, votes_against, votes_abstain)
        conclusion.recommends = votes_for * 2 > len(people)
        conclusion.summary = (summary or "").strip()
        conclusion.held_on = held_on
        conclusion.corrected_at = timezone.now()
        conclusion.correction_reason = reason
        conclusion.full_clean()
        conclusion.save()
        conclusion.participants.set(people)
        app.panel_conclusion = conclusion
        audit.record(actor=actor, obj=app, action="panel_corrected", reason=reason,
                     data={"before": before, "votes": [votes_for, votes_against, votes_abstain],
                           "recommends": conclusion.recommends})
        to = State.PROPOSED if conclusion.recommends else State.NOT_RECOGNIZED
        if app.state != to:
            _move(app, actor=actor, to=to, reason=_("更正集中评议结论：%(reason)s") % {"reason": reason},
                  told=_conclusion_reason(conclusion))
    return conclusion


# --- publicity ------------------------------------------------------------------------------------

def publicity_window(starts_on: date):
    """(last day, closing moment): the 5th working day counting the start day when it is a working day,
    closing at 23:59:59 Asia/Shanghai. Raises ValidationError with CalendarUnavailable's message."""
    try:
        ends_on = workdays.nth_working_day(starts_on, PUBLICITY_WORKING_DAYS)
    except workdays.CalendarUnavailable as error:
        raise ValidationError({"starts_on": str(error)}) from None
    return ends_on, workdays.end_of_day(ends_on)


def publish_publicity(*, actor, batch_id: int, starts_on: date, how_to_object: str = "") -> Publicity:
    with transaction.atomic():
        require_role(actor, Role.HR)
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        blockers = rules.publicity_blockers(batch)
        if blockers:
            raise ValidationError(blockers)
        proposed = list(batch.applications.select_for_update().filter(state=State.PROPOSED).order_by("pk"))
        start_errors = rules.publicity_start_errors(starts_on)
        if start_errors:
            raise ValidationError(start_errors)
        ends_on, closes_at = publicity_window(starts_on)
        publicity = Publicity(batch=batch, starts_on=starts_on, ends_on=ends_on, closes_at=closes_at,
                              published_by=actor)
        if how_to_object.strip():
            publicity.how_to_object = how_to_object.strip()
        publicity.full_clean()
        publicity.save()
        batch.publicity = publicity
        audit.record(actor=actor, obj=batch, action="publish_publicity",
                     data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
                           "applications": [a.pk for a in proposed]})
        for app in proposed:
            app.batch = batch
            _move(app, actor=actor, to=State.PUBLICITY,
                  reason=_("公示期：%(s)s至%(e)s") % {"s": starts_on.isoformat(), "e": ends_on.isoformat()}, told="")
    return publicity


def publicity_is_open(publicity: Publicity, now=None) -> bool:
    now = now or timezone.now()
    return workdays.start_of_day(publicity.starts_on) <= now <= publicity.closes_at


def file_objection(*, publicity_id: int, application_id: int, name: str, phone: str, content: str,
                   ip_address: str) -> Objection:
    """Anyone may object, by name, while the window is open; a few objections per address and hour."""
    with transaction.atomic():
        publicity = Publicity.objects.select_related("batch").get(pk=publicity_id)
        if not publicity_is_open(publicity):
            raise ValidationError(_("公示期为%(s)s至%(e)s（截至当日23:59:59），当前不在公示期内，不再受理异议。") % {
                "s": publicity.starts_on.isoformat(), "e": publicity.ends_on.isoformat()})
        throttle.serialize("objection", ip_address)  # parallel objections of one address count one by one
        since = timezone.now() - timedelta(hours=1)
        recent = Objection.objects.filter(ip_address=ip_address, filed_at__gte=since).count()
        if recent >= OBJECTIONS_PER_ADDRESS_PER_HOUR:
            raise ValidationError(_("同一网络地址一小时内最多提交%(n)d条异议，请稍后再试或书面向县人社局反映。")
                                  % {"n": OBJECTIONS_PER_ADDRESS_PER_HOUR})
        app = Application.objects.filter(pk=application_id, batch=publicity.batch, state=State.PUBLICITY).first()
        if app is None:
            raise ValidationError({"application": _("请选择公示名单中的工作站。")})
        objection = Objection(publicity=publicity, application=app, name=(name or "").strip(),
                              phone=(phone or "").strip(), content=(content or "").strip(), ip_address=ip_address)
        objection.full_clean()
        objection.save()
        audit.record(actor=None, obj=objection, action="objection_filed", after=ObjectionState.PENDING,
                     data={"application": app.pk})
        notifications.notify(_hr_users(), _("收到对%(app)s的公示异议，请处理。") % {"app": app},
                             publicity.batch.get_absolute_url())
    return objection


def resolve_objection(*, actor, objection_id: int, upheld: bool, reason: str) -> Objection:
    """Upheld removes the station from the list (not recognized); dismissed keeps it. Reasons required."""
    reason = (reason or "").strip()
    with transaction.atomic():
        require_role(actor, Role.HR)
        objection = engine.lock(Objection.objects, pk=objection_id)
        if objection.state != ObjectionState.PENDING:
            raise ValidationError(_("该异议已处理。"))
        if not reason:
            raise ValidationError({"reason": _("请填写处理理由。")})
        engine.move(objection, to=ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED, actor=actor,
                    reason=reason, action="objection_resolved", resolution_reason=reason, resolved_by=actor,
                    resolved_at=timezone.now())
        if upheld:
            app = _locked(objection.application_id)
            if app.state == State.PUBLICITY:
                move_reason = _("公示异议成立：%(reason)s") % {"reason": reason}
                _move(app, actor=actor, to=State.NOT_RECOGNIZED, reason=move_reason)
    return objection


# --- recognition ----------------------------------------------------------------------------------

def _plaque_numbers(year: int):
    """QSJS-<year>-001, -002 … after the year's highest number; a plaque of another form the history import
    brought (QSJS-2025-D01, QSJS-2025-7号) is no number of this series and is passed over."""
    prefix = f"QSJS-{year}-"
    n = (Workstation.objects.filter(plaque_number__regex=rf"^{prefix}[0-9]{{1,9}}$")
         .annotate(n=Cast(Substr("plaque_number", len(prefix) + 1), IntegerField()))
         .aggregate(m=Max("n"))["m"]) or 0
    while True:
        n += 1
        yield f"{prefix}{n:03d}"


def recognize_batch(*, actor, batch_id: int, number: str, issued_on: date, issuers: list[str]) -> RecognitionDocument:
    """联合发文认定: the document, then for each application still on the list a workstation (plaque
    number, 2-year construction period from the document date) and its grant with the first tranche —
    all or nothing."""
    with transaction.atomic():
        require_role(actor, Role.HR)
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if hasattr(batch, "recognition"):
            raise ValidationError(_("%(batch)s已经发文认定。") % {"batch": batch})
        rules.require_publicity_over(batch)
        codes = [code for code, _label in ISSUERS]
        if sorted(issuers or []) != sorted(codes):
            raise ValidationError({"issuers": _("认定文件须由县委组织部、县人社局、县财政局三家联合印发。")})
        date_errors = rules.issued_on_errors(batch, issued_on)
        if date_errors:
            raise ValidationError(date_errors)
        remaining = list(batch.applications.select_for_update().filter(state=State.PUBLICITY).order_by("pk"))
        if not remaining:
            raise ValidationError(_("公示名单中已没有可认定的申报。"))
        document = RecognitionDocument(batch=batch, number=(number or "").strip(), issued_on=issued_on,
                                       issuers=codes, recorded_by=actor)
        document.full_clean()
        document.save()
        audit.record(actor=actor, obj=batch, action="recognition_document", reason=document.number,
                     data={"issued_on": issued_on.isoformat(), "applications": [a.pk for a in remaining]})
        plaques = _plaque_numbers(batch.year)
        for app in remaining:
            station = Workstation(
                name=f"沁水县技师工作站（{app.unit_name}·{app.occupation}）"[:160], unit_id=app.unit_id,
                occupation=app.occupation, leader_name=app.leader_name, leader_skill_level=app.leader_skill_level,
                batch_year=batch.year, plaque_number=next(plaques), recognition_document_number=document.number,
                recognized_on=issued_on, construction_ends_on=construction_end(issued_on))
            core_services.recognize_workstation(actor=actor, station=station, amount=batch.subsidy_amount,
                                                document_number=document.number, data={"application": app.pk})
            app.workstation = station
            _move(app, actor=actor, to=State.RECOGNIZED, reason=_("认定文件：%(n)s") % {"n": document.number},
                  told="")
        notifications.notify(
            [*users_with_role(Role.FINANCE), *users_with_role(Role.ORG_DEPT)],
            _("%(batch)s已发文认定%(n)d家技师工作站（%(doc)s），第一批建设补助待审批拨付。")
            % {"batch": batch, "n": len(remaining), "doc": document.number}, "/workstations/")
    return document
