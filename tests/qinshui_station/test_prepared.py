"""qinshui_station.prepared: a read's SQL compiled once a process, its rows read fresh on every call and turned into
what the queryset itself gives."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count as CountOf
from django.db.models import Q, Sum
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qinshui_station.models import Notification, Organization, User, Workstation
from qinshui_station.prepared import Aggregate, RowCount, Rows
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def compilations(monkeypatch):
    """How many times Django's compiler writes SQL (its ``as_sql``), counted, not replaced."""
    calls = []
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return calls


def test_models_with_their_select_related_objects_as_the_queryset_gives_them(compilations):
    people = Rows(lambda *, org: User.objects.select_related("organization").filter(organization_id=org)
                  .order_by("username"), org=int)
    unit = factories.UnitFactory()
    first, second = factories.UnitUserFactory(organization=unit, username="b"), \
        factories.UnitUserFactory(organization=unit, username="a")
    factories.UnitUserFactory()  # another unit's

    rows = people(org=unit.pk)
    with CaptureQueriesContext(connection) as queries:
        names = [(u.pk, u.username, u.role, u.organization.name) for u in rows]
    assert names == [(second.pk, "a", "unit", unit.name), (first.pk, "b", "unit", unit.name)]
    assert len(queries) == 0  # the organization came with the person
    assert [type(u) for u in rows] == [User, User] and rows[0]._state.db == "default" and not rows[0]._state.adding

    compilations.clear()
    other = factories.UnitUserFactory()
    assert [u.pk for u in people(org=other.organization_id)] == [other.pk]
    assert compilations == []  # the second call ran the kept SQL


def test_values_values_list_and_flat_rows():
    station = factories.WorkstationFactory(name="甲站")
    factories.WorkstationFactory(name="乙站")
    by_dict = Rows(lambda *, pk: Workstation.objects.filter(pk=pk).values("name", "unit_id"), pk=int)
    by_tuple = Rows(lambda *, pk: Workstation.objects.filter(pk=pk).values_list("name", "unit_id"), pk=int)
    flat = Rows(lambda *, unit: Workstation.objects.filter(unit_id=unit).values_list("name", flat=True), unit=int)
    assert by_dict(pk=station.pk) == [{"name": "甲站", "unit_id": station.unit_id}]
    assert by_tuple(pk=station.pk) == [("甲站", station.unit_id)]
    assert flat(unit=station.unit_id) == ["甲站"]
    assert by_tuple(pk=station.pk + 999) == [] and by_tuple.first(pk=station.pk + 999) is None


def test_a_value_used_twice_and_a_datetime_value():
    read = Rows(lambda *, org, now: User.objects.filter(Q(organization_id=org) | Q(pk=org), date_joined__lt=now)
                .values_list("username", flat=True).order_by("username"), org=int, now=dt.datetime)
    unit = factories.UnitFactory()
    factories.UnitUserFactory(organization=unit, username="clerk")
    assert read(org=unit.pk, now=timezone.now() + dt.timedelta(minutes=1)) == ["clerk"]
    assert read(org=unit.pk, now=timezone.now() - dt.timedelta(days=1)) == []


def test_count_counts_what_the_slice_keeps():
    person = factories.HRUserFactory()
    Notification.objects.bulk_create([Notification(recipient=person, message=f"n{i}") for i in range(7)])
    Notification.objects.filter(message="n0").update(read_at=timezone.now())
    unread = RowCount(lambda *, user: Notification.objects.filter(recipient_id=user, read_at__isnull=True), user=int)
    up_to_five = RowCount(lambda *, user: Notification.objects.filter(recipient_id=user).order_by()[:5], user=int)
    assert (unread(user=person.pk), up_to_five(user=person.pk)) == (6, 5)
    assert unread(user=person.pk + 1) == 0


def test_aggregate_gives_what_queryset_aggregate_gives_empty_set_included(compilations):
    unit = factories.UnitFactory()
    factories.WorkstationFactory(unit=unit)
    factories.WorkstationFactory(unit=unit)
    figures = {"n": CountOf("pk"), "named": CountOf("pk", filter=Q(name__startswith="x")), "ids": Sum("id")}
    read = Aggregate(lambda *, unit: Workstation.objects.filter(unit_id=unit), figures, unit=int)
    expected = Workstation.objects.filter(unit_id=unit.pk).aggregate(**figures)
    assert read(unit=unit.pk) == expected and expected["n"] == 2
    compilations.clear()
    assert read(unit=unit.pk + 999) == {"n": 0, "named": 0, "ids": None}
    assert compilations == []


