"""A choice's label in the active language, looked up once a process per language and field. Django's
``get_FOO_display()`` builds a dict of the field's choices and translates the label on every call (~20 µs); a page
calls it for every state badge, every member's qualification and the menu's role. Kept per language (and
``kept_generation``, forgotten when a test changes a setting), as the other translated labels are."""

from django.utils.translation import get_language

from qinshui_station.kept_generation import generation

_kept: dict[tuple, dict] = {}


def label(model, field: str, value):
    """What ``get_<field>_display()`` gives for ``value`` (a value that is no choice shows as itself)."""
    model = model if isinstance(model, type) else type(model)
    key = (generation(), get_language(), model, field)
    labels = _kept.get(key)
    if labels is None:
        labels = _kept[key] = {choice: str(text) for choice, text in model._meta.get_field(field).flatchoices}
    return labels.get(value, value)


def display(obj, field: str):
    """``obj.get_<field>_display()``, kept."""
    return label(obj, field, getattr(obj, field))
