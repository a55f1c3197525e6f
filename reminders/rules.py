"""Every reminder: its rule, its recipients, its message and the page where the recipient acts.

Each rule is a function of the day the schedule runs for (``today``) that reads the apps' tables and yields
``Reminder`` rows. A reminder is due from the first day its condition holds until its deadline passes; the
schedule (reminders.schedule) sends each (kind, key, recipient) at most once, so a day the worker was down is
caught up on the next run and a rerun sends nothing twice. Working days come from ``qinshui_station.workdays``.

Counting: ``remaining(today, D)`` is the number of working days after today up to and including D (0 on D
itself), so "closes in 5 working days" is due from the first day with at most 5 working days left. ``waited(start,
today)`` is the number of working days after ``start`` up to and including today. docs/reminders.md lists the
rules in words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinshui_station import workdays
from qinshui_station.models import User, Workstation
from qinshui_station.models.workstations import WorkstationState
from qinshui_station.roles import Role
from reminders import kinds


@dataclass(frozen=True)
class Reminder:
    kind: str
    key: str
    recipient_id: int
    due_on: date
    message: str
    url: str


# The thresholds the measures' users asked for, in working days (calendar days for the construction period).
CLOSING_THRESHOLDS = (5, 1)
DEPARTMENT_WAIT = 5
EXPERT_WARNING = 3
TRANCHE_WAIT = 10
CONSTRUCTION_WARNING_DAYS = 60


def remaining(today: date, deadline: date) -> int:
    return workdays.working_days_between(today + timedelta(days=1), deadline)


def waited(start: date, today: date) -> int:
    return workdays.working_days_between(start + timedelta(days=1), today)


def closing_threshold(today: date, deadline: date) -> int | None:
    """Which of CLOSING_THRESHOLDS is due on ``today`` (the smallest one reached), or None."""
    if today > deadline:
        return None
    left = remaining(today, deadline)
    reached = [t for t in CLOSING_THRESHOLDS if left <= t]
    return min(reached) if reached else None


def expert_deadline(assigned_on: date) -> date:
    """The deadline for an expert's opinion or score sheet: EXPERT_ANSWER_WORKING_DAYS working days after the
    day of assignment (the models had none; docs/reminders.md)."""
    return workdays.nth_working_day(assigned_on + timedelta(days=1), settings.EXPERT_ANSWER_WORKING_DAYS)


def local_date(moment) -> date:
    return timezone.localtime(moment, workdays.SHANGHAI).date()


def _users(role: str, **filters) -> dict[int, list[int]]:
    """Active accounts of ``role`` by organization id."""
    by_org: dict[int, list[int]] = {}
    for pk, org in User.objects.filter(role=role, is_active=True, **filters).values_list("pk", "organization_id"):
        by_org.setdefault(org, []).append(pk)
    return by_org


def _role_ids(role: str) -> list[int]:
    return list(User.objects.filter(role=role, is_active=True).order_by("pk").values_list("pk", flat=True))


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# --- 申报 --------------------------------------------------------------------------------------------------

def _open_batches(today: date):
    from applications.models import Batch, BatchState

    return Batch.objects.filter(state=BatchState.OPEN, filing_opens_on__lte=today, filing_closes_on__gte=today)


def filing_opens(today: date) -> Iterator[Reminder]:
    """A batch's filing window is open: every registered unit's accounts, once per batch."""
    for batch in _open_batches(today):
        message = _("%(year)d年度技师工作站申报已开始，申报截止日期为%(end)s。") % {
            "year": batch.year, "end": _day(batch.filing_closes_on)}
        for user_id in _role_ids(Role.UNIT):
            yield Reminder(kinds.FILING_OPENS, f"batch:{batch.pk}:opens", user_id, batch.filing_opens_on, message,
                           reverse("applications:create"))


def filing_closes(today: date) -> Iterator[Reminder]:
    """Closes in 5 / 1 working days: the accounts of units with a draft in the batch, one reminder per draft."""
    from applications.models import Application
    from applications.workflow import State

    for batch in _open_batches(today):
        threshold = closing_threshold(today, batch.filing_closes_on)
        if threshold is None:
            continue
        drafts = Application.objects.filter(batch=batch, state=State.DRAFT).values_list("pk", "unit_id", "occupation")
        unit_users = _users(Role.UNIT)
        for app_id, unit_id, occupation in drafts:
            message = _("您单位的%(occupation)s工作站申报尚未提交，%(year)d年度申报将于%(end)s截止（还剩%(n)d个工作日）。") % {
                "occupation": occupation, "year": batch.year, "end": _day(batch.filing_closes_on), "n": threshold}
            for user_id in unit_users.get(unit_id, []):
                yield Reminder(kinds.FILING_CLOSES, f"batch:{batch.pk}:closes:{threshold}:application:{app_id}",
                               user_id, batch.filing_closes_on, message,
                               reverse("applications:detail", args=[app_id]))


def department_waiting(today: date) -> Iterator[Reminder]:
    from applications.models import Application
    from applications.workflow import State

    departments = _users(Role.DEPARTMENT)
    waiting = (Application.objects.filter(state=State.SUBMITTED)
               .values_list("pk", "unit__department_id", "unit_name", "occupation", "state_changed_at"))
    for app_id, department_id, unit_name, occupation, since in waiting:
        submitted_on = local_date(since)
        days = waited(submitted_on, today)
        if days <= DEPARTMENT_WAIT:
            continue
        message = _("%(unit)s的%(occupation)s工作站申报已等待初审%(n)d个工作日（%(since)s提交），请尽快办理。") % {
            "unit": unit_name, "occupation": occupation, "n": days, "since": _day(submitted_on)}
        for user_id in departments.get(department_id, []):
            yield Reminder(kinds.DEPARTMENT_WAITING, f"application:{app_id}:submitted:{submitted_on.isoformat()}",
                           user_id, submitted_on, message, reverse("applications:detail", args=[app_id]))


def expert_deadlines(today: date) -> Iterator[Reminder]:
    from applications.models import ExpertAssignment
    from applications.states import ExpertAssignmentState
    from applications.workflow import State
    from reviews.models import Assignment
    from reviews.workflow import AssignmentState, EvaluationState, RoundState

    opinions = (ExpertAssignment.objects.filter(state=ExpertAssignmentState.ASSIGNED,
                                                application__state=State.EXPERT_REVIEW, expert__is_active=True)
                .values_list("pk", "expert_id", "assigned_at", "application__unit_name", "application__occupation"))
    for pk, expert_id, assigned_at, unit_name, occupation in opinions:
        due = expert_deadline(local_date(assigned_at))
        if today <= due and remaining(today, due) <= EXPERT_WARNING:
            yield Reminder(kinds.EXPERT_DEADLINE, f"opinion:{pk}", expert_id, due,
                           _("请于%(due)s前提交对%(unit)s%(occupation)s工作站申报的评审意见。") % {
                               "due": _day(due), "unit": unit_name, "occupation": occupation},
                           reverse("applications:assignment_review", args=[pk]))
    sheets = (Assignment.objects.filter(state=AssignmentState.ASSIGNED, evaluation__state=EvaluationState.SUBMITTED,
                                        evaluation__round__state=RoundState.OPEN, expert__is_active=True)
              .values_list("pk", "expert_id", "assigned_at", "evaluation__workstation__name",
                           "evaluation__round__year"))
    for pk, expert_id, assigned_at, station, year in sheets:
        due = expert_deadline(local_date(assigned_at))
        if today <= due and remaining(today, due) <= EXPERT_WARNING:
            yield Reminder(kinds.EXPERT_DEADLINE, f"score_sheet:{pk}", expert_id, due,
                           _("请于%(due)s前提交%(station)s%(year)d年度评估的评分表。") % {
                               "due": _day(due), "station": station, "year": year},
                           reverse("reviews:score", args=[pk]))


def publicity_ended(today: date) -> Iterator[Reminder]:
    from applications.models import ObjectionState, Publicity
    from applications.workflow import State

    ended = (Publicity.objects.filter(ends_on__lt=today, batch__applications__state=State.PUBLICITY)
             .annotate(open_objections=Count("objections", filter=Q(objections__state=ObjectionState.PENDING),
                                             distinct=True))
             .select_related("batch").distinct())
    hr = _role_ids(Role.HR)
    for publicity in ended:
        if publicity.open_objections:
            message = _("%(year)d年度拟认定名单公示已于%(end)s期满，仍有%(n)d件异议待处理，处理后方可认定。") % {
                "year": publicity.batch.year, "end": _day(publicity.ends_on), "n": publicity.open_objections}
        else:
            message = _("%(year)d年度拟认定名单公示已于%(end)s期满，无待处理异议，可以办理认定。") % {
                "year": publicity.batch.year, "end": _day(publicity.ends_on)}
        for user_id in hr:
            yield Reminder(kinds.PUBLICITY_ENDED, f"publicity:{publicity.pk}:ended", user_id, publicity.ends_on,
                           message, publicity.batch.get_absolute_url())


# --- 年度评估 ------------------------------------------------------------------------------------------------

def _owing(today: date):
    """(round, [(evaluation id, state, unit id, station name)]) for each open round whose window contains today:
    the stations that owe the evaluation (title standing, not withdrawn)."""
    from reviews.models import Evaluation, EvaluationRound
    from reviews.workflow import EvaluationState, RoundState

    for round_ in EvaluationRound.objects.filter(state=RoundState.OPEN, opens_on__lte=today, closes_on__gte=today):
        yield round_, list(
            Evaluation.objects.filter(round=round_, workstation__state__in=[WorkstationState.CONSTRUCTION,
                                                                            WorkstationState.ACCEPTED])
            .exclude(state=EvaluationState.WITHDRAWN).order_by("pk")
            .values_list("pk", "state", "workstation__unit_id", "workstation__name"))


def evaluation_opens(today: date) -> Iterator[Reminder]:
    unit_users = _users(Role.UNIT)
    for round_, owing in _owing(today):
        for ev_id, _state, unit_id, station in owing:
            message = _("%(year)d年度技师工作站评估已开始，请于%(end)s前提交%(station)s的年度评估申请表。") % {
                "year": round_.year, "end": _day(round_.closes_on), "station": station}
            for user_id in unit_users.get(unit_id, []):
                yield Reminder(kinds.EVALUATION_OPENS, f"evaluation:{ev_id}:opens", user_id, round_.opens_on,
                               message, reverse("reviews:evaluation_detail", args=[ev_id]))


def evaluation_closes(today: date) -> Iterator[Reminder]:
    from reviews.workflow import EvaluationState

    unit_users = _users(Role.UNIT)
    for round_, owing in _owing(today):
        threshold = closing_threshold(today, round_.closes_on)
        if threshold is None:
            continue
        for ev_id, state, unit_id, station in owing:
            if state not in (EvaluationState.DRAFT, EvaluationState.RETURNED):
                continue
            message = _("%(station)s的%(year)d年度评估申请尚未提交，将于%(end)s截止（还剩%(n)d个工作日）。") % {
                "station": station, "year": round_.year, "end": _day(round_.closes_on), "n": threshold}
            for user_id in unit_users.get(unit_id, []):
                yield Reminder(kinds.EVALUATION_CLOSES, f"evaluation:{ev_id}:closes:{threshold}", user_id,
                               round_.closes_on, message, reverse("reviews:evaluation_detail", args=[ev_id]))


# --- 资金 ------------------------------------------------------------------------------------------------

def tranche_waiting(today: date) -> Iterator[Reminder]:
    from funding.models import Tranche
    from funding.workflow import TrancheState

    finance = _role_ids(Role.FINANCE)
    approved = Tranche.objects.filter(state=TrancheState.APPROVED).select_related("grant__workstation")
    for tranche in approved:
        approved_on = local_date(tranche.approved_at)
        days = waited(approved_on, today)
        if days <= TRANCHE_WAIT:
            continue
        message = _("%(station)s的%(kind)s已于%(on)s审批，%(n)d个工作日仍未拨付，请尽快拨付。") % {
            "station": tranche.grant.workstation.name, "kind": tranche.get_kind_display(), "on": _day(approved_on),
            "n": days}
        for user_id in finance:
            yield Reminder(kinds.TRANCHE_WAITING, f"tranche:{tranche.pk}:approved:{approved_on.isoformat()}",
                           user_id, approved_on, message, tranche.get_absolute_url())


# --- 工作站 ------------------------------------------------------------------------------------------------

def construction_ending(today: date) -> Iterator[Reminder]:
    stations = Workstation.objects.filter(state=WorkstationState.CONSTRUCTION, construction_ends_on__gte=today,
                                          construction_ends_on__lte=today + timedelta(days=CONSTRUCTION_WARNING_DAYS))
    unit_users = _users(Role.UNIT)
    hr = _role_ids(Role.HR)
    for station in stations:
        message = _("%(station)s的两年建设期将于%(end)s届满，请准备期满验收（随当年度评估进行）。") % {
            "station": station.name, "end": _day(station.construction_ends_on)}
        key = f"workstation:{station.pk}:construction_ends:{station.construction_ends_on.isoformat()}"
        for user_id in [*unit_users.get(station.unit_id, []), *hr]:
            yield Reminder(kinds.CONSTRUCTION_ENDING, key, user_id, station.construction_ends_on, message,
                           station.get_absolute_url())


def last_working_day_of_september(year: int) -> date:
    day = date(year, 9, 30)
    while not workdays.is_working_day(day):
        day -= timedelta(days=1)
    return day


def outputs_behind(today: date) -> Iterator[Reminder]:
    """第七条's yearly outputs, counted in the work ledger from January 1 to today, against LedgerTarget."""
    from reviews.models import LedgerEntry, LedgerTarget

    year = today.year
    if today.month < 9 or today < last_working_day_of_september(year):
        return
    targets = dict(LedgerTarget.objects.values_list("kind", "minimum"))
    if not targets:
        return
    labels = dict(LedgerTarget._meta.get_field("kind").choices)
    stations = list(Workstation.objects.exclude(state=WorkstationState.REVOKED)
                    .filter(recognized_on__lt=date(year, 1, 1)).select_related("unit").order_by("pk"))
    counts: dict[tuple[int, str], int] = {}
    for ws_id, kind, n in (LedgerEntry.objects.filter(workstation__in=stations, occurred_on__year=year,
                                                      occurred_on__lte=today)
                           .values_list("workstation_id", "kind").annotate(n=Count("pk")).order_by()):
        counts[ws_id, kind] = n
    unit_users, departments = _users(Role.UNIT), _users(Role.DEPARTMENT)
    for station in stations:
        short = [(kind, counts.get((station.pk, kind), 0), minimum) for kind, minimum in sorted(targets.items())
                 if counts.get((station.pk, kind), 0) < minimum]
        if not short:
            continue
        gaps = "；".join(_("%(label)s%(have)d/%(need)d") % {"label": labels[kind], "have": have, "need": need}
                        for kind, have, need in short)
        message = _("预警：%(station)s截至%(today)s的%(year)d年度产出未达第七条要求（%(gaps)s），请抓紧落实并在工作台账中登记。") % {
            "station": station.name, "today": _day(today), "year": year, "gaps": gaps}
        recipients = [*unit_users.get(station.unit_id, []), *departments.get(station.unit.department_id, [])]
        for user_id in recipients:
            yield Reminder(kinds.OUTPUTS_BEHIND, f"workstation:{station.pk}:outputs:{year}", user_id,
                           date(year, 9, 30), message, reverse("reviews:ledger", args=[station.pk]))


RULES = (filing_opens, filing_closes, department_waiting, expert_deadlines, publicity_ended, evaluation_opens,
         evaluation_closes, tranche_waiting, construction_ending, outputs_behind)
