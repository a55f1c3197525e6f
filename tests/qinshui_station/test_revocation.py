from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qinshui_station import services
from qinshui_station.models import AuditEntry, RevocationGround
from tests import factories


def test_hr_revokes_with_a_ground(db, hr_user):
    station = factories.WorkstationFactory()
    revocation = services.revoke_workstation(workstation_id=station.pk, actor=hr_user,
                                             ground=RevocationGround.DEREGISTERED, facts="单位已注销",
                                             on=date(2026, 6, 1))
    station.refresh_from_db()
    assert station.state == "revoked"
    assert station.revoked_on == date(2026, 6, 1)
    assert revocation.ground == "deregistered"
    entry = AuditEntry.objects.get(action="revoke")
    assert (entry.from_state, entry.to_state) == ("construction", "revoked")
    assert entry.reason == "申请设立的单位被注销或者撤销：单位已注销"


def test_revoking_twice_is_refused(db, hr_user):
    station = factories.WorkstationFactory()
    services.revoke_workstation(workstation_id=station.pk, actor=hr_user, ground="fraud", facts="材料造假")
    with pytest.raises(ValidationError):
        services.revoke_workstation(workstation_id=station.pk, actor=hr_user, ground="fraud", facts="材料造假")


def test_only_hr_revokes(db, unit_user):
    station = factories.WorkstationFactory(unit=unit_user.organization)
    with pytest.raises(PermissionDenied):
        services.revoke_workstation(workstation_id=station.pk, actor=unit_user, ground="fraud", facts="x")
    station.refresh_from_db()
    assert station.state == "construction"


def test_unknown_ground_is_refused(db, hr_user):
    station = factories.WorkstationFactory()
    with pytest.raises(ValidationError) as info:
        services.revoke_workstation(workstation_id=station.pk, actor=hr_user, ground="whim", facts="x")
    assert "ground" in info.value.message_dict
