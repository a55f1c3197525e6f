"""CONSTRUCTION_ENDED (#13): a station whose two-year construction period is over and that is still in
construction — neither accepted nor revoked — is announced once; reviews tells HR its 建设期满验收 is missing or
not finalized (and HR's home lists it), funding marks the second tranche not due. Every event × every state the
other apps can be in, and the worker's daily run."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funding import services as funding_services
from qinshui_station import services as core_services
from qinshui_station.models import AuditEntry, Workstation
from qinshui_station.registry import dashboard_for
from qinshui_station.workdays import SHANGHAI
from reviews import services as review_services
from tests import factories
from tests.reviews import factories as rf
from tests.worker import clean_jobs, drain  # noqa: F401  (clean_jobs: a fixture)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(db):
    return rf.rubric_2023()


def _ended(station) -> list[int]:
    """The daily run on the first day after ``station``'s period."""
    return core_services.end_construction_periods(today=station.construction_ends_on + timedelta(days=1))


def _entries(obj):
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .order_by("pk").values_list("action", "actor_label", "reason"))


def test_announced_once_the_day_after_the_period_and_never_again(hr_user):
    station = rf.first_year_station(2030)
    end = station.construction_ends_on
    assert core_services.end_construction_periods(today=end) == []  # the last day is still in the period
    assert _ended(station) == [station.pk]
    assert _ended(station) == []
    assert core_services.end_construction_periods(today=end + timedelta(days=40)) == []
    station.refresh_from_db()
    assert station.period_ended_announced_on == end + timedelta(days=1)
    assert _entries(station) == [("construction_ended", "系统（定时任务）", f"建设期已于{end.isoformat()}届满，尚未通过建设期满验收。")]


@pytest.mark.parametrize("state", ["accepted", "revoked"])
def test_a_station_accepted_or_revoked_is_not_announced(hr_user, state):
    station = rf.first_year_station(2030)
    if state == "revoked":
        core_services.revoke_workstation(workstation_id=station.pk, actor=hr_user, ground="deregistered",
                                         facts="单位已注销")
    else:
        rf.grant(station, hr_user)
        core_services.accept_workstations(actor=hr_user, workstation_ids=[station.pk], reason="验收合格")
    assert _ended(station) == []
    assert Workstation.objects.get(pk=station.pk).period_ended_announced_on is None


# --- reviews: HR told, and HR's home ---------------------------------------------------------------------

def test_hr_is_told_the_final_acceptance_was_never_held(hr_user):
    station = rf.first_year_station(2030)
    _ended(station)
    end = station.construction_ends_on.isoformat()
    assert [(n.message, n.url) for n in hr_user.notifications.all()] == [
        (f"{station.name}的建设期已于{end}届满，尚未进行建设期满验收（第九条），请组织验收。", station.get_absolute_url())]


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_hr_is_told_the_final_acceptance_is_not_finalized(rubric, hr_user, state):
    round_ = rf.open_round(hr_user)
    evaluation = rf.evaluation_in_round(round_, final=True)
    if state != "draft":
        rf.file_evaluation(evaluation, rf.unit_user_of(evaluation.workstation))
    if state == "returned":
        review_services.evaluation_transition(evaluation_id=evaluation.pk, actor=hr_user, to="returned",
                                              reason="请补充材料")
    station = evaluation.workstation
    _ended(station)
    end = station.construction_ends_on.isoformat()
    told = hr_user.notifications.filter(message__contains="建设期")
    assert [(n.message, n.url) for n in told] == [
        (f"{station.name}的建设期已于{end}届满，其建设期满验收（{round_.year}年度评估）尚未定级，请完成评分并定级。",
         evaluation.get_absolute_url())]
    evaluation.refresh_from_db()
    assert evaluation.state == state  # the evaluation itself goes on


