"""Every write of the annual evaluation, the ledger and revocation (第七条 – 第十条).

Keyword-only arguments, one transaction, the row being changed locked, the workflow table consulted,
full_clean() before save, an audit entry and notifications for every change. Finalizing a round is
set-based SQL (``recompute_assessed``, ``finalize_round``): its cost does not grow with a query per
evaluation; the consequences (revocation, acceptance, tranches) go through the core's and funding's bulk
services, a few statements for the whole round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinshui_station import audit, bulk, engine, notifications
from qinshui_station import services as core_services
from qinshui_station.models import RevocationGround, User, Workstation
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.prepared import prepared_cursor
from qinshui_station.punctuation import listed
from qinshui_station.roles import Role
from qinshui_station.selectors import user_ids_by_organization, users_with_role
from qinshui_station.validators import validate_expert_for
from qinshui_station.workflow import TransitionRefused, require_role
from reviews import scoring
from reviews.models import (
    AcceptedCount,
    Assignment,
    ClaimedCount,
    Evaluation,
    EvaluationAttachment,
    EvaluationRound,
    ExpertScore,
    LedgerAttachment,
    LedgerEntry,
    RubricVersion,
    SelfScore,
)
from reviews.sheets import Rubric
from reviews.workflow import (
    OPEN_EVALUATION_STATES,
    AssignmentState,
    EvaluationState,
    Grade,
    RoundState,
    assign_guard,
    edit_guard,
    ledger_guard,
    round_open,
    scoring_guard,
    unassign_guard,
)


def _unit_users(unit_id: int):
    return users_with_role(Role.UNIT, organization=unit_id)


def _hr_users():
    return users_with_role(Role.HR)


# --- Rounds --------------------------------------------------------------------------------------------

def default_window(year: int) -> tuple[date, date]:
    """第九条: every March."""
    return date(year, 3, 1), date(year, 3, 31)


def stations_owing(year: int):
    """Stations that owe an evaluation in ``year``: from the year after recognition until the construction
    period ends (Workstation.evaluation_years()), title standing, and no imported paper result for that year."""
    return (Workstation.objects.exclude(state=WorkstationState.REVOKED)
            .filter(recognized_on__year__lt=year, construction_ends_on__year__gte=year)
            .exclude(imported_results__year=year))  # evaluated on paper before the portal (records/)


def open_round(*, actor, year: int, rubric_id: int | None = None, opens_on: date | None = None,
               closes_on: date | None = None) -> EvaluationRound:
    require_role(actor, Role.HR)
    with transaction.atomic():
        rubric = (RubricVersion.objects.get(pk=rubric_id) if rubric_id
                  else RubricVersion.objects.order_by("-code").first())
        if rubric is None:
            raise ValidationError({"rubric": _("尚无评估细则版本。")})
        default_open, default_close = default_window(year)
        round_ = EvaluationRound(year=year, rubric=rubric, opens_on=opens_on or default_open,
                                 closes_on=closes_on or default_close, excellent_percent=rubric.excellent_percent,
                                 opened_by=actor)
        round_.full_clean()
        round_.save()
        stations = list(stations_owing(year).only("pk", "unit_id", "construction_ends_on", "plaque_number"))
        Evaluation.objects.bulk_create([
            Evaluation(round=round_, workstation=s, is_final_acceptance=s.is_final_acceptance_year(year),
                       plaque_number=s.plaque_number)
            for s in stations
        ])
        audit.record(actor=actor, obj=round_, action="round_opened", after=RoundState.OPEN,
                     data={"rubric": rubric.code, "stations": len(stations),
                           "window": [round_.opens_on.isoformat(), round_.closes_on.isoformat()]})
        unit_users = users_with_role(Role.UNIT).filter(organization__in={s.unit_id for s in stations})
        notifications.notify(
            unit_users,
            _("%(year)d年度技师工作站评估已开始，请于%(start)s至%(end)s提交年度评估申请表。")
            % {"year": year, "start": round_.opens_on.isoformat(), "end": round_.closes_on.isoformat()},
            reverse("reviews:evaluation_list"),
        )
    return round_


def update_round_window(*, actor, round_id: int, opens_on: date, closes_on: date) -> EvaluationRound:
    require_role(actor, Role.HR)
    with transaction.atomic():
        round_ = EvaluationRound.objects.select_for_update().get(pk=round_id)
        round_open(round_)
        before = f"{round_.opens_on}—{round_.closes_on}"
        round_.opens_on, round_.closes_on = opens_on, closes_on
        round_.full_clean()
        round_.save(update_fields=["opens_on", "closes_on"])
        audit.record(actor=actor, obj=round_, action="round_window", before=before, after=f"{opens_on}—{closes_on}")
    return round_


# --- The unit's form -----------------------------------------------------------------------------------

def _editable_evaluation(actor, evaluation_id: int) -> Evaluation:
    evaluation = (Evaluation.objects.select_for_update(of=("self",))
                  .select_related("round", "workstation").get(pk=evaluation_id))
    edit_guard(actor, evaluation)
    return evaluation


def save_evaluation_form(*, actor, evaluation_id: int, contact_person: str, contact_title: str, contact_phone: str,
                         work_summary: str, self_points: dict[int, Decimal], claimed: dict[int, int]) -> Evaluation:
    """The unit saves its 年度评估申请表: the header, a self-score per judged item, its claimed counts.
    Counted items' self-scores and the self bonus are computed from the counts."""
    with transaction.atomic():
        evaluation = _editable_evaluation(actor, evaluation_id)
        rubric = Rubric.load(evaluation.round.rubric_id)
        evaluation.contact_person = contact_person
        evaluation.contact_title = contact_title
        evaluation.contact_phone = contact_phone
        evaluation.work_summary = work_summary
        counts = {r.pk: int(claimed.get(r.pk) or 0) for r in rubric.rules}
        for rule_id, count in counts.items():
            if count < 0:
                raise ValidationError({f"count_{rule_id}": _("数量不能为负数。")})
        sheet = rubric.sheet({k: v for k, v in self_points.items() if v is not None}, counts)
        errors = {}
        rows = []
        for item in rubric.items:
            if item.pk not in sheet:
                continue
            row = SelfScore(evaluation=evaluation, item=item, points=sheet[item.pk], max_points=item.max_points)
            try:
                row.full_clean(exclude=["evaluation", "item"], validate_unique=False)
            except ValidationError as error:
                errors[f"item_{item.pk}"] = error.messages
            rows.append(row)
        if errors:
            raise ValidationError(errors)
        evaluation.self_scores.all().delete()
        SelfScore.objects.bulk_create(rows)
        evaluation.claimed_counts.all().delete()
        ClaimedCount.objects.bulk_create([ClaimedCount(evaluation=evaluation, rule_id=k, count=v)
                                          for k, v in counts.items()])
        base = sum(sheet.values(), Decimal("0"))
        bonus = rubric.bonus(counts)
        evaluation.self_base, evaluation.self_bonus, evaluation.self_total = base, bonus, base + bonus
        evaluation.full_clean()
        evaluation.save()
        audit.record(actor=actor, obj=evaluation, action="evaluation_saved",
                     data={"self_total": str(evaluation.self_total)})
    return evaluation