def test_decimal_values_and_sums(hr_user):
    from funding.models import Grant
    from tests.funding.factories import funded_station

    small, large = (funded_station(hr=hr_user, amount=Decimal(a))[1] for a in ("40000.00", "100000.00"))
    at_least = Rows(lambda *, amount: Grant.objects.filter(amount__gte=amount).values_list("pk", flat=True),
                    amount=Decimal)
    assert at_least(amount=Decimal("50000.00")) == [large.pk]
    total = Aggregate(lambda *, low: Grant.objects.filter(amount__gte=low), {"s": Sum("amount")}, low=Decimal)
    assert total(low=Decimal("0.00")) == {"s": Decimal("140000.00")} == Grant.objects.aggregate(s=Sum("amount"))
    assert small.amount == Decimal("40000.00")


def test_refusals_when_the_sql_cannot_take_the_value():
    factories.WorkstationFactory()
    by_year = Rows(lambda *, year: Workstation.objects.filter(recognized_on__year=year), year=int)
    with pytest.raises(ValueError, match="not a parameter"):
        by_year(year=2025)  # __year writes a range of two dates, not the year
    unused = Rows(lambda *, pk: Workstation.objects.all(), pk=int)
    with pytest.raises(ValueError, match="not a parameter"):
        unused(pk=1)
    needs_subquery = Aggregate(lambda *, unit: Workstation.objects.filter(unit_id=unit)[:3], {"n": CountOf("pk")},
                               unit=int)
    with pytest.raises(ValueError, match="subquery"):
        needs_subquery(unit=1)
    prefetching = Rows(lambda *, unit: Organization.objects.filter(pk=unit).prefetch_related("workstations"),
                       unit=int)
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching(unit=1)


def test_refusals_at_the_call():
    read = Rows(lambda *, pk, when: Workstation.objects.filter(pk=pk, recognized_on__lte=when), pk=int, when=dt.date)
    with pytest.raises(ValueError, match="None"):
        read(pk=None, when=dt.date(2025, 1, 1))
    with pytest.raises(TypeError, match="must be a date"):
        read(pk=1, when=timezone.now())
    with pytest.raises(TypeError, match="expected values"):
        read(pk=1)
    with pytest.raises(ValueError):
        read(pk="not a number", when=dt.date(2025, 1, 1))
    assert read(pk="1", when=dt.date(2025, 1, 1)) == []  # a key as text, as a session stores it


def test_each_call_reads_the_database_afresh():
    station = factories.WorkstationFactory(name="旧名")
    names = Rows(lambda *, pk: Workstation.objects.filter(pk=pk).values_list("name", flat=True), pk=int)
    assert names(pk=station.pk) == ["旧名"]
    Workstation.objects.filter(pk=station.pk).update(name="新名")
    assert names(pk=station.pk) == ["新名"]


def test_a_person_scoped_read_gives_what_the_selector_gives_for_each_role():
    from qinshui_station.prepared import Person
    from qinshui_station.selectors import workstations_for

    read = Rows(lambda *, user, pk: workstations_for(user).filter(pk=pk)[:1], user=Person, pk=int)
    station, elsewhere = factories.WorkstationFactory(), factories.WorkstationFactory()
    owner = factories.UnitUserFactory(organization=station.unit)
    sector = factories.DepartmentUserFactory(organization=station.unit.department)
    hr, expert = factories.HRUserFactory(), factories.ExpertFactory()
    for person in (owner, sector, hr, expert):
        for target in (station, elsewhere):
            expected = list(workstations_for(person).filter(pk=target.pk))
            assert read(user=person, pk=target.pk) == expected, (person.role, target.pk)
    assert read.first(user=owner, pk=station.pk).unit.name == station.unit.name  # select_related kept
    other_owner = factories.UnitUserFactory(organization=elsewhere.unit)
    assert read(user=other_owner, pk=elsewhere.pk) == [elsewhere]  # the same SQL, another unit's id
    with pytest.raises(Http404):
        read.get_or_404(user=other_owner, pk=station.pk)
    with pytest.raises(ValueError, match="signed-in"):
        read(user=AnonymousUser(), pk=station.pk)


