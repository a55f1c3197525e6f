from datetime import date

import pytest

from qinshui_station import services
from qinshui_station.workdays import (
    CalendarUnavailable,
    is_working_day,
    nth_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    "day,working",
    [
        ("2025-01-01", False),  # 元旦
        ("2025-01-26", True),  # Sunday, 春节调休上班
        ("2025-01-28", False),  # 春节
        ("2025-02-08", True),  # Saturday, 调休上班
        ("2025-05-05", False),  # 劳动节
        ("2025-09-28", True),  # Sunday, 国庆调休
        ("2025-10-08", False),  # 国庆中秋
        ("2025-10-11", True),  # Saturday, 调休
        ("2025-10-12", False),  # ordinary Sunday
        ("2026-01-02", False),  # 元旦 (Friday)
        ("2026-01-04", True),  # Sunday, 调休上班
        ("2026-02-14", True),  # Saturday before 春节
        ("2026-02-23", False),  # last day of 春节
        ("2026-02-28", True),  # Saturday, 调休
        ("2026-05-09", True),  # Saturday, 劳动节调休
        ("2026-09-20", True),  # Sunday, 国庆调休
        ("2026-09-25", False),  # 中秋
        ("2026-10-07", False),  # 国庆
        ("2026-10-08", True),
        ("2026-10-10", True),  # Saturday, 国庆调休
        ("2026-11-24", True),  # an ordinary Tuesday
    ],
)
def test_is_working_day_follows_state_council_arrangement(db, day, working):
    assert is_working_day(date.fromisoformat(day)) is working


def test_publicity_across_2026_national_day(db):
    # Mon 28 Sep, Tue 29, Wed 30, then 1–7 Oct off, Thu 8 Oct, Fri 9 Oct.
    assert nth_working_day(date(2026, 9, 28), 5) == date(2026, 10, 9)


def test_start_on_holiday_counts_from_next_working_day(db):
    # 1 Oct is a holiday: day 1 is 8 Oct; 10 Oct is a Saturday working day.
    assert nth_working_day(date(2026, 10, 1), 1) == date(2026, 10, 8)
    assert nth_working_day(date(2026, 10, 1), 5) == date(2026, 10, 13)


def test_start_on_working_day_counts_as_day_one(db):
    assert nth_working_day(date(2026, 11, 24), 1) == date(2026, 11, 24)
    assert nth_working_day(date(2026, 11, 24), 5) == date(2026, 11, 30)


def test_spring_festival_2026(db):
    # Fri 13 Feb, Sat 14 Feb (working), then 15–23 off, Tue 24, Wed 25, Thu 26.
    assert nth_working_day(date(2026, 2, 13), 5) == date(2026, 2, 26)


def test_working_days_between(db):
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 9)) == 5


def test_uncovered_year_raises_naming_the_year(db):
    with pytest.raises(CalendarUnavailable) as info:
        is_working_day(date(2027, 3, 1))
    assert info.value.year == 2027
    assert "2027年" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_window_running_into_uncovered_year_raises(db):
    with pytest.raises(CalendarUnavailable):
        nth_working_day(date(2026, 12, 28), 5)


def test_entered_arrangement_covers_a_new_year(db, hr_user):
    services.enter_calendar_arrangement(
        actor=hr_user, year=2027, source="国办发明电〔2026〕1号",
        days=[(date(2027, 1, 1), "holiday", "元旦"), (date(2027, 1, 2), "holiday", "元旦"),
              (date(2027, 1, 3), "holiday", "元旦"), (date(2027, 1, 4), "holiday", "元旦调休"),
              (date(2027, 1, 9), "workday", "元旦调休上班")],
    )
    assert is_working_day(date(2027, 1, 4)) is False  # a Monday made a holiday
    assert is_working_day(date(2027, 1, 9)) is True  # a Saturday made a working day
    assert is_working_day(date(2027, 1, 10)) is False  # an ordinary Sunday
    assert is_working_day(date(2027, 1, 5)) is True
    # Mon 28, Tue 29, Wed 30, Thu 31 Dec 2026, then 1–4 Jan off, Tue 5 Jan.
    assert nth_working_day(date(2026, 12, 28), 5) == date(2027, 1, 5)


def test_arrangement_for_a_covered_year_is_refused(db, hr_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        services.enter_calendar_arrangement(actor=hr_user, year=2026, source="x", days=[])
    assert info.value.message_dict["year"] == ["2026年的节假日安排已内置于系统，无需录入。"]


def test_only_hr_enters_arrangements(db, unit_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.enter_calendar_arrangement(actor=unit_user, year=2027, source="x", days=[])
