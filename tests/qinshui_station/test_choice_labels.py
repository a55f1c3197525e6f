"""``choice_labels``: what Django's ``get_FOO_display()`` gives, in the active language, for every choice of the
fields the pages name this way; a value that is no choice shows as itself."""

import pytest
from django.utils import translation

from applications.models import Application, Member
from qinshui_station.choice_labels import display, label
from qinshui_station.models import User


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("model", "field"), [(User, "role"), (Member, "qualification"), (Application, "state")])
def test_each_label_is_djangos_in_each_language(language, model, field):
    with translation.override(language):
        for value, _text in model._meta.get_field(field).flatchoices:
            obj = model(**{field: value})
            assert display(obj, field) == getattr(obj, f"get_{field}_display")()
        assert label(model, field, "no-such-value") == "no-such-value"
    with translation.override("en"):
        assert label(User, "role", "hr") == User(role="hr").get_role_display() != "县人社局"
