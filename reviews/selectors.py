"""Reads scoped to the person asking. Views reach evaluations, assignments, rounds and ledger entries only
through these; everything else is a 404. Each returns a queryset prepared for its list page (a constant
number of queries)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models import BooleanField as BoolField
from django.db.models.functions import Coalesce
from django.utils import timezone

from qinshui_station.models import AuditEntry, Workstation
from qinshui_station.prepared import Fixed, RowCount
from qinshui_station.punctuation import bracketed
from qinshui_station.roles import Role
from qinshui_station.selectors import workstations_for
from reviews.models import (
    AcceptedCount,
    Assignment,
    CountRule,
    Evaluation,
    EvaluationAttachment,
    EvaluationRound,
    ExpertScore,
    LedgerAttachment,
    LedgerEntry,
    LedgerKind,
    LedgerTarget,
    RubricItem,
)
from reviews.reads import Read, one
from reviews.scoring import round_half_up
from reviews.workflow import AssignmentState, EvaluationState, Grade

STAFF = (Role.HR, Role.FINANCE, Role.ORG_DEPT)
OVERCLAIM = 10  # HR is warned where the self-score exceeds the assessed score by this much or more


def rounds_for(user) -> QuerySet[EvaluationRound]:
    qs = EvaluationRound.objects.select_related("rubric")
    if user.is_authenticated and user.role in STAFF:
        return qs
    return qs.none()


def evaluations_for(user) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.select_related("round", "round__rubric", "workstation", "workstation__unit")
    if not user.is_authenticated:
        return qs.none()
    match user.role:
        case Role.UNIT:
            return qs.filter(workstation__unit=user.organization)
        case Role.DEPARTMENT:
            return qs.filter(workstation__unit__department=user.organization).exclude(state=EvaluationState.DRAFT)
        case Role.EXPERT:
            # Only what was assigned to them, and only once the unit has submitted it.
            return qs.filter(assignments__expert=user).exclude(
                state__in=[EvaluationState.DRAFT, EvaluationState.RETURNED, EvaluationState.WITHDRAWN])
        case Role.HR | Role.FINANCE | Role.ORG_DEPT:
            return qs
    return qs.none()


def assignments_for(user) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("evaluation", "evaluation__round", "evaluation__round__rubric",
                                           "evaluation__workstation",
                                           "evaluation__workstation__unit", "expert", "expert__organization")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.EXPERT:
        return qs.filter(expert=user).exclude(
            evaluation__state__in=[EvaluationState.DRAFT, EvaluationState.RETURNED, EvaluationState.WITHDRAWN])
    if user.role == Role.HR:
        return qs
    return qs.none()


def round_table(round_: EvaluationRound | int) -> QuerySet[Evaluation]:
    """HR's table of every station in a round (or a round's id): self vs assessed, spread, overclaim flag, expert
    progress."""
    return (
        Evaluation.objects.filter(round=round_)
        .select_related("workstation", "workstation__unit")
        .annotate(
            # a correlated count, not Count() with GROUP BY over the whole round: only the page's rows are
            # counted (docs/performance.md)
            experts_assigned=Coalesce(Subquery(
                Assignment.objects.filter(evaluation=OuterRef("pk")).order_by().values("evaluation")
                .annotate(n=Count("pk")).values("n")[:1]), 0),
            overclaimed=ExpressionWrapper(Q(assessed_total__isnull=False)
                                          & Q(self_total__gte=F("assessed_total") + OVERCLAIM),
                                          output_field=BoolField()),
        )
    )


def round_size(round_: EvaluationRound) -> int:
    """How many stations the round lists: the unfiltered table's count for its paginator, counted on the bare
    evaluations (the paginator's count of the annotated table cost more to build than the count itself)."""
    return _ROUND_SIZE(round=round_.pk)


_ROUND_SIZE = RowCount(lambda *, round: Evaluation.objects.filter(round_id=round), round=Fixed(int))  # compiled once


def grade_table(round_: EvaluationRound) -> QuerySet[Evaluation]:
    return (Evaluation.objects.filter(round=round_, state=EvaluationState.GRADED)
            .select_related("workstation", "workstation__unit").order_by("rank", "workstation__plaque_number"))


def evaluation_attachments(evaluation: Evaluation) -> QuerySet[EvaluationAttachment]:
    return evaluation.attachments.select_related("item", "rule")


def attachment_for(user, pk: int) -> EvaluationAttachment:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(EvaluationAttachment.objects.filter(evaluation__in=evaluations_for(user)), pk=pk)


def ledger_entries_for(user) -> QuerySet[LedgerEntry]:
    return (LedgerEntry.objects.filter(workstation__in=workstations_for(user))
            .select_related("workstation").prefetch_related("attachments"))


def ledger_attachment_for(user, pk: int) -> LedgerAttachment:
    from django.shortcuts import get_object_or_404

    visible = LedgerAttachment.objects.filter(entry__workstation__in=workstations_for(user))
    if user.is_authenticated and user.role == Role.EXPERT:
        # Experts see the ledger of the stations they score.
        visible = LedgerAttachment.objects.filter(
            entry__workstation__evaluations__in=evaluations_for(user)).distinct()
    return get_object_or_404(visible, pk=pk)


def evaluation_files(evaluation: Evaluation) -> dict[str, list[dict]]:
    """What the pages of an evaluation show beside the sheet, in one query (two JSON arrays, links reversed once):

    - ``attachments``, the evidence attached to the evaluation (reviews/_attachments.html), in upload order: [{"name", "url",
      "remove_url", "target" (the item's text cut to 24 characters, or the rule's label), "note"}];
    - ``ledger``, the ledger the evaluation looks at, the calendar year before the round (reviews/_ledger_side.html), grouped
      by kind: [{"kind", "label", "entries": [{"date", "text", "files": [(url, name)]}]}]."""
    return one(evaluation_files_read(evaluation))


def evaluation_files_read(evaluation: Evaluation) -> Read:
    """``evaluation_files`` as a part of a page's one read (``reviews.reads.together``)."""
    year = evaluation.review_year
    columns = (f"""(SELECT coalesce(json_agg(json_build_array(a.id, a.original_name, i.text, r.label, a.note)
                                ORDER BY a.uploaded_at, a.id), '[]')::text
         FROM {EvaluationAttachment._meta.db_table} a
         LEFT JOIN {RubricItem._meta.db_table} i ON i.id = a.item_id
         LEFT JOIN {CountRule._meta.db_table} r ON r.id = a.rule_id
        WHERE a.evaluation_id = %s)""",
               f"""(SELECT coalesce(json_agg(json_build_array(
                 e.kind, e.occurred_on, e.title, e.person_name, e.occupation, e.result,
                 (SELECT coalesce(json_agg(json_build_array(f.id, f.original_name) ORDER BY f.uploaded_at, f.id), '[]')
                    FROM {LedgerAttachment._meta.db_table} f WHERE f.entry_id = e.id))
               ORDER BY e.kind, e.occurred_on, e.id), '[]')::text
         FROM {LedgerEntry._meta.db_table} e
        WHERE e.workstation_id = %s AND e.occurred_on BETWEEN %s AND %s)""")
    params = (evaluation.pk, evaluation.workstation_id, date(year, 1, 1), date(year, 12, 31))
    return Read(columns, params, _evaluation_files)


def _evaluation_files(texts) -> dict[str, list[dict]]:
    from django.utils.text import Truncator

    from qinshui_station.notifications import urls

    attachment_rows, entry_rows = (json.loads(text) for text in texts)
    ids = [row[0] for row in attachment_rows]
    files, removes = urls("reviews:attachment_file", ids), urls("reviews:attachment_remove", ids)
    attachments = [{"name": name, "url": files[pk], "remove_url": removes[pk], "note": note,
                    "target": Truncator(item_text).chars(24) if item_text is not None else rule_label}
                   for pk, name, item_text, rule_label, note in attachment_rows]
    links = urls("reviews:ledger_file", [f[0] for row in entry_rows for f in row[6]])
    labels = dict(LedgerKind.choices)
    groups: list[dict] = []
    for kind, occurred_on, title, person_name, occupation, result, entry_files in entry_rows:
        if not groups or groups[-1]["kind"] != kind:
            groups.append({"kind": kind, "label": labels.get(kind, kind), "entries": []})
        text = f"{person_name} · {occupation} · {result}" if kind == LedgerKind.TRAINED else title
        groups[-1]["entries"].append({"date": occurred_on, "text": text,
                                      "files": [(links[pk], name) for pk, name in entry_files]})
    return {"attachments": attachments, "ledger": groups}


def evaluation_experts(evaluation: Evaluation, *, with_options: bool) -> tuple[list[tuple[Assignment, str, str]], list]:
    """HR's panel of an evaluation in one query (two JSON arrays): its assignments in their order, each as
    (assignment with the evaluation loaded already, expert's name, organization's name); and, ``with_options``,
    the (value, label) pairs of AssignForm's select, the experts it offers (active, not of the station's unit,
    not assigned already) by name, labelled as the form labels them (tests/reviews: the same as the form's)."""
    return one(evaluation_experts_read(evaluation, with_options=with_options))


def evaluation_experts_read(evaluation: Evaluation, *, with_options: bool) -> Read:
    """``evaluation_experts`` as a part of a page's one read (``reviews.reads.together``)."""
    from qinshui_station.models import Organization, User

    users, organizations = User._meta.db_table, Organization._meta.db_table
    options_sql = f"""(SELECT coalesce(json_agg(json_build_array(u.id, u.full_name, o.name) ORDER BY u.full_name), '[]')::text
         FROM {users} u JOIN {organizations} o ON o.id = u.organization_id
        WHERE u.role = '{Role.EXPERT.value}' AND u.is_active AND u.organization_id <> %s
          AND NOT EXISTS (SELECT 1 FROM {Assignment._meta.db_table} x WHERE x.expert_id = u.id AND x.evaluation_id = %s))"""
    assigned_sql = f"""(SELECT coalesce(json_agg(json_build_array(a.id, a.state, a.total, u.full_name, o.name)
                                ORDER BY a.assigned_at, a.id), '[]')::text
         FROM {Assignment._meta.db_table} a JOIN {users} u ON u.id = a.expert_id
         JOIN {organizations} o ON o.id = u.organization_id
        WHERE a.evaluation_id = %s)"""
    # the constants (the role, a state) are written in: PostgreSQL then plans the kept statement once for them
    # (with 'expert' as a parameter it could not tell 60 experts from an average role's 1,400 users, and
    # re-planned every call)
    params = (evaluation.pk,) + ((evaluation.workstation.unit_id, evaluation.pk) if with_options else ())

    def parse(texts):
        assigned_text, options_text = texts
        assigned = []
        for pk, state, total, name, organization in json.loads(assigned_text, parse_float=Decimal):
            assignment = Assignment(pk=pk, state=state, total=total, evaluation=evaluation)
            assigned.append((assignment, name, organization))
        options = ([(pk, bracketed(name, organization)) for pk, name, organization in json.loads(options_text)]
                   if with_options else [])
        return assigned, options

    return Read((assigned_sql, options_sql if with_options else "NULL"), params, parse)


def ledger_progress(workstation: Workstation, year: int, today: date | None = None) -> list[dict]:
    """Progress against 第七条's yearly outputs, two queries. From October a shortfall is a warning."""
    today = today or timezone.localdate()
    counts = dict(LedgerEntry.objects.filter(workstation=workstation, occurred_on__year=year)
                  .values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    targets = dict(LedgerTarget.objects.values_list("kind", "minimum"))
    late = year < today.year or (year == today.year and today.month >= 10)
    rows = []
    for kind, label in LedgerKind.choices:
        minimum = targets.get(kind)
        if minimum is None:
            continue
        done = counts.get(kind, 0)
        rows.append({"kind": kind, "label": label, "done": done, "minimum": minimum, "met": done >= minimum,
                     "warn": late and done < minimum, "percent": min(100, done * 100 // minimum)})
    return rows


def scores_visible_to(user, assignment: Assignment) -> list[Assignment]:
    """Other experts' submitted sheets (with the expert; the scoring form prints their name and three sums): only
    once this expert has submitted their own; before, no query is built (an empty queryset still compiles one)."""
    if assignment.state != AssignmentState.SUBMITTED:
        return []
    return list(Assignment.objects.filter(evaluation_id=assignment.evaluation_id, state=AssignmentState.SUBMITTED)
                .exclude(pk=assignment.pk).select_related("expert"))


def assessed_means(evaluation) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """(item id → mean points, bonus rule id → mean accepted count) over the experts who submitted, unrounded.
    Submitting needs every item and rule (services.submit_expert_scores), so each mean is over the same experts."""
    submitted = {"assignment__evaluation": evaluation, "assignment__state": AssignmentState.SUBMITTED}
    items = ExpertScore.objects.filter(**submitted).values("item_id").annotate(avg=Avg("points"))
    rules = AcceptedCount.objects.filter(**submitted).values("rule_id").annotate(avg=Avg("count"))
    return ({row["item_id"]: row["avg"] for row in items}, {row["rule_id"]: Decimal(row["avg"]) for row in rules})


@dataclass
class SheetValues:
    """What a page shows beside the rubric, item id / rule id → value: the unit's self-scores and claimed counts,
    the experts' means (rounded for display), one expert's points and accepted counts."""

    self_scores: dict[int, Decimal]
    claimed: dict[int, int]
    assessed: dict[int, Decimal] | None
    mine: dict[int, Decimal]
    accepted: dict[int, int]


def sheet_values(evaluation, *, with_assessed: bool = False, assignment=None) -> SheetValues:
    """The values of :class:`SheetValues` the page asks for, in one query (UNION ALL, the first column says
    which). ``with_assessed``: each item's mean over the experts who submitted, rounded half up to 0.01 (SPEC.md);
    ``assignment``: that expert's own sheet."""
    return one(sheet_values_read(evaluation, with_assessed=with_assessed, assignment=assignment))


def sheet_values_read(evaluation, *, with_assessed: bool = False, assignment=None) -> Read:
    """``sheet_values`` as a part of a page's one read (``reviews.reads.together``): its rows as one JSON array of
    [which, id, value] (numbers as PostgreSQL writes them, read back as Decimals and ints)."""
    from reviews.models import ClaimedCount, SelfScore

    parts = [f"SELECT 0, item_id, points FROM {SelfScore._meta.db_table} WHERE evaluation_id = %s",
             f"SELECT 1, rule_id, count FROM {ClaimedCount._meta.db_table} WHERE evaluation_id = %s"]
    params: list = [evaluation.pk, evaluation.pk]
    if with_assessed:
        parts.append(f"SELECT 2, s.item_id, AVG(s.points) FROM {ExpertScore._meta.db_table} s "
                     f"JOIN {Assignment._meta.db_table} a ON a.id = s.assignment_id "
                     f"WHERE a.evaluation_id = %s AND a.state = '{AssignmentState.SUBMITTED.value}' "
                     f"GROUP BY s.item_id")
        params += [evaluation.pk]
    if assignment is not None:
        parts += [f"SELECT 3, item_id, points FROM {ExpertScore._meta.db_table} WHERE assignment_id = %s",
                  f"SELECT 4, rule_id, count FROM {AcceptedCount._meta.db_table} WHERE assignment_id = %s"]
        params += [assignment.pk, assignment.pk]
    column = (f"(SELECT coalesce(json_agg(json_build_array(v.kind, v.pk, v.value)), '[]')::text "
              f"FROM ({' UNION ALL '.join(parts)}) AS v(kind, pk, value))")

    def parse(texts) -> SheetValues:
        found: tuple[dict, ...] = ({}, {}, {}, {}, {})
        for kind, pk, value in json.loads(texts[0], parse_float=Decimal):
            found[kind][pk] = int(value) if kind in (1, 4) else (round_half_up(value) if kind == 2 else value)
        return SheetValues(self_scores=found[0], claimed=found[1], assessed=found[2] if with_assessed else None,
                           mine=found[3], accepted=found[4])

    return Read((column,), tuple(params), parse)


def grade_counts(round_: EvaluationRound) -> list[tuple[str, str, int]]:
    """(grade, label, how many stations) for every grade of a round, in the grades' order (one query)."""
    counts = dict(Evaluation.objects.filter(round=round_, state=EvaluationState.GRADED)
                  .values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in Grade.choices]


def return_reason(evaluation) -> str:
    """The reason HR gave when it returned the form, while it stands returned: the unit reads it on the form's
    pages (the audit trail keeps it, the latest return's)."""
    if evaluation.state != EvaluationState.RETURNED:
        return ""
    return (AuditEntry.objects.filter(object_type=Evaluation._meta.label_lower, object_id=str(evaluation.pk),
                                      to_state=EvaluationState.RETURNED)
            .order_by("-pk").values_list("reason", flat=True).first() or "")
