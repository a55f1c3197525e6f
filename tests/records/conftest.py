import pytest

from tests import factories
from tests.records import workbooks


@pytest.fixture
def departments(db):
    return workbooks.departments()


@pytest.fixture
def hr(db):
    return factories.HRUserFactory(username="hr_importer", full_name="赵处长")
