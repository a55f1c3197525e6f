"""Recognition: after the window and every objection, the joint document turns each remaining application
into a workstation with its grant and first tranche, in one transaction."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications import services
from applications.models import ISSUERS
from applications.workflow import State
from funding.models import Grant
from qinshui_station.models import Workstation
from qinshui_station.models.workstations import construction_end
from tests.applications.factories import ObjectionFactory, application_in

pytestmark = pytest.mark.django_db

ALL_THREE = [code for code, _label in ISSUERS]
PAST = date(2026, 9, 28)


def recognize(hr, app, **overrides):
    kwargs = dict(actor=hr, batch_id=app.batch_id, number="沁人社字〔2026〕58号", issued_on=timezone.localdate(),
                  issuers=ALL_THREE) | overrides
    return services.recognize_batch(**kwargs)


def test_recognition_creates_the_workstation_grant_and_first_tranche(hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=PAST)
    today = timezone.localdate()
    document = recognize(hr_user, app)
    app.refresh_from_db()
    station = app.workstation
    assert app.state == State.RECOGNIZED
    assert (station.name, station.unit_id, station.occupation, station.leader_name, station.leader_skill_level) == (
        f"沁水县技师工作站（{app.unit_name}·钳工）", app.unit_id, "钳工", "李师傅", "高级技师")
    assert (station.plaque_number, station.recognition_document_number, station.recognized_on,
            station.construction_ends_on, station.batch_year) == (
        f"QSJS-{app.batch.year}-001", "沁人社字〔2026〕58号", today, construction_end(today), app.batch.year)
    grant = Grant.objects.get(workstation=station)
    assert grant.amount == Decimal("100000.00")
    assert [(t.kind, t.amount, t.state) for t in grant.tranches.all()] == [("first", Decimal("40000.00"), "scheduled")]
    assert document.issuer_names() == ["中共沁水县委组织部", "沁水县人力资源和社会保障局", "沁水县财政局"]


def test_recognition_uses_the_batch_amount(hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=PAST)
    app.batch.subsidy_amount = Decimal("80000.00")
    app.batch.save()
    recognize(hr_user, app)
    app.refresh_from_db()
    assert app.workstation.grant.tranches.get().amount == Decimal("32000.00")


def test_recognition_is_refused_while_the_window_is_open(hr_user):
    app = application_in(State.PUBLICITY)
    with pytest.raises(ValidationError, match=f"公示期至{app.batch.publicity.ends_on.isoformat()} 23:59:59结束"):
        recognize(hr_user, app)
    assert not Workstation.objects.exists()


def test_recognition_is_refused_with_a_pending_objection(hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=PAST)
    ObjectionFactory(application=app)
    with pytest.raises(ValidationError, match="尚有1条公示异议未处理"):
        recognize(hr_user, app)


def test_recognition_needs_all_three_issuers(hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=PAST)
    with pytest.raises(ValidationError) as raised:
        recognize(hr_user, app, issuers=["hr_bureau"])
    assert raised.value.message_dict == {"issuers": ["认定文件须由县委组织部、县人社局、县财政局三家联合印发。"]}


def test_upheld_station_is_not_recognized_the_others_are(hr_user):
    kept = application_in(State.PUBLICITY, publicity_starts=PAST)
    removed = application_in(State.PUBLICITY, batch=kept.batch, occupation="电工")
    objection = ObjectionFactory(application=removed)
    services.resolve_objection(actor=hr_user, objection_id=objection.pk, upheld=True, reason="属实。")
    recognize(hr_user, kept)
    kept.refresh_from_db()
    removed.refresh_from_db()
    assert (kept.state, removed.state, removed.workstation) == (State.RECOGNIZED, State.NOT_RECOGNIZED, None)
    assert Workstation.objects.count() == 1


def test_recognition_is_all_or_nothing(hr_user):
    app = application_in(State.PUBLICITY, publicity_starts=PAST)
    second = application_in(State.PUBLICITY, batch=app.batch, occupation="电工")
    # The second station cannot be stored (a leader is required): the whole recognition rolls back.
    second.leader_name = ""
    second.save()
    with pytest.raises(ValidationError):
        recognize(hr_user, app)
    app.refresh_from_db()
    assert (app.state, Workstation.objects.count(), Grant.objects.count()) == (State.PUBLICITY, 0, 0)


def test_plaque_numbers_follow_the_years_highest_number_past_plaques_of_another_form(hr_user):
    from tests.factories import WorkstationFactory

    app = application_in(State.PUBLICITY, publicity_starts=PAST)
    year = app.batch.year
    for plaque in (f"QSJS-{year}-D01", f"QSJS-{year}-999", f"QSJS-{year}-7号"):  # the history import's, the demo's
        WorkstationFactory(plaque_number=plaque, batch_year=year)
    recognize(hr_user, app)
    app.refresh_from_db()
    assert app.workstation.plaque_number == f"QSJS-{year}-1000"