def add_evaluation_attachment(*, actor, evaluation_id: int, uploaded, item_id: int | None = None,
                              rule_id: int | None = None, note: str = "") -> EvaluationAttachment:
    with transaction.atomic():
        evaluation = _editable_evaluation(actor, evaluation_id)
        if item_id and not evaluation.round.rubric.items.filter(pk=item_id).exists():
            raise ValidationError({"item": _("所选考核细则不属于本轮评估。")})
        if rule_id and not evaluation.round.rubric.count_rules.filter(pk=rule_id).exists():
            raise ValidationError({"rule": _("所选计数项不属于本轮评估。")})
        attachment = EvaluationAttachment(evaluation=evaluation, item_id=item_id or None, rule_id=rule_id or None,
                                          note=note)
        try:
            attachment.attach(uploaded, user=actor)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        attachment.full_clean()
        attachment.save()
        audit.record(actor=actor, obj=evaluation, action="evidence_added", data={"file": attachment.original_name})
    return attachment


def remove_evaluation_attachment(*, actor, attachment_id: int) -> None:
    with transaction.atomic():
        attachment = EvaluationAttachment.objects.select_related("evaluation").get(pk=attachment_id)
        evaluation = _editable_evaluation(actor, attachment.evaluation_id)
        name = attachment.original_name
        attachment.delete()
        audit.record(actor=actor, obj=evaluation, action="evidence_removed", data={"file": name})


