"""qinshui_station.backends.PortalBackend: Django's ModelBackend, the person's organization in the same query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinshui_station.backends import PortalBackend
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_person_comes_with_the_organization_in_one_query():
    unit_user = factories.UnitUserFactory()
    with CaptureQueriesContext(connection) as queries:
        loaded = PortalBackend().get_user(unit_user.pk)
        name = loaded.organization.name
    assert (loaded.pk, name, len(queries)) == (unit_user.pk, unit_user.organization.name, 1)


def test_an_inactive_or_missing_person_is_nobody():
    gone = factories.HRUserFactory(is_active=False)
    assert PortalBackend().get_user(gone.pk) is None
    assert PortalBackend().get_user(gone.pk + 1000) is None