def test_the_selectors_read_only_what_a_person_stand_in_carries():
    """A person's stand-in carries their role, id and organization: a selector that read anything else of the
    person (a name, a flag) would have the stand-in's value written into the kept SQL."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    # the whole chain: user.organization.department_id would read the stand-in organization's empty department
    used = {m for path in root.glob("*/selectors.py") for m in re.findall(r"\buser((?:\.\w+)+)", path.read_text())}
    assert used <= {".role", ".organization", ".organization_id", ".pk", ".id", ".is_authenticated"}, used
    assert ".role" in used and ".organization" in used  # the pattern finds what is there


def test_pages_read_each_slice_with_the_same_kept_sql(compilations):
    from django.core.paginator import Paginator

    unit = factories.UnitFactory()
    names = [f"站{i:02d}" for i in range(7)]
    for name in names:
        factories.WorkstationFactory(unit=unit, name=name)
    read = Rows(lambda *, unit: Workstation.objects.filter(unit_id=unit).order_by("name").values_list("name", flat=True),
                unit=int)
    pages = read.pages(unit=unit.pk)
    assert (pages[0:3], pages[3:6]) == (names[:3], names[3:6])  # the first page, then one further on
    compilations.clear()
    assert (pages[0:3], pages[6:9], pages[9:12], pages[2:2]) == (names[:3], names[6:], [], [])
    assert compilations == []
    # the page's size is written in, and the first page's lack of an OFFSET: PostgreSQL plans them once
    first, further = (read._plans[("default", ("", ()), (3, start == 0))].sql for start in (0, 3))
    assert first.endswith(" LIMIT 3") and further.endswith(" LIMIT 3 OFFSET %s")
    paginator = Paginator(pages, 3)
    paginator.count = 7
    assert list(paginator.page(3).object_list) == names[6:]
    counted = Paginator(read.pages(unit=unit.pk), 3)  # not given its count: it counts the same read
    assert (counted.count, counted.num_pages, list(counted.page(3).object_list)) == (7, 3, names[6:])
    with pytest.raises(TypeError):
        pages[1]
    sliced = Rows(lambda *, unit: Workstation.objects.filter(unit_id=unit)[:5], unit=int)
    with pytest.raises(ValueError, match="must not be sliced"):
        sliced.pages(unit=unit.pk)[0:2]


def test_optional_values_and_a_small_integer_column():
    """``batch_year`` is a small-integer column (Django passes its values wrapped, as psycopg's Int2): the call's
    value is wrapped alike. An absent optional value builds the queryset without its filter (a shape of its own)."""
    from qinshui_station.prepared import Maybe

    read = Rows(lambda *, year, unit: (Workstation.objects.filter(batch_year=year) if year else Workstation.objects
                                       .all()).filter(unit_id=unit).values_list("batch_year", flat=True)
                .order_by("batch_year"), year=Maybe(int), unit=int)
    unit = factories.UnitFactory()
    for year in (2024, 2025, 2025):
        factories.WorkstationFactory(unit=unit, batch_year=year)
    assert read(year=2025, unit=unit.pk) == [2025, 2025]
    assert read(year=None, unit=unit.pk) == [2024, 2025, 2025]
    assert read(year="", unit=unit.pk) == [2024, 2025, 2025]
    assert read(year=2023, unit=unit.pk) == []
    assert sorted(read._plans) == sorted([("default", ("", ()), None), ("default", ("", ("year",)), None)])


def test_a_count_drops_the_ordering_as_count_does():
    """Evaluations are ordered by their round's year and station's plaque (Meta.ordering): counting them must not
    join those tables (the round table's count did, 4 ms on the five-year dataset)."""
    from reviews.models import Evaluation

    counted = RowCount(lambda *, round: Evaluation.objects.filter(round_id=round), round=int)
    with CaptureQueriesContext(connection) as queries:
        assert counted(round=1) == 0
    assert "JOIN" not in queries[0]["sql"] and "ORDER BY" not in queries[0]["sql"]


def test_attach_puts_rows_where_prefetch_related_does():
    from qinshui_station.prepared import attach

    unit = factories.UnitFactory()
    stations = [factories.WorkstationFactory(unit=unit, name=n) for n in ("乙", "甲")]
    read = Rows(lambda *, unit: Workstation.objects.filter(unit_id=unit).order_by("name"), unit=int)
    attach(unit, "workstations", read(unit=unit.pk))
    with CaptureQueriesContext(connection) as queries:
        names = [s.name for s in unit.workstations.all()]
        owners = {s.unit is unit for s in unit.workstations.all()}
    assert (names, owners, len(queries)) == (["乙", "甲"], {True}, 0)
    assert {s.pk for s in unit.workstations.all()} == {s.pk for s in stations}


def test_constants_are_written_into_the_sql_and_only_the_calls_values_are_parameters():
    """A selector's constant (a state, a text with a percent sign, a list, a date) is written into the kept SQL as a
    literal, so PostgreSQL plans the prepared statement knowing it; the call's values stay parameters, and the
    rows are what the queryset gives."""
    unit = factories.UnitFactory(name="百分之50%的单位")
    kept = factories.WorkstationFactory(unit=unit, state="standing", recognized_on=dt.date(2024, 5, 1))
    factories.WorkstationFactory(unit=unit, state="revoked", recognized_on=dt.date(2024, 5, 1),
                                 revoked_on=dt.date(2025, 6, 1))
    factories.WorkstationFactory(unit=unit, state="standing", recognized_on=dt.date(2020, 1, 1))

    def build(*, unit):
        return (Workstation.objects.filter(unit_id=unit, unit__name="百分之50%的单位", state__in=["standing", "ended"],
                                           recognized_on__gte=dt.date(2023, 1, 1))
                .exclude(state="revoked").values_list("pk", flat=True))

    read = Rows(build, unit=int)
    with CaptureQueriesContext(connection) as queries:
        assert read(unit=unit.pk) == list(build(unit=unit.pk)) == [kept.pk]
    (plan,) = read._plans.values()
    assert len(plan.params) == 1 and plan.sql.count("%s") == 1  # the stand-in of the unit, replaced at each call
    assert "'百分之50%%的单位'" in plan.sql and "'revoked'" in plan.sql and "'2023-01-01'::date" in plan.sql
    assert "百分之50%的单位" in queries[0]["sql"]  # the log shows the statement as it ran, the value written in
    assert read(unit=unit.pk + 999) == []


def test_a_fixed_value_is_written_in_with_a_shape_of_its_own_for_each_value(compilations):
    """``Fixed``: a value with few values (a batch, a round) is a constant of its SQL, one kept SQL per value."""
    from qinshui_station.prepared import Fixed

    first, second = factories.UnitFactory(), factories.UnitFactory()
    a = factories.WorkstationFactory(unit=first)
    b = factories.WorkstationFactory(unit=second)
    read = Rows(lambda *, unit, name: Workstation.objects.filter(unit_id=unit).exclude(name=name)
                .values_list("pk", flat=True), unit=Fixed(int), name=str)
    assert (read(unit=first.pk, name="无"), read(unit=second.pk, name="无")) == ([a.pk], [b.pk])
    assert read(unit=str(first.pk), name=a.name) == []  # a key given as text (a URL's) is the same shape
    compilations.clear()
    assert read(unit=second.pk, name=b.name) == [] and compilations == []
    plans = {key[1]: plan for key, plan in read._plans.items()}
    assert sorted(plans) == sorted([("", (), (("unit", first.pk),)), ("", (), (("unit", second.pk),))])
    plan = plans[("", (), (("unit", first.pk),))]
    assert f"= {first.pk}" in plan.sql and len(plan.params) == 1  # the unit written in, the name a parameter


def test_kept_reads_run_as_statements_postgresql_keeps_prepared():
    """The point of binding on the server: PostgreSQL parses and plans the statement once a connection, then
    executes it (session 7 measured this "not adopted" while psycopg, left without a threshold, prepared nothing)."""
    read = Rows(lambda *, pk: Workstation.objects.filter(pk=pk).values_list("leader_name", "name"), pk=int)
    station = factories.WorkstationFactory(name="备考站")

    def executions() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements "
                           "WHERE statement LIKE %s", ['SELECT "qinshui_station_workstation"."leader_name"%'])
            return cursor.fetchone()[0]

    before = executions()
    for _ in range(7):
        assert read(pk=station.pk) == [(station.leader_name, "备考站")]
    assert executions() - before == 7