def evaluation_transition(*, evaluation_id: int, actor, to: str, reason: str = "") -> Evaluation:
    with transaction.atomic():
        evaluation = engine.lock(Evaluation.objects, pk=evaluation_id)
        round_open(evaluation.round)
        fields = {"submitted_at": timezone.now()} if to == EvaluationState.SUBMITTED else {}
        engine.move(evaluation, to=to, actor=actor, reason=reason, **fields)
        url = evaluation.get_absolute_url()
        if to == EvaluationState.SUBMITTED:
            notifications.notify(_hr_users(), _("%(station)s提交了%(year)d年度评估申请表。")
                                 % {"station": evaluation.workstation, "year": evaluation.round.year}, url)
        elif to == EvaluationState.RETURNED:
            notifications.notify(_unit_users(evaluation.workstation.unit_id),
                                 _("%(year)d年度评估申请表被退回修改：%(reason)s")
                                 % {"year": evaluation.round.year, "reason": reason}, url)
    return evaluation


def on_station_revoked(event) -> None:
    """``events.REVOKED``: the station's evaluations in open rounds are withdrawn with the revocation's reason,
    so that the round can still be finalized without them."""
    engine.move_many(
        Evaluation.objects.filter(workstation_id__in=event.station_ids, state__in=OPEN_EVALUATION_STATES,
                                  round__state=RoundState.OPEN),
        to=EvaluationState.WITHDRAWN, actor=event.actor, reason=lambda e: event.reasons[e.workstation_id],
        action="withdrawn", system=True)


def overdue_acceptances():
    """Stations whose construction period ended without passing 建设期满验收 (CONSTRUCTION_ENDED announced, still
    in construction): HR's waiting work until the final acceptance is finalized (or the title revoked)."""
    return Workstation.objects.filter(state=WorkstationState.CONSTRUCTION, period_ended_announced_on__isnull=False)


def on_construction_ended(event) -> None:
    """``events.CONSTRUCTION_ENDED``: HR is told, per station, that its 建设期满验收 (第九条: the evaluation of the
    year the period ends) is missing — never filed in a round — or not finalized yet (its round still open)."""
    stations = list(Workstation.objects.filter(pk__in=event.station_ids).order_by("pk"))
    finals = {(e.workstation_id, e.round.year): e for e in Evaluation.objects.filter(
        workstation_id__in=event.station_ids).exclude(state=EvaluationState.WITHDRAWN).select_related("round")}
    hr = list(users_with_role(Role.HR).values_list("pk", flat=True))
    notices = []
    for station in stations:
        final = finals.get((station.pk, station.construction_ends_on.year))
        end = station.construction_ends_on.isoformat()
        if final is None:
            message = _("%(station)s的建设期已于%(end)s届满，尚未进行建设期满验收（第九条），请组织验收。") % {
                "station": station.name, "end": end}
            url = station.get_absolute_url()
        else:
            message = _("%(station)s的建设期已于%(end)s届满，其建设期满验收（%(year)d年度评估）尚未定级，请完成评分并定级。") % {
                "station": station.name, "end": end, "year": final.round.year}
            url = final.get_absolute_url()
        notices.extend((user_id, message, url) for user_id in hr)
    notifications.notify_many(notices)  # one statement, whatever the number of stations


# --- Experts -------------------------------------------------------------------------------------------

