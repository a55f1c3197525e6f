from datetime import date

from reviews import services
from reviews.selectors import ledger_progress
from tests.reviews import factories as rf


def _record(station, unit, kind, n, on=date(2026, 4, 1)):
    for i in range(n):
        fields = ({"person_name": f"学员{i}", "occupation": "钳工", "result": "取得技师证书"} if kind == "trained"
                  else {"title": f"项目{i}"})
        services.add_ledger_entry(actor=unit, workstation_id=station.pk, kind=kind, occurred_on=on, **fields)


def test_progress_counts_each_output_against_its_yearly_minimum(rubric):
    station = rf.first_year_station(2027)
    unit = rf.unit_user_of(station)
    _record(station, unit, "trained", 4)
    _record(station, unit, "project", 1)
    _record(station, unit, "trained", 3, on=date(2025, 4, 1))  # another year does not count
    rows = {r["kind"]: (r["done"], r["minimum"], r["met"]) for r in ledger_progress(station, 2026, date(2026, 9, 30))}
    assert rows == {"trained": (4, 5, False), "project": (1, 1, True), "cooperation": (0, 1, False),
                    "competition": (0, 1, False)}


def test_a_shortfall_is_a_warning_from_october(rubric):
    station = rf.first_year_station(2027)
    unit = rf.unit_user_of(station)
    _record(station, unit, "trained", 5)
    september = {r["kind"]: r["warn"] for r in ledger_progress(station, 2026, date(2026, 9, 30))}
    october = {r["kind"]: r["warn"] for r in ledger_progress(station, 2026, date(2026, 10, 1))}
    assert september == {"trained": False, "project": False, "cooperation": False, "competition": False}
    assert october == {"trained": False, "project": True, "cooperation": True, "competition": True}
