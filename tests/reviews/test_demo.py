from qinshui_station.demo import load_demo as load_core_demo
from reviews.demo import load_demo
from reviews.models import EvaluationRound, LedgerEntry


def test_demo_data_is_idempotent(db):
    load_core_demo()
    first = load_demo()
    assert len(first) == 2
    assert load_demo() == []
    assert EvaluationRound.objects.count() == 1
    assert LedgerEntry.objects.count() == 4
    assert EvaluationRound.objects.get().evaluations.get().workstation.unit.name == "沁水县煤层气开发有限公司"