def assign_expert(*, actor, evaluation_id: int, expert_id: int) -> Assignment:
    require_role(actor, Role.HR)
    with transaction.atomic():
        evaluation = (Evaluation.objects.select_for_update(of=("self",))
                      .select_related("round", "workstation").get(pk=evaluation_id))
        assign_guard(actor, evaluation)  # the page offers the form by the same guard (can_assign_experts)
        expert = User.objects.select_related("organization").get(pk=expert_id)
        validate_expert_for(expert, unit_id=evaluation.workstation.unit_id, evaluation=True)
        if evaluation.assignments.filter(expert=expert).exists():
            raise ValidationError({"expert": _("该专家已分配到此评估。")})
        assignment = Assignment(evaluation=evaluation, expert=expert, assigned_by=actor)
        assignment.full_clean()
        assignment.save()
        audit.record(actor=actor, obj=assignment, action="expert_assigned", after=AssignmentState.ASSIGNED,
                     data={"expert": expert.pk})
        notifications.notify([expert], _("请对%(station)s的%(year)d年度评估进行评分。")
                             % {"station": evaluation.workstation, "year": evaluation.round.year},
                             assignment.get_absolute_url())
    return assignment


def unassign_expert(*, actor, assignment_id: int) -> None:
    require_role(actor, Role.HR)
    with transaction.atomic():
        assignment = engine.lock(Assignment.objects, pk=assignment_id)
        unassign_guard(actor, assignment)
        audit.record(actor=actor, obj=assignment.evaluation, action="expert_unassigned",
                     data={"expert": assignment.expert_id})
        assignment.delete()


def _scoring_assignment(actor, assignment_id: int) -> Assignment:
    assignment = engine.lock(Assignment.objects, pk=assignment_id)
    scoring_guard(actor, assignment)
    return assignment


def save_expert_scores(*, actor, assignment_id: int, points: dict[int, Decimal | None],
                       counts: dict[int, int | None]) -> Assignment:
    """An expert's working sheet: points for judged items (0..max, steps of 0.5), the counts accepted or
    corrected; counted items' points are computed here, never typed."""
    with transaction.atomic():
        assignment = _scoring_assignment(actor, assignment_id)
        rubric = Rubric.load(assignment.evaluation.round.rubric_id)
        errors = {}
        accepted = {}
        for rule in rubric.rules:
            value = counts.get(rule.pk)
            if value is None:
                continue
            if int(value) < 0:
                errors[f"count_{rule.pk}"] = [_("数量不能为负数。")]
            accepted[rule.pk] = int(value)
        if errors:
            raise ValidationError(errors)
        judged = {k: Decimal(v) for k, v in points.items() if v is not None}
        sheet = rubric.sheet(judged, accepted)
        rows = []
        for item in rubric.items:
            if item.pk not in sheet:
                continue
            if item.is_counted and not all(r.pk in accepted for r in rubric.rules_by_item.get(item.pk, [])):
                continue
            row = ExpertScore(assignment=assignment, item=item, points=sheet[item.pk], max_points=item.max_points)
            try:
                row.full_clean(exclude=["assignment", "item"], validate_unique=False)
            except ValidationError as error:
                errors[f"item_{item.pk}"] = error.messages
            rows.append(row)
        if errors:
            raise ValidationError(errors)
        assignment.scores.all().delete()
        ExpertScore.objects.bulk_create(rows)
        assignment.accepted_counts.all().delete()
        AcceptedCount.objects.bulk_create([AcceptedCount(assignment=assignment, rule_id=k, count=v)
                                           for k, v in accepted.items()])
        audit.record(actor=actor, obj=assignment, action="scores_saved", data={"items": len(rows)})
    return assignment


def submit_expert_scores(*, actor, assignment_id: int) -> Assignment:
    with transaction.atomic():
        assignment = _scoring_assignment(actor, assignment_id)
        engine.check(assignment, AssignmentState.SUBMITTED, actor=actor)
        rubric = Rubric.load(assignment.evaluation.round.rubric_id)
        scores = dict(assignment.scores.values_list("item_id", "points"))
        counts = dict(assignment.accepted_counts.values_list("rule_id", "count"))
        # Each missing item at its own field (a counted item's at its counts), and how many in one line.
        missing = {f"item_{item.pk}": [_("尚未评分。")] for item in rubric.judged_items if item.pk not in scores}
        missing |= {f"count_{rule.pk}": [_("尚未认定数量。")] for rule in rubric.rules if rule.pk not in counts}
        if missing:
            raise ValidationError({NON_FIELD_ERRORS: [_("还有%(n)d项尚未评分或认定，已在各项下标出。") % {"n": len(missing)}],
                                   **missing})
        base, bonus = sum(scores.values(), Decimal("0")), rubric.bonus(counts)
        engine.move(assignment, to=AssignmentState.SUBMITTED, actor=actor, action="scores_submitted",
                    data={"total": str(base + bonus)}, base=base, bonus=bonus, total=base + bonus,
                    submitted_at=timezone.now())
        recompute_assessed(evaluation_id=assignment.evaluation_id)
        evaluation = assignment.evaluation
        if not evaluation.assignments.filter(state=AssignmentState.ASSIGNED).exists():
            notifications.notify(_hr_users(), _("%(station)s的%(year)d年度评估已全部完成专家评分。")
                                 % {"station": evaluation.workstation, "year": evaluation.round.year},
                                 evaluation.get_absolute_url())
    return assignment


