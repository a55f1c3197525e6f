"""gunicorn.conf.py: a worker freezes what it holds once loaded and once more after its first requests."""

import gc
import importlib.util
from types import SimpleNamespace

import pytest
from django.conf import settings


@pytest.fixture
def conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", settings.BASE_DIR / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    gc.unfreeze()
    yield module
    gc.unfreeze()  # the rest of the test run collects as usual


def test_a_loaded_worker_freezes_what_it_holds(conf):
    assert gc.get_freeze_count() == 0
    conf.post_worker_init(SimpleNamespace(nr=0))
    assert gc.get_freeze_count() > 10_000  # Django and the portal, loaded by this process


def test_the_worker_freezes_again_after_its_first_requests_and_only_then(conf):
    for nr in (1, conf.FREEZE_AFTER_REQUESTS - 1, conf.FREEZE_AFTER_REQUESTS + 1):
        conf.post_request(SimpleNamespace(nr=nr), None, {}, None)
        assert gc.get_freeze_count() == 0, nr
    kept = [object() for _ in range(1000)]  # what the first requests compiled and keep
    conf.post_request(SimpleNamespace(nr=conf.FREEZE_AFTER_REQUESTS), None, {}, None)
    assert gc.get_freeze_count() > 10_000 and kept
