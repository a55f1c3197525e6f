"""Factories and builders for the annual evaluation. The 2023 rubric is (re)loaded idempotently, so these
work after a transactional test has flushed the data migration's rows."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from funding import services as funding_services
from qinshui_station.models.workstations import construction_end
from reviews import services
from reviews.models import Evaluation, EvaluationRound
from reviews.rubric_data import ensure_rubric_2023
from reviews.sheets import Rubric
from tests import factories as core

_years = itertools.count(2031)


def rubric_2023() -> Rubric:
    return Rubric.load(ensure_rubric_2023())


def final_year_station(year: int, **kwargs):
    """A station whose construction period ends in ``year``: its evaluation that year is the final acceptance."""
    recognized = date(year - 2, 12, 10)
    return core.WorkstationFactory(recognized_on=recognized, construction_ends_on=construction_end(recognized),
                                   batch_year=year - 2, **kwargs)


def first_year_station(year: int, **kwargs):
    """A station recognized the year before ``year``: its evaluation that year is not the final one."""
    recognized = date(year - 1, 6, 1)
    return core.WorkstationFactory(recognized_on=recognized, construction_ends_on=construction_end(recognized),
                                   batch_year=year - 1, **kwargs)


def open_round(hr, year: int | None = None, **kwargs) -> EvaluationRound:
    """A round whose filing window contains today."""
    ensure_rubric_2023()
    today = timezone.localdate()
    return services.open_round(actor=hr, year=year or next(_years), opens_on=kwargs.pop("opens_on", today - timedelta(days=5)),
                               closes_on=kwargs.pop("closes_on", today + timedelta(days=25)), **kwargs)


def grant(station, hr, amount: Decimal = Decimal("100000.00")):
    return funding_services.create_grant(workstation=station, amount=amount, actor=hr)


def unit_user_of(station):
    return core.UnitUserFactory(organization=station.unit)


def judged_points(rubric: Rubric, fraction: Decimal) -> dict[int, Decimal]:
    """Every judged item at ``fraction`` of its maximum, rounded down to a half point."""
    out = {}
    for item in rubric.judged_items:
        value = item.max_points * fraction
        out[item.pk] = (value * 2).to_integral_value(rounding="ROUND_FLOOR") / 2
    return out


def counts_by_code(rubric: Rubric, **by_code: int) -> dict[int, int]:
    """Counts for every rule (0 unless given), keyed by rule id."""
    return {rule.pk: by_code.get(rule.code, 0) for rule in rubric.rules}


def file_evaluation(evaluation: Evaluation, unit_user, *, judged: dict[int, Decimal] | None = None,
                    counts: dict[int, int] | None = None, submit: bool = True) -> Evaluation:
    rubric = Rubric.load(evaluation.round.rubric_id)
    services.save_evaluation_form(
        actor=unit_user, evaluation_id=evaluation.pk, contact_person="王芳", contact_title="技术科科长",
        contact_phone="13835600001", work_summary="全年开展技能培训12期，培养骨干6名。",
        self_points=judged if judged is not None else judged_points(rubric, Decimal("0.8")),
        claimed=counts if counts is not None else counts_by_code(rubric),
    )
    if submit:
        services.evaluation_transition(evaluation_id=evaluation.pk, actor=unit_user, to="submitted")
    evaluation.refresh_from_db()
    return evaluation


def score(evaluation: Evaluation, expert, hr, *, judged: dict[int, Decimal], counts: dict[int, int],
          submit: bool = True):
    assignment = services.assign_expert(actor=hr, evaluation_id=evaluation.pk, expert_id=expert.pk)
    services.save_expert_scores(actor=expert, assignment_id=assignment.pk, points=judged, counts=counts)
    if submit:
        services.submit_expert_scores(actor=expert, assignment_id=assignment.pk)
    assignment.refresh_from_db()
    return assignment


def sheet(rubric: Rubric, *, system="0", support="0", mentoring="0", exchange="0", inventions=0, utility=0,
          awards=(0, 0, 0, 0), promoted=0, bonus=(0, 0, 0)) -> tuple[dict[int, Decimal], dict[int, int]]:
    """A score sheet by category: each judged category's points spread greedily over its items (multiples
    of 0.5), the counts for the counted items and the bonus."""
    wanted = {"system": Decimal(system), "support": Decimal(support), "mentoring": Decimal(mentoring),
              "exchange": Decimal(exchange)}
    categories = {c.pk: c.code for c in rubric.categories}
    judged = {}
    for item in rubric.judged_items:
        code = categories[item.category_id]
        take = min(item.max_points, wanted[code])
        judged[item.pk] = take
        wanted[code] -= take
    if any(wanted.values()):
        raise ValueError(f"more points than the category holds: {wanted}")
    counts = counts_by_code(
        rubric, invention_patents=inventions, utility_patents=utility, awards_county=awards[0], awards_city=awards[1],
        awards_province=awards[2], awards_national=awards[3], promoted_technologies=promoted,
        city_presentations=bonus[0], county_commendations=bonus[1], city_commendations=bonus[2])
    return judged, counts


def evaluation_in_round(round_: EvaluationRound, *, final: bool = False, **station_kwargs) -> Evaluation:
    """A station added to an already open round, as open_round would have listed it."""
    station = (final_year_station if final else first_year_station)(round_.year, **station_kwargs)
    return Evaluation.objects.create(round=round_, workstation=station, is_final_acceptance=final)


def scored_evaluation(round_: EvaluationRound, hr, experts, *, final: bool = False, self_sheet=None, **sheet_kwargs):
    """A station filed by its unit and scored by ``experts`` with the sheet ``sheet_kwargs`` (see ``sheet``)."""
    rubric = Rubric.load(round_.rubric_id)
    evaluation = evaluation_in_round(round_, final=final)
    judged, counts = sheet(rubric, **sheet_kwargs)
    self_judged, self_counts = sheet(rubric, **self_sheet) if self_sheet is not None else (judged, counts)
    file_evaluation(evaluation, unit_user_of(evaluation.workstation), judged=self_judged, counts=self_counts)
    for expert in experts:
        score(evaluation, expert, hr, judged=judged, counts=counts)
    evaluation.refresh_from_db()
    return evaluation


FULL_JUDGED = {"system": "15", "support": "15", "mentoring": "25", "exchange": "15"}  # 70
