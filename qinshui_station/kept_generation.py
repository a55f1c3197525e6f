"""What the portal keeps per process and language (translated labels, punctuation marks, kept template pieces)
depends on the code and the settings; only tests change settings. Every such keeper puts ``generation()`` in its
key, so a changed setting makes all of it read afresh."""

from django.core.signals import setting_changed

_generation = [0]


def _forget(**kwargs):
    _generation[0] += 1


setting_changed.connect(_forget)


def generation() -> int:
    return _generation[0]
