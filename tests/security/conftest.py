import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world of ``tests/security/world.py``, built once per module inside a transaction that is rolled
    back at the end; each test runs in a savepoint inside it (pytest-django's ``db``)."""
    media = tmp_path_factory.mktemp("world-media")
    with override_settings(MEDIA_ROOT=media, AXES_ENABLED=False,
                           EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                w = build_world()
                w.media_root = media
                yield w
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


@pytest.fixture
def world_media(world, settings):
    """Point this test's storage at the world's files (the suite's autouse fixture gives each test its own)."""
    settings.MEDIA_ROOT = world.media_root
    return world
