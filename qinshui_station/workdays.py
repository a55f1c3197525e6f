"""China's working days, as the State Council arranges them.

Years the ``chinese-calendar`` package covers come from it; for a later year, HR enters the published
arrangement (holidays and the weekend days declared working days) in the portal. A year with neither
raises :class:`CalendarUnavailable`, naming the year, rather than guessing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")


class CalendarUnavailable(LookupError):
    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _("%(year)d年的法定节假日安排尚未录入，无法计算工作日。请县人社局在“节假日安排”中录入国务院公布的%(year)d年安排。")
            % {"year": year}
        )


def _library_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _entered_arrangement(year: int) -> tuple[set[date], set[date]] | None:
    """(holidays, adjusted working days) entered by HR for ``year``, or None when nothing is entered."""
    from qinshui_station.models import CalendarDay, CalendarYear

    if not CalendarYear.objects.filter(year=year).exists():
        return None
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.filter(year=year).values_list("day", "kind"):
        (holidays if kind == "holiday" else workdays).add(day)
    return holidays, workdays


class _YearCache(dict):
    """Per-call cache so nth_working_day asks the database at most once per year it crosses."""

    def lookup(self, day: date) -> bool:
        year = day.year
        if year not in self:
            if _library_covers(year):
                self[year] = None
            else:
                arrangement = _entered_arrangement(year)
                if arrangement is None:
                    raise CalendarUnavailable(year)
                self[year] = arrangement
        arrangement = self[year]
        if arrangement is None:
            return chinese_calendar.is_workday(day)
        holidays, workdays = arrangement
        if day in workdays:
            return True
        if day in holidays:
            return False
        return day.weekday() < 5


def is_working_day(day: date) -> bool:
    return _YearCache().lookup(day)


def nth_working_day(start: date, n: int) -> date:
    """Day 1 is ``start`` when it is a working day, otherwise the next working day."""
    if n < 1:
        raise ValueError("n must be at least 1")
    cache = _YearCache()
    day, counted = start, 0
    while True:
        if cache.lookup(day):
            counted += 1
            if counted == n:
                return day
        day += timedelta(days=1)


def working_days_between(start: date, end: date) -> int:
    """Working days from ``start`` to ``end`` inclusive (0 when end precedes start)."""
    cache = _YearCache()
    count, day = 0, start
    while day <= end:
        count += cache.lookup(day)
        day += timedelta(days=1)
    return count


def end_of_day(day: date) -> datetime:
    """23:59:59 of ``day`` in Asia/Shanghai: when a window that ends on that day closes."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0, 0), tzinfo=SHANGHAI)
