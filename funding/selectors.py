"""Reads of the ledger, scoped to the person asking. Views reach objects only through these. The ledger
and the dashboards use a constant number of queries whatever the number of stations: per-station figures
are correlated subqueries on the page's rows, totals are one grouped query per table."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import JSONArray

from funding import sums
from funding.models import (
    Expenditure,
    ExpenditureCategory,
    ExpenditureDocument,
    Grant,
    LedgerYear,
    Recovery,
    Tranche,
)
from funding.workflow import TrancheKind
from qinshui_station.lookups import AnyOf
from qinshui_station.models import organizations
from qinshui_station.models.organizations import mask_account
from qinshui_station.prepared import Aggregate, Maybe, Pages, Person, Rows
from qinshui_station.roles import STAFF_ROLES, Role
from qinshui_station.selectors import workstations_for

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
LEDGER_ROLES = (Role.HR, Role.FINANCE)


# --- Scoped querysets ---------------------------------------------------------------------------------

def _station_ids(user):
    return workstations_for(user).values("pk")


def grants_for(user) -> QuerySet[Grant]:
    if not user.is_authenticated:
        return Grant.objects.none()
    return Grant.objects.select_related("workstation__unit__department").filter(workstation__in=_station_ids(user))


def station_and_grant_for(user, workstation_pk: int):
    """A station and its grant as ``user`` may see them (the statement page and its PDF); a 404 otherwise. One
    query, the station and its unit with it (not the unit's department: neither page names it)."""
    grant = _STATION_GRANT.get_or_404(user=user, station=workstation_pk)
    return grant.workstation, grant


_STATION_GRANT = Rows(lambda *, user, station: grants_for(user).select_related(None).select_related(
    "workstation__unit").filter(workstation_id=station)[:1], user=Person, station=int)  # compiled once a role


def tranches_for(user) -> QuerySet[Tranche]:
    if not user.is_authenticated:
        return Tranche.objects.none()
    return (Tranche.objects.select_related("grant__workstation__unit", "approved_by", "disbursed_by")
            .filter(grant__workstation__in=_station_ids(user)))


def expenditures_for(user) -> QuerySet[Expenditure]:
    if not user.is_authenticated:
        return Expenditure.objects.none()
    return (Expenditure.objects.select_related("grant__workstation__unit", "category", "recorded_by")
            .filter(grant__workstation__in=_station_ids(user)))


def statement_expenditures(grant: Grant) -> list[Expenditure]:
    """The statement's spending rows of a grant (found through ``station_and_grant_for``, as ``statement_for``'s),
    newest first, with their category and, as ``document_list``, their documents' [id, name] pairs in upload order:
    one query (the documents were a second, prefetched; the person's scope is the grant's, not compiled again)."""
    return _STATEMENT_EXPENDITURES(grant=grant.pk)


_STATEMENT_EXPENDITURES = Rows(lambda *, grant: Expenditure.objects.filter(grant_id=grant).select_related("category")
                               .annotate(document_list=Subquery(
                                   ExpenditureDocument.objects.filter(expenditure=OuterRef("pk")).order_by()
                                   .values("expenditure").annotate(pairs=JSONBAgg(JSONArray("pk", "original_name"),
                                                                                  order_by="pk")).values("pairs"),
                                   output_field=JSONField())).order_by("-spent_on", "-pk"), grant=int)


def documents_for(user) -> QuerySet[ExpenditureDocument]:
    return ExpenditureDocument.objects.filter(expenditure__in=expenditures_for(user).values("pk"))


def recoveries_for(user) -> QuerySet[Recovery]:
    if not user.is_authenticated:
        return Recovery.objects.none()
    return (Recovery.objects.select_related("grant__workstation__unit", "expenditure__category")
            .filter(grant__workstation__in=_station_ids(user)))


def categories() -> QuerySet[ExpenditureCategory]:
    return ExpenditureCategory.objects.filter(active=True).order_by("-allowed", "order", "pk")


# --- Who sees a bank account in full ------------------------------------------------------------------

def sees_full_account(user, workstation) -> bool:
    """Finance staff and the unit itself (the core's one rule, qinshui_station.models.organizations)."""
    return organizations.sees_full_account(user, workstation.unit_id)


def shown_account(user, workstation, number: str) -> str:
    return unit_account_shown(user, workstation.unit_id, number)


def unit_account_shown(user, unit_id: int, number: str) -> str:
    return number if organizations.sees_full_account(user, unit_id) else mask_account(number)


# --- One station's statement --------------------------------------------------------------------------

@dataclass
class CategoryLine:
    category: ExpenditureCategory
    amount: Decimal
    share: Decimal  # of the spending, 0–100, for the chart


@dataclass
class Statement:
    grant: Grant
    tranches: list
    granted: Decimal
    disbursed: Decimal
    open: Decimal
    cancelled: Decimal
    spent: Decimal
    balance: Decimal
    recovery_due: Decimal
    recovered: Decimal
    by_category: list = field(default_factory=list)

    @property
    def recovery_outstanding(self) -> Decimal:
        return self.recovery_due - self.recovered


# the statement's reads (its page, its PDF, the station page's panel): compiled once
_STATEMENT_TRANCHES = Rows(lambda *, grant: Tranche.objects.filter(grant_id=grant).order_by("kind"), grant=int)
_STATEMENT_CATEGORIES = Rows(lambda *, grant: categories().annotate(spent=Subquery(
    Expenditure.objects.filter(grant_id=grant, category=OuterRef("pk")).order_by().values("category")
    .annotate(s=Sum("amount")).values("s"), output_field=MONEY)), grant=int)


def statement_for(grant: Grant) -> Statement:
    """Granted, disbursed, spent by category, balance and recoveries of one grant: two queries (its tranches; the
    categories with the grant's spending in each). The figures are the grant's kept sums (funding/sums.py)."""
    tranches = _STATEMENT_TRANCHES(grant=grant.pk)  # the statement, its PDF and the panel name no approver
    spent = grant.spent
    lines = []
    for category in _STATEMENT_CATEGORIES(grant=grant.pk):
        if not category.allowed and category.spent is None:
            continue
        amount = category.spent or ZERO
        share = (amount * 100 / spent).quantize(Decimal("0.1")) if spent else Decimal("0.0")
        lines.append(CategoryLine(category, amount, share))
    return Statement(
        grant=grant, tranches=tranches, granted=grant.amount, disbursed=grant.disbursed, open=grant.pending,
        cancelled=grant.cancelled, spent=spent, balance=grant.disbursed - spent, recovery_due=grant.recovery_due,
        recovered=grant.recovered, by_category=lines,
    )


# --- The county ledger --------------------------------------------------------------------------------

def _tranche_state(kind: str):
    return Subquery(Tranche.objects.filter(grant=OuterRef("pk"), kind=kind).values("state")[:1])


def ledger_grants(user, *, batch: int | None = None, state: str = "", department: int | None = None
                  ) -> QuerySet[Grant]:
    """Every grant the ledger shows, one row per station, with its sums (kept on the row, funding/sums.py) and
    the states of its two tranches."""
    if not user.is_authenticated or user.role not in LEDGER_ROLES:
        return Grant.objects.none()
    qs = _filtered_grants(user, batch=batch, state=state, department=department)
    return qs.select_related("workstation__unit__department").annotate(
        first_state=_tranche_state(TrancheKind.FIRST),
        second_state=_tranche_state(TrancheKind.SECOND),
    ).order_by("-workstation__batch_year", "workstation__plaque_number", "pk")


LEDGER_ROW = ("pk", "amount", "disbursed", "spent", "recovery_due", "second_not_due_since", "workstation_id",
              "workstation__batch_year", "workstation__plaque_number", "workstation__name", "workstation__unit_id",
              "workstation__unit__name", "workstation__unit__bank_account_number", "workstation__unit__department__name")


def ledger_rows(user, ids) -> list[dict]:
    """The ledger's rows for a page of grant ids (``ledger_page_ids``), in that order: one query of plain values
    (the fields the page prints, no model built for the grant, its station, unit and department), the two
    tranches' states joined by kind (one tranche of a kind per grant, ``tranche_one_per_kind``): building and
    compiling the two correlated subqueries of ``ledger_grants`` cost 1 ms of the page's CPU, the joins 0.4."""
    if not user.is_authenticated or user.role not in LEDGER_ROLES:
        return []
    if not ids:
        return []
    rows = {row["pk"]: row for row in _LEDGER_ROWS(ids=ids)}
    return [rows[pk] for pk in ids if pk in rows]


_IDS = ArrayField(BigIntegerField())
_LEDGER_ROWS = Rows(lambda *, ids: Grant.objects.filter(AnyOf(F("pk"), Value(ids, output_field=_IDS))).annotate(**{
    f"{kind}_tranche": FilteredRelation("tranches", condition=Q(tranches__kind=kind))
    for kind in (TrancheKind.FIRST, TrancheKind.SECOND)}).order_by().values(
    *LEDGER_ROW, first_state=F("first_tranche__state"), second_state=F("second_tranche__state")), ids=list)


def ledger_page_ids(user, *, batch: int | None = None, state: str = "", department: int | None = None) -> Pages:
    """The ledger's order as bare grant ids: paginate this, then annotate only the page's rows
    (``ledger_rows``) instead of sorting 20,000 annotated rows (docs/performance.md). Its SQL is kept per role
    and combination of filters (``qinshui_station.prepared``)."""
    if not user.is_authenticated or user.role not in LEDGER_ROLES:
        return []
    return _LEDGER_IDS.pages(user=user, batch=batch, state=state, department=department)


_LEDGER_IDS = Rows(lambda *, user, batch, state, department: (
    _filtered_grants(user, batch=batch, state=state, department=department)
    .order_by("-workstation__batch_year", "workstation__plaque_number", "pk").values_list("pk", flat=True)),
    user=Person, batch=Maybe(int), state=Maybe(str), department=Maybe(int))


def _filtered_grants(user, *, batch, state, department) -> QuerySet[Grant]:
    # the county's offices see every station (qinshui_station.selectors.workstations_for): no semi-join
    qs = Grant.objects.all() if user.role in STAFF_ROLES else Grant.objects.filter(workstation__in=_station_ids(user))
    if batch:
        qs = qs.filter(workstation__batch_year=batch)
    if department:
        qs = qs.filter(workstation__unit__department_id=department)
    if state:
        qs = qs.filter(Exists(Tranche.objects.filter(grant=OuterRef("pk"), state=state)))
    return qs


@dataclass
class LedgerTotals:
    stations: int = 0
    granted: Decimal = ZERO
    disbursed: Decimal = ZERO
    pending: Decimal = ZERO
    cancelled: Decimal = ZERO
    spent: Decimal = ZERO
    questioned: Decimal = ZERO
    recovery_due: Decimal = ZERO
    recovered: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.disbursed - self.spent


def ledger_totals(user, *, batch: int | None = None, state: str = "", department: int | None = None,
                  years: list[LedgerYear] | None = None) -> LedgerTotals:
    """The totals of the filtered ledger: from the batch years' totals (a few rows; ``years``, when the caller
    has read them already: ``ledger_years``) when only a batch is chosen, else from the filtered grants' own sums.
    Both are kept by the services (funding/sums.py)."""
    if not user.is_authenticated or user.role not in LEDGER_ROLES:
        return LedgerTotals()
    columns = ("granted", *sums.SUM_FIELDS)
    if user.role in STAFF_ROLES and not state and not department and years is not None:
        chosen = [year for year in years if not batch or year.batch_year == batch]
        return LedgerTotals(stations=sum(year.stations for year in chosen),
                            **{c: sum((getattr(year, c) for year in chosen), ZERO) for c in columns})
    if user.role in STAFF_ROLES and not state and not department:
        years = LedgerYear.objects.filter(batch_year=batch) if batch else LedgerYear.objects.all()
        figures = years.order_by().aggregate(stations=Sum("stations"), **{c: Sum(c) for c in columns})
    else:
        grants = _filtered_grants(user, batch=batch, state=state, department=department).order_by()
        figures = grants.aggregate(stations=Count("pk"), granted=Sum("amount"),
                                   **{c: Sum(c) for c in sums.SUM_FIELDS})
    return LedgerTotals(stations=figures["stations"] or 0,
                        **{c: figures[c] if figures[c] is not None else ZERO for c in columns})


def ledger_tranches(user, *, batch: int | None = None, state: str = "", department: int | None = None
                    ) -> QuerySet[Tranche]:
    """The tranches of the filtered ledger (the export's second sheet)."""
    grants = _filtered_grants(user, batch=batch, state=state, department=department) \
        if user.is_authenticated and user.role in LEDGER_ROLES else Grant.objects.none()
    qs = Tranche.objects.filter(grant__in=grants.values("pk"))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("grant__workstation__unit").order_by(
        "-grant__workstation__batch_year", "grant__workstation__plaque_number", "grant_id", "kind")


def batch_years(user, years: list[LedgerYear] | None = None) -> list[int]:
    """The batch years that have grants, newest first (the ledger's filter; the ledger is the county's
    offices', who see every station); from ``years`` (``ledger_years``) when given."""
    if not user.is_authenticated or user.role not in LEDGER_ROLES:
        return []
    if years is not None:
        return [year.batch_year for year in years if year.stations > 0]
    return list(LedgerYear.objects.filter(stations__gt=0).order_by("-batch_year").values_list("batch_year", flat=True))


def ledger_years(user) -> list[LedgerYear]:
    """Every batch year's kept totals, newest first (a row a year): the ledger page's filter and totals read
    them once."""
    if not user.is_authenticated or user.role not in LEDGER_ROLES:
        return []
    return _LEDGER_YEARS()


_LEDGER_YEARS = Rows(lambda: LedgerYear.objects.order_by("-batch_year"))


# --- Dashboards ---------------------------------------------------------------------------------------

# summed on a unit's home on every visit: compiled once (qinshui_station.prepared)
_UNIT_BALANCE = Aggregate(lambda *, user: grants_for(user).order_by(),
                          {"n": Count("pk"), "disbursed": Sum("disbursed"), "spent": Sum("spent")}, user=Person)


def unit_balance(user) -> tuple[int, Decimal, Decimal]:
    """(stations with a grant, disbursed, spent) for a unit's dashboard: one query over its grants' sums."""
    figures = _UNIT_BALANCE(user=user)
    return figures["n"], figures["disbursed"] or ZERO, figures["spent"] or ZERO