# --- Results, set-based --------------------------------------------------------------------------------

_RECOMPUTE_SQL = """
WITH per_expert AS (
    SELECT a.id, a.evaluation_id, a.bonus,
           SUM(s.points) AS base,
           COALESCE(SUM(s.points) FILTER (WHERE c.tiebreak = 1), 0) AS first_tb,
           COALESCE(SUM(s.points) FILTER (WHERE c.tiebreak = 2), 0) AS second_tb
    FROM reviews_assignment a
    JOIN reviews_evaluation e ON e.id = a.evaluation_id
    JOIN reviews_expertscore s ON s.assignment_id = a.id
    JOIN reviews_rubricitem i ON i.id = s.item_id
    JOIN reviews_rubriccategory c ON c.id = i.category_id
    WHERE a.state = 'submitted' AND {scope}
    GROUP BY a.id, a.evaluation_id, a.bonus
), per_evaluation AS (
    SELECT evaluation_id, COUNT(*) AS experts,
           ROUND(AVG(base), 2) AS base, ROUND(AVG(bonus), 2) AS bonus, ROUND(AVG(base + bonus), 2) AS total,
           ROUND(AVG(first_tb), 2) AS first_tb, ROUND(AVG(second_tb), 2) AS second_tb,
           MAX(base + bonus) - MIN(base + bonus) AS spread
    FROM per_expert GROUP BY evaluation_id
)
UPDATE reviews_evaluation e
SET experts_submitted = p.experts, assessed_base = p.base, assessed_bonus = p.bonus, assessed_total = p.total,
    first_tiebreak = p.first_tb, second_tiebreak = p.second_tb, expert_spread = p.spread
FROM per_evaluation p
WHERE e.id = p.evaluation_id
  AND (e.experts_submitted, e.assessed_base, e.assessed_bonus, e.assessed_total, e.first_tiebreak,
       e.second_tiebreak, e.expert_spread)
      IS DISTINCT FROM (p.experts, p.base, p.bonus, p.total, p.first_tb, p.second_tb, p.spread)
"""


def recompute_assessed(*, round_id: int | None = None, evaluation_id: int | None = None) -> int:
    """The assessed score of one evaluation or a whole round, in one statement: each item's mean over the
    experts who submitted, summed; the capped bonus's mean; the total rounded half up to 2 decimals once
    (the mean of the experts' totals equals the sum of the item means); the two tie-break subtotals; the
    spread between the experts' totals. Only the rows whose values change are written (finalizing a round
    recomputes every evaluation, which each expert's submission already did: nothing to write then)."""
    if (round_id is None) == (evaluation_id is None):
        raise TypeError("give exactly one of round_id, evaluation_id")
    scope, param = ("e.round_id = %s", round_id) if round_id is not None else ("e.id = %s", evaluation_id)
    with connection.cursor() as cursor:
        cursor.execute(_RECOMPUTE_SQL.format(scope=scope), [param])
        return cursor.rowcount


_ORDER = ("assessed_total DESC, assessed_base DESC, first_tiebreak DESC, second_tiebreak DESC, "
          "tie_preference ASC NULLS LAST")
# The round's scored sheets (the index evaluation_standing holds them in the ranking's order, with their ids)
_SCORED = "FROM reviews_evaluation WHERE round_id = %s AND state = 'submitted' AND assessed_total IS NOT NULL"
_KEY = ("assessed_total", "assessed_base", "first_tiebreak", "second_tiebreak", "tie_preference")
# Each scored sheet's rank: sheets equal on every column of the order share one (RANK: 1, 2, 2, 4).
_RANKED_SQL = f"SELECT id, RANK() OVER ranking AS rank {_SCORED} WINDOW ranking AS (ORDER BY {_ORDER})"