def test_hrs_home_lists_the_stations_waiting_for_acceptance_until_accepted(hr_user):
    waiting, accepted_later = rf.first_year_station(2030), rf.first_year_station(2030)
    rf.first_year_station(2031)  # its period not over
    rf.grant(accepted_later, hr_user)
    _ended(waiting)
    items = {str(i.title): i for i in dashboard_for(hr_user)}
    assert (items["建设期满未验收的工作站"].count, items["建设期满未验收的工作站"].url) == (2, "/workstations/?state=construction")
    core_services.accept_workstations(actor=hr_user, workstation_ids=[accepted_later.pk], reason="验收合格")
    items = {str(i.title): i for i in dashboard_for(hr_user)}
    assert items["建设期满未验收的工作站"].count == 1
    for other in (factories.UnitUserFactory(), factories.FinanceUserFactory()):
        assert "建设期满未验收的工作站" not in {str(i.title) for i in dashboard_for(other)}


# --- funding: the second tranche not due --------------------------------------------------------------------

@pytest.mark.parametrize("first", ["scheduled", "approved", "disbursed", "cancelled"])
def test_the_second_tranche_is_marked_not_due_whatever_the_first(hr_user, finance_user, first):
    station = rf.first_year_station(2030)
    grant = rf.grant(station, hr_user)
    tranche = grant.tranches.get(kind="first")
    if first in ("approved", "disbursed"):
        funding_services.approve_tranche(tranche_id=tranche.pk, actor=hr_user)
    if first == "disbursed":
        funding_services.disburse_tranche(tranche_id=tranche.pk, actor=finance_user,
                                          disbursed_on=timezone.localdate(), voucher_number="记-1")
    if first == "cancelled":
        funding_services.cancel_tranche(tranche_id=tranche.pk, actor=hr_user, reason="单位申请暂缓")
    _ended(station)
    grant.refresh_from_db()
    tranche.refresh_from_db()
    end = station.construction_ends_on
    assert (grant.second_not_due_since, tranche.state) == (end + timedelta(days=1), first)
    assert list(grant.tranches.values_list("kind", flat=True)) == ["first"]
    assert _entries(grant)[-1] == ("second_tranche_not_due", "系统（定时任务）",
                                   f"建设期已于{end.isoformat()}届满，尚未通过建设期满验收。")


def test_a_station_without_a_grant_is_announced_all_the_same(hr_user):
    station = rf.first_year_station(2030)
    assert _ended(station) == [station.pk]


def test_the_ledger_and_the_statement_say_the_period_ended_without_acceptance(client, hr_user):
    station = rf.first_year_station(2030)
    rf.grant(station, hr_user)
    client.force_login(hr_user)
    assert "建设期满未验收，暂不拨付" not in client.get("/funding/").content.decode()
    _ended(station)
    ledger = client.get("/funding/").content.decode()
    assert "<td>建设期满未验收，暂不拨付</td>" in ledger
    statement = client.get(f"/funding/stations/{station.pk}/").content.decode()
    assert (f"第二批资金（60%）：建设期已于{station.construction_ends_on.isoformat()}届满，尚未通过建设期满验收，暂不拨付。"
            in statement)
    core_services.accept_workstations(actor=hr_user, workstation_ids=[station.pk], reason="验收合格")  # later
    assert "暂不拨付" not in client.get(f"/funding/stations/{station.pk}/").content.decode()


# --- the worker ------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_workers_daily_task_announces_each_ended_period_once(clean_jobs):  # noqa: F811
    from reminders.tasks import end_construction_periods

    hr = factories.HRUserFactory()
    today = timezone.now().astimezone(SHANGHAI).date()
    ended = rf.first_year_station(today.year - 2)  # its period ended on 31 May last year
    running = rf.first_year_station(today.year)
    for _run in range(2):
        end_construction_periods.defer(timestamp=0)
        drain(("reminders",))
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.period_ended_announced_on, running.period_ended_announced_on) == (today, None)
    assert [a for a, _actor, _reason in _entries(ended)] == ["construction_ended"]
    assert hr.notifications.count() == 1


@pytest.mark.parametrize("stations", [2, 6])
def test_the_announcement_takes_the_same_statements_for_2_or_6_stations(hr_user, stations,
                                                                       django_assert_num_queries):
    """Set-based whatever the number: the stations, their grants' marks, the audit entries and HR's notices
    (one ``notify_many``) take a fixed number of statements."""
    ended = [rf.first_year_station(2030) for _ in range(stations)]
    for station in ended:
        rf.grant(station, hr_user)
    with django_assert_num_queries(12):
        assert _ended(ended[0]) == [s.pk for s in ended]
