"""One station's row as canonical text, the same whether it comes from the portal's data (the export, and the
comparison a preview makes) or from a parsed row of an uploaded workbook: dates as YYYY-MM-DD, money with two
decimals, years as digits, choices by their Chinese label, blank as "". Two rows are the same when these agree."""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import translation

from funding.models import Tranche
from funding.workflow import TrancheKind, TrancheState
from qinshui_station.models import RevocationGround, Workstation
from qinshui_station.roles import UnitType
from reviews.models import Evaluation, ImportedResult
from reviews.workflow import EvaluationState, Grade


def text_of_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def text_of_money(value: Decimal | None) -> str:
    return f"{value:.2f}" if value is not None else ""


def labels(choices) -> dict[str, str]:
    """value → label, for a TextChoices class, in the active language (do not change the dict returned)."""
    return _labels(choices, translation.get_language())


@functools.lru_cache(maxsize=64)
def _labels(choices, language: str) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def stations_for_export() -> QuerySet[Workstation]:
    return (Workstation.objects.select_related("unit__department", "grant", "revocation", "import_record")
            .prefetch_related(Prefetch("grant__tranches", queryset=Tranche.objects.order_by("kind")),
                              Prefetch("imported_results", queryset=ImportedResult.objects.order_by("year")),
                              Prefetch("evaluations", to_attr="graded_evaluations",
                                       queryset=Evaluation.objects.filter(state=EvaluationState.GRADED)
                                       .select_related("round").order_by("round__year")))
            .order_by("batch_year", "plaque_number"))


def grades_of(station: Workstation) -> dict[int, tuple[str, str]]:
    """year → (grade, where from: "imported" or "portal")."""
    found = {r.year: (r.grade, "imported") for r in station.imported_results.all()}
    for evaluation in getattr(station, "graded_evaluations", None) or []:
        found[evaluation.round.year] = (evaluation.grade, "portal")
    return found


def station_values(station: Workstation) -> dict[str, str]:
    unit = station.unit
    grant = getattr(station, "grant", None)
    tranches = {t.kind: t for t in grant.tranches.all()} if grant else {}
    states, grades, grounds = labels(TrancheState), labels(Grade), labels(RevocationGround)
    row = {
        "credit_code": unit.credit_code or "", "unit_name": unit.name,
        "unit_type": labels(UnitType).get(unit.unit_type, ""),
        "department": unit.department.name if unit.department_id else "",
        "contact_person": unit.contact_person, "contact_phone": unit.contact_phone,
        "contact_email": unit.contact_email, "bank_account_name": unit.bank_account_name,
        "bank_name": unit.bank_name, "bank_account_number": unit.bank_account_number,
        "occupation": station.occupation, "leader_name": station.leader_name,
        "leader_skill_level": station.leader_skill_level, "document_number": station.recognition_document_number,
        "recognized_on": text_of_date(station.recognized_on),
        "construction_ends_on": text_of_date(station.construction_ends_on),
        "plaque_number": station.plaque_number, "amount": text_of_money(grant.amount if grant else None),
    }
    for kind, prefix in ((TrancheKind.FIRST, "first"), (TrancheKind.SECOND, "second")):
        tranche = tranches.get(kind)
        row[f"{prefix}_amount"] = text_of_money(tranche.amount if tranche else None)
        row[f"{prefix}_state"] = states[tranche.state] if tranche else ""
        disbursed = tranche is not None and tranche.state == TrancheState.DISBURSED
        row[f"{prefix}_paid_on"] = text_of_date(tranche.disbursed_on) if disbursed else ""
        row[f"{prefix}_voucher"] = tranche.voucher_number if disbursed else ""
    years = sorted(grades_of(station).items())
    for index in (1, 2):
        year, (grade, _source) = years[index - 1] if len(years) >= index else (None, ("", ""))
        row[f"grade{index}_year"] = str(year) if year else ""
        row[f"grade{index}"] = grades.get(grade, "")
    revocation = getattr(station, "revocation", None)
    row["revocation_ground"] = grounds[revocation.ground] if revocation else ""
    row["revoked_on"] = text_of_date(revocation.effective_on) if revocation else ""
    row["revocation_facts"] = revocation.facts if revocation else ""
    return row