@dataclass
class Standing:
    """Where the round stands before finalization."""

    evaluated: int
    unqualified: int
    quota: int
    tied_ids: list[int]  # a tie straddling the cut-off: these compete for ``places`` excellent grades
    places: int


def round_standing(round_: EvaluationRound) -> Standing:
    """Counts, quota and the tie at the cut-off. A tie straddles the cut-off when the quota-th sheet in the
    ranking's order and the next one are equal on every column of the order (one rank) and may be excellent; the
    tied group is every sheet equal to them, and it has ``quota - rank + 1`` excellent places. Read from the index
    up to the cut-off, not ranked in full: on every view of an open round (HR's page), with thousands scored."""
    with prepared_cursor() as cursor:  # each statement's text is fixed: PostgreSQL keeps them prepared
        cursor.execute(f"SELECT COUNT(*), COUNT(*) FILTER (WHERE assessed_total < %s) {_SCORED}",
                       [scoring.QUALIFIED_FROM, round_.pk])
        evaluated, unqualified = cursor.fetchone()
        quota = scoring.excellent_quota(evaluated, unqualified, round_.excellent_percent)
        if not 0 < quota < evaluated:  # no excellent place, or one for every sheet: nobody is cut off
            return Standing(evaluated, unqualified, quota, [], 0)
        # the quota-th sheet and the next, with their ranks (the index read up to them, no further)
        cursor.execute(f"SELECT RANK() OVER ranking, {', '.join(_KEY)} {_SCORED} WINDOW ranking AS (ORDER BY {_ORDER}) "
                       f"ORDER BY {_ORDER} LIMIT 2 OFFSET %s", [round_.pk, quota - 1])
        (rank, *key), (next_rank, *_) = cursor.fetchall()
        if rank != next_rank or key[0] < scoring.EXCELLENT_FROM:  # not tied, or not excellent anyway
            return Standing(evaluated, unqualified, quota, [], 0)
        # the tied group: every sheet equal to them on every column of the order (a missing value equals another)
        cursor.execute(f"SELECT id {_SCORED} AND assessed_total = %s AND "
                       + " AND ".join(f"{column} IS NOT DISTINCT FROM %s" for column in _KEY[1:]) + " ORDER BY id",
                       [round_.pk, *key])
        tied = [eval_id for eval_id, in cursor.fetchall()]
    return Standing(evaluated, unqualified, quota, tied, quota - rank + 1)


def tie_to_decide(round_: EvaluationRound) -> Standing:
    """The round's standing, when a tie straddling the cut-off waits for HR's decision (what the round's page
    offers a decision on); else TransitionRefused saying why not: the round finalized, the tie decided (by a
    colleague, in another tab: the decision breaks it), or no tie at all. ``decide_tie``'s guard."""
    round_open(round_)
    standing = round_standing(round_)
    if standing.tied_ids:
        return standing
    if round_.tie_decided_at is not None:
        raise TransitionRefused(_("并列处理决定已于%(on)s记录（理由：%(reason)s），无需再次处理。")
                                % {"on": f"{timezone.localtime(round_.tie_decided_at):%Y-%m-%d}",
                                   "reason": round_.tie_reason})
    raise TransitionRefused(_("当前没有跨越优秀名额线的并列情况，无需处理。"))


