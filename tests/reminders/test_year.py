"""A year of the schedule (2026, the State Council's calendar as the chinese-calendar package has it): run for every
date in turn, each reminder reaches exactly the people its rule names, on the day its rule names, once; a second
walk over the same year sends nothing more."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from applications.models import Application, Batch, ExpertAssignment, Objection, Publicity
from applications.workflow import State
from funding import services as funding_services
from funding.models import Tranche
from funding.workflow import TrancheState
from qinshui_station import workdays
from qinshui_station.models import Delivery, Notification, User
from qinshui_station.models.workstations import construction_end
from reminders import schedule
from reminders.models import SentReminder
from reviews.models import Assignment, Evaluation, EvaluationRound, LedgerEntry
from reviews.rubric_data import ensure_rubric_2023
from reviews.workflow import EvaluationState
from tests import factories
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=workdays.SHANGHAI)


@pytest.fixture
def world():
    hr = factories.HRUserFactory(username="hr")
    factories.FinanceUserFactory(username="fin")
    dept = factories.DepartmentUserFactory(username="dept")
    unit_a = factories.UnitFactory(department=dept.organization)
    unit_b = factories.UnitFactory(department=dept.organization)
    ua = factories.UnitUserFactory(username="ua", organization=unit_a)
    ub = factories.UnitUserFactory(username="ub", organization=unit_b)
    e1 = factories.ExpertFactory(username="e1")
    e2 = factories.ExpertFactory(username="e2")
    factories.UnitUserFactory(username="gone", organization=unit_a, is_active=False)  # never reminded

    # The 2026 batch: filing 6-01 … 6-30. Unit A keeps a draft; unit B submitted on 6-02 and waits all year;
    # a third application (unit A) is with expert e1 since 7-01.
    batch = Batch.objects.create(year=2026, filing_opens_on=date(2026, 6, 1), filing_closes_on=date(2026, 6, 30),
                                 created_by=hr)
    ApplicationFactory(batch=batch, unit=unit_a, created_by=ua, occupation="钳工")
    waiting = ApplicationFactory(batch=batch, unit=unit_b, created_by=ub, occupation="焊工", state=State.SUBMITTED)
    Application.objects.filter(pk=waiting.pk).update(state_changed_at=at(date(2026, 6, 2)))
    reviewed = ApplicationFactory(batch=batch, unit=unit_a, created_by=ua, occupation="电工", state=State.EXPERT_REVIEW)
    opinion = ExpertAssignment.objects.create(application=reviewed, expert=e1, assigned_by=hr)
    ExpertAssignment.objects.filter(pk=opinion.pk).update(assigned_at=at(date(2026, 7, 1)))

    # The 2025 batch's publicity: 8-03 … 8-07 (5 working days), one objection still open.
    old = Batch.objects.create(year=2025, filing_opens_on=date(2025, 6, 1), filing_closes_on=date(2025, 6, 30),
                               created_by=hr, state="closed")
    listed = ApplicationFactory(batch=old, unit=unit_b, created_by=ub, occupation="车工", state=State.PUBLICITY)
    publicity = Publicity.objects.create(batch=old, starts_on=date(2026, 8, 3), ends_on=date(2026, 8, 7),
                                         closes_at=workdays.end_of_day(date(2026, 8, 7)), published_by=hr)
    Objection.objects.create(publicity=publicity, application=listed, name="张三", phone="13800000000",
                             content="人数不实。", ip_address="127.0.0.1")

    # Two stations: A's recognized 2025-06-01 (evaluation still a draft), B's in its last months (construction
    # ends 2026-03-14; evaluation submitted, score sheet with e2 since 4-01).
    ws_a = factories.WorkstationFactory(unit=unit_a, recognized_on=date(2025, 6, 1),
                                        construction_ends_on=construction_end(date(2025, 6, 1)))
    ws_b = factories.WorkstationFactory(unit=unit_b, recognized_on=date(2024, 3, 15),
                                        construction_ends_on=construction_end(date(2024, 3, 15)))
    rubric = ensure_rubric_2023()
    round_ = EvaluationRound.objects.create(year=2026, rubric=rubric, opens_on=date(2026, 3, 2),
                                           closes_on=date(2026, 3, 31), excellent_percent=30, opened_by=hr)
    Evaluation.objects.create(round=round_, workstation=ws_a)
    submitted = Evaluation.objects.create(round=round_, workstation=ws_b, is_final_acceptance=True,
                                          state=EvaluationState.SUBMITTED, submitted_at=at(date(2026, 3, 20)))
    sheet = Assignment.objects.create(evaluation=submitted, expert=e2, assigned_by=hr)
    Assignment.objects.filter(pk=sheet.pk).update(assigned_at=at(date(2026, 4, 1)))

    # A's first tranche approved 11-02 and not paid.
    grant = funding_services.create_grant(workstation=ws_a, amount=Decimal("100000.00"), actor=hr)
    Tranche.objects.filter(grant=grant, kind="first").update(state=TrancheState.APPROVED, approved_by=hr,
                                                             approved_at=at(date(2026, 11, 2)))

    # The work ledger: B has met 第七条's outputs by September; A trained 2 people and nothing else.
    def ledger(ws, kind, n, **fields):
        for i in range(n):
            LedgerEntry.objects.create(workstation=ws, kind=kind, occurred_on=date(2026, 5, 1) + timedelta(days=i),
                                       recorded_by=hr, **fields)

    trained = dict(person_name="王五", occupation="钳工", result="取得高级工证书")
    ledger(ws_b, "trained", 5, **trained)
    for kind in ("project", "cooperation", "competition"):
        ledger(ws_b, kind, 1, title="项目")
    ledger(ws_a, "trained", 2, **trained)
    ledger(ws_a, "project", 1, title="去年的项目")
    LedgerEntry.objects.filter(workstation=ws_a, kind="project").update(occurred_on=date(2025, 11, 1))
    Notification.objects.all().delete()
    Delivery.objects.all().delete()
    return {"ws_a": ws_a, "opinion": opinion, "sheet": sheet}


EXPECTED = [
    ("2026-01-13", "construction_ending", "hr"),  # B's period ends 3-14: 60 days before
    ("2026-01-13", "construction_ending", "ub"),
    ("2026-03-02", "evaluation_opens", "ua"),  # the March window opens: every station that owes an evaluation
    ("2026-03-02", "evaluation_opens", "ub"),
    ("2026-03-24", "evaluation_closes", "ua"),  # 5 working days left (3-25 … 3-31), A has not submitted
    ("2026-03-30", "evaluation_closes", "ua"),  # 1 working day left
    ("2026-04-13", "expert_deadline", "e2"),  # the sheet is due 4-16 (10 working days after 4-01, Qingming 4-04…06)
    ("2026-06-01", "filing_opens", "ua"),  # every registered unit's active accounts
    ("2026-06-01", "filing_opens", "ub"),
    ("2026-06-10", "department_waiting", "dept"),  # submitted 6-02: 6 working days waited on 6-10
    ("2026-06-23", "filing_closes", "ua"),  # 6-24, 25, 26, 29, 30 left (Dragon Boat 6-19)
    ("2026-06-29", "filing_closes", "ua"),
    ("2026-07-10", "expert_deadline", "e1"),  # the opinion is due 7-15
    ("2026-08-08", "publicity_ended", "hr"),  # the day after 8-07
    ("2026-09-30", "outputs_behind", "dept"),  # A: trained 2/5, projects 0/1 (last year's does not count) …
    ("2026-09-30", "outputs_behind", "ua"),
    ("2026-11-17", "tranche_waiting", "fin"),  # approved 11-02: 11 working days on 11-17
]


def walk(year: int) -> list[tuple[str, str, str]]:
    sent = []
    day = date(year, 1, 1)
    while day.year == year:
        for reminder in schedule.run(day):
            sent.append((day.isoformat(), reminder.kind, User.objects.get(pk=reminder.recipient_id).username))
        day += timedelta(days=1)
    return sent


def test_a_year_sends_each_reminder_to_exactly_its_people_once(world):
    assert sorted(walk(2026)) == EXPECTED
    assert list(SentReminder.objects.order_by("run_for", "kind", "recipient__username")
                .values_list("run_for", "kind", "recipient__username")) == [
        (date.fromisoformat(d), k, u) for d, k, u in EXPECTED]
    assert Notification.objects.count() == len(EXPECTED)
    assert Delivery.objects.count() == len(EXPECTED)
    # Walking the same year again (a rerun, a second worker) sends nothing more.
    assert walk(2026) == []
    assert Notification.objects.count() == len(EXPECTED)


def test_the_messages_name_the_deadline_and_link_to_where_the_person_acts(world):
    walk(2026)
    by = {(r.kind, r.recipient.username): r for r in SentReminder.objects.select_related("recipient")}
    assert by["publicity_ended", "hr"].message == "2025年度拟认定名单公示已于2026年8月7日期满，仍有1件异议待处理，处理后方可认定。"
    assert by["expert_deadline", "e1"].url == f"/applications/assignments/{world['opinion'].pk}/"
    assert by["expert_deadline", "e2"].url == f"/reviews/assignments/{world['sheet'].pk}/"
    assert by["expert_deadline", "e2"].due_on == date(2026, 4, 16)
    assert by["outputs_behind", "ua"].message == (
        f"预警：{world['ws_a'].name}截至2026年9月30日的2026年度产出未达第七条要求"
        "（技能竞赛0/1；校企合作0/1；技术攻关或技能创新项目0/1；培养技能技术骨干2/5），请抓紧落实并在工作台账中登记。")
    assert by["outputs_behind", "ua"].url == f"/reviews/stations/{world['ws_a'].pk}/ledger/"
    assert by["tranche_waiting", "fin"].message.endswith("已于2026年11月2日审批，11个工作日仍未拨付，请尽快拨付。")


def test_a_day_the_worker_was_down_is_caught_up_the_next_day_and_not_sent_twice(world):
    assert schedule.run(date(2026, 6, 24)) != []  # 6-23 was missed: the 5-day reminder goes out on 6-24
    sent = set(SentReminder.objects.values_list("kind", "recipient__username", "key"))
    assert ("filing_closes", "ua") in {(k, u) for k, u, _ in sent}
    assert schedule.run(date(2026, 6, 24)) == []


def test_a_person_who_turned_a_kind_off_gets_the_notification_but_no_email(world):
    from qinshui_station.models import EmailPreference

    ua = User.objects.get(username="ua")
    EmailPreference.objects.create(user=ua, kind="filing_opens", email=False)
    schedule.run(date(2026, 6, 1))
    assert Notification.objects.filter(recipient=ua).count() == 1
    assert list(Delivery.objects.values_list("recipient__username", flat=True)) == ["ub"]


def test_a_year_whose_holidays_are_not_entered_tells_hr_once_instead_of_guessing(world):
    Batch.objects.filter(year=2026).update(filing_opens_on=date(2027, 12, 20), filing_closes_on=date(2028, 1, 20))
    first = schedule.run(date(2027, 12, 21))
    # The opening needs no working-day count and goes out; the closing reminders wait for 2027's holidays.
    assert sorted((r.kind, User.objects.get(pk=r.recipient_id).username, r.key) for r in first) == [
        ("filing_opens", "ua", f"batch:{Batch.objects.get(year=2026).pk}:opens"),
        ("filing_opens", "ub", f"batch:{Batch.objects.get(year=2026).pk}:opens"),
        ("publicity_ended", "hr", f"publicity:{Publicity.objects.get().pk}:ended"),
        ("workflow", "hr", "calendar:2027")]
    assert Notification.objects.get(message__startswith="2027年").url == "/staff/calendar/"
    assert schedule.run(date(2027, 12, 22)) == []
