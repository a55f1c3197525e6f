import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from django.conf import global_settings, settings  # noqa: E402

from tests import factories  # noqa: E402

# Hundreds of test accounts: a fast hash for the ones made here (the production hashers still verify any other).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]

pytest_plugins = ["tests.browser.fixtures"]

# every {% kept %} piece rendered again on every use and compared with what was kept (templatetags/kept.py)
from qinshui_station.templatetags import kept as _kept  # noqa: E402

_kept.VERIFY = True


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Every test starts in the portal's default language. A request in English (LocaleMiddleware) or an
    explicit activate() would otherwise leak into the next tests run in the same thread."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    """Uploaded files of a test go to a temporary storage root; mail to the in-memory outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_caches(settings):
    """Caches in this process's memory (the live server is a thread of it), empty for every test."""
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-default"}}
    caches["default"].clear()


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


@pytest.fixture(scope="session", autouse=True)
def _end_stray_connections(django_db_setup, django_db_blocker):
    """Threads of the live server and of the concurrency tests may leave a connection open; end them before
    pytest-django drops the test database, so the drop never fails with 'being accessed by other users'."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