def decide_tie(*, actor, round_id: int, excellent_ids: list[int], reason: str) -> EvaluationRound:
    """HR decides a tie that straddles the cut-off: which of the tied stations take the remaining
    excellent places, with a recorded reason. A tie the decision broke is not decided again (``tie_to_decide``);
    a new tie after it (scores changed) is, the new decision replacing the old."""
    require_role(actor, Role.HR)
    with transaction.atomic():
        round_ = EvaluationRound.objects.select_for_update().get(pk=round_id)
        tie_to_decide(round_)
        if not (reason or "").strip():
            raise ValidationError({"reason": _("请填写并列处理的理由。")})
        # A new decision replaces an old one; without the old preferences the tie is still there (wider if anything)
        Evaluation.objects.filter(round=round_).update(tie_preference=None)
        standing = round_standing(round_)
        chosen = set(excellent_ids)
        if not chosen <= set(standing.tied_ids) or len(chosen) != standing.places:
            raise ValidationError({"excellent": _("请在并列的工作站中选出%(n)d个评为优秀。") % {"n": standing.places}})
        Evaluation.objects.filter(pk__in=chosen).update(tie_preference=1)
        Evaluation.objects.filter(pk__in=set(standing.tied_ids) - chosen).update(tie_preference=2)
        round_.tie_reason = reason
        round_.tie_decided_by = actor
        round_.tie_decided_at = timezone.now()
        round_.save(update_fields=["tie_reason", "tie_decided_by", "tie_decided_at"])
        audit.record(actor=actor, obj=round_, action="tie_decided", reason=reason,
                     data={"excellent": sorted(chosen), "tied": standing.tied_ids})
    return round_


def finalize_round(*, actor, round_id: int, on: date | None = None) -> EvaluationRound:
    """Rank, apply the quota, grade, lock, and apply the consequences, in one transaction. The grading is
    a handful of set-based statements whatever the number of stations."""
    on = on or timezone.localdate()
    with bulk.collector_paused(), transaction.atomic():
        round_ = engine.lock(EvaluationRound.objects, pk=round_id)
        engine.check(round_, RoundState.FINALIZED, actor=actor)
        evaluations = Evaluation.objects.filter(round=round_)
        unfinished = list(
            evaluations.filter(Q(state__in=[EvaluationState.DRAFT, EvaluationState.RETURNED])
                               | Q(state=EvaluationState.SUBMITTED, assignments__isnull=True)
                               | Q(state=EvaluationState.SUBMITTED, assignments__state=AssignmentState.ASSIGNED))
            .order_by("workstation__name").values_list("workstation__name", flat=True).distinct()[:11]
        )
        if unfinished:
            raise TransitionRefused(_("以下工作站尚未提交申请表或尚未完成专家评分，不能定级：%(names)s")
                                    % {"names": listed(unfinished[:10]) + ("……" if len(unfinished) > 10 else "")})
        recompute_assessed(round_id=round_.pk)
        standing = round_standing(round_)
        if standing.tied_ids:
            names = listed(Workstation.objects.filter(evaluations__pk__in=standing.tied_ids)
                             .order_by("name").values_list("name", flat=True))
            raise TransitionRefused(
                _("以下工作站得分完全相同，跨越优秀名额线（剩余%(places)d个名额），请先作出并列处理决定并记录理由：%(names)s")
                % {"places": standing.places, "names": names})
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, rank FROM ({_RANKED_SQL}) ranked", [round_.pk])
            ranks = dict(cursor.fetchall())
        units = user_ids_by_organization(Role.UNIT, evaluations.values_list("workstation__unit_id", flat=True))
        # each station's notice says its grade and total (and a final acceptance passed): it said only "已定级"
        grade_words = {value: str(label) for value, label in Grade.choices}
        graded_text = _("%(year)d年度评估结果：%(station)s%(grade)s（考核总分%(total)s）。")
        accepted_text = _("建设期满验收合格，第二批补助资金将安排拨付。")
        graded_url = reverse("reviews:evaluation_list")

        def graded_message(e) -> str:
            text = graded_text % {"year": round_.year, "station": e.workstation.name,
                                  "grade": grade_words[e.grade], "total": e.assessed_total}
            passed = e.is_final_acceptance and e.grade in (Grade.QUALIFIED, Grade.EXCELLENT)
            return text + accepted_text if passed else text
        # rank and grade written with the state, in the move's one UPDATE (each row's own values)
        graded = engine.move_many(
            evaluations.filter(state=EvaluationState.SUBMITTED), to=EvaluationState.GRADED, actor=actor,
            action="graded", system=True, graded_at=now,
            per_row=lambda e: {"rank": ranks[e.pk],
                               "grade": scoring.grade_in_round(e.assessed_total, ranks[e.pk], standing.quota)},
            only=("assessed_total", "is_final_acceptance", "round__year", "workstation__name",
                  "workstation__unit_id"),
            data=lambda e: {"grade": e.grade, "total": str(e.assessed_total), "rank": e.rank},
            notify=lambda e: [(units.get(e.workstation.unit_id, []), graded_message(e), graded_url)])
        engine.move(round_, to=RoundState.FINALIZED, actor=actor, action="round_finalized",
                    data={"evaluated": standing.evaluated, "unqualified": standing.unqualified,
                          "quota": standing.quota, "tie_reason": round_.tie_reason},
                    finalized_by=actor, finalized_at=now, evaluated_count=standing.evaluated,
                    unqualified_count=standing.unqualified, excellent_quota=standing.quota)
        _apply_consequences(actor=actor, round_=round_, graded=graded, on=on)
    return round_


