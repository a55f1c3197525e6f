import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from tests import factories  # noqa: E402

pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    """Uploaded files of a test go to a temporary storage root; mail to the in-memory outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False


@pytest.fixture
def unit_user(db):
    return factories.UnitUserFactory()


@pytest.fixture
def other_unit_user(db):
    return factories.UnitUserFactory()


@pytest.fixture
def department_user(db, unit_user):
    """The sector department of ``unit_user``'s unit."""
    return factories.DepartmentUserFactory(organization=unit_user.organization.department)


@pytest.fixture
def other_department_user(db):
    return factories.DepartmentUserFactory()


@pytest.fixture
def expert(db):
    return factories.ExpertFactory()


@pytest.fixture
def hr_user(db):
    return factories.HRUserFactory()


@pytest.fixture
def finance_user(db):
    return factories.FinanceUserFactory()


@pytest.fixture
def org_dept_user(db):
    return factories.OrgDeptUserFactory()
