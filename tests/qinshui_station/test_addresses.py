"""``address`` gives what ``reverse`` gives, under any script prefix, for every address a model links to."""

import pytest
from django.urls import reverse, set_script_prefix

from qinshui_station.addresses import address, addresses, known_address

NAMES = [("applications:detail", 1), ("applications:batch_detail", 7), ("applications:publicity_detail", 2027),
         ("reviews:round_detail", 3), ("reviews:evaluation_detail", 98765), ("reviews:score", 12),
         ("funding:statement", 5), ("funding:tranche_detail", 40), ("funding:expenditure_detail", 8),
         ("funding:expenditure_document", 8, 9), ("funding:recovery_detail", 1), ("workstation_detail", 123)]


@pytest.mark.parametrize("prefix", ["/", "/portal/"])
def test_each_address_is_what_reverse_gives(prefix):
    set_script_prefix(prefix)
    try:
        for name, *numbers in NAMES:
            for shift in (0, 1000):  # a second call puts other numbers into the kept pattern
                values = [n + shift for n in numbers]
                assert address(name, *values) == reverse(name, args=values), (name, values)
        assert address("applications:detail", 42).startswith(prefix)
        assert addresses("applications:detail", [3, 41]) == {
            3: reverse("applications:detail", args=[3]), 41: reverse("applications:detail", args=[41])}
    finally:
        set_script_prefix("/")


def test_the_tag_writes_what_url_writes():
    from django.template import Context, engines

    engine = engines["django"].engine
    for source in ("{% TAG 'applications:batch_close' 7 %}", "{% TAG 'funding:expenditure_document' 8 9 as u %}[{{ u }}]"):
        assert (engine.from_string("{% load portal %}" + source.replace("TAG", "address")).render(Context({}))
                == engine.from_string(source.replace("TAG", "url")).render(Context({})))


def test_a_menu_address_is_what_reverse_gives_or_none_where_the_configuration_has_none():
    assert known_address("index", None, "/") == reverse("index") == "/"
    set_script_prefix("/portal/")
    try:
        assert known_address("audit_log", None, "/portal/") == reverse("audit_log") == "/portal/staff/audit/"
    finally:
        set_script_prefix("/")
    assert known_address("no-such-page", None, "/") is None