def _apply_consequences(*, actor, round_: EvaluationRound, graded: list[Evaluation], on: date) -> None:
    """第九条: unqualified → the title revoked through the core's one revocation (its open tranches cancelled,
    the unit told to return the plaque); final acceptance passed → accepted (the second tranche scheduled).
    Set-based: a few statements whatever the number of stations."""
    core_services.revoke_workstations(
        actor=actor, ground=RevocationGround.FAILED_EVALUATION, on=on,
        facts={e.workstation_id: _("%(year)d年度评估考核总分%(total)s分，评定为不合格。")
               % {"year": round_.year, "total": e.assessed_total}
               for e in graded if e.grade == Grade.UNQUALIFIED})
    core_services.accept_workstations(
        actor=actor, workstation_ids=[e.workstation_id for e in graded
                                      if e.is_final_acceptance and e.grade in (Grade.QUALIFIED, Grade.EXCELLENT)],
        reason=_("%(year)d年度建设期满验收合格") % {"year": round_.year})


# --- Revocation outside a round (第十条) ----------------------------------------------------------------

ARTICLE_TEN_GROUNDS = [(value, label) for value, label in RevocationGround.choices
                       if value != RevocationGround.FAILED_EVALUATION]


def revoke(*, actor, workstation_id: int, ground: str, facts: str, on: date):
    """HR ends a station's title on one of 第十条's six grounds: the core's one revocation, with every effect
    (open tranches cancelled, evaluations in open rounds withdrawn, the unit told)."""
    require_role(actor, Role.HR)
    if ground not in dict(ARTICLE_TEN_GROUNDS):
        raise ValidationError({"ground": _("请选择第十条规定的撤销情形之一。")})
    return core_services.revoke_workstation(workstation_id=workstation_id, actor=actor, ground=ground, facts=facts,
                                            on=on)


# --- The work ledger (第八条) ---------------------------------------------------------------------------

LEDGER_FIELDS = ("kind", "occurred_on", "title", "person_name", "occupation", "result", "description")


def add_ledger_entry(*, actor, workstation_id: int, files=(), **fields) -> LedgerEntry:
    unknown = set(fields) - set(LEDGER_FIELDS)
    if unknown:
        raise TypeError(f"unknown ledger fields: {sorted(unknown)}")
    with transaction.atomic():
        station = Workstation.objects.select_for_update().get(pk=workstation_id)
        ledger_guard(actor, station)
        entry = LedgerEntry(workstation=station, recorded_by=actor, **fields)
        entry.full_clean()
        entry.save()
        names = []
        for uploaded in files:
            attachment = LedgerAttachment(entry=entry)
            try:
                attachment.attach(uploaded, user=actor)
            except ValidationError as error:
                raise ValidationError({"files": error.messages}) from None
            attachment.save()
            names.append(attachment.original_name)
        audit.record(actor=actor, obj=entry, action="ledger_added", data={"kind": entry.kind, "files": names})
    return entry


def delete_ledger_entry(*, actor, entry_id: int) -> None:
    with transaction.atomic():
        entry = LedgerEntry.objects.select_for_update(of=("self",)).select_related("workstation").get(pk=entry_id)
        if not (actor.role == Role.UNIT and actor.organization_id == entry.workstation.unit_id):
            raise PermissionDenied(_("只能删除本单位工作站的台账。"))
        audit.record(actor=actor, obj=entry.workstation, action="ledger_deleted",
                     data={"kind": entry.kind, "entry": str(entry)})
        entry.delete()
