from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qinshui_station.punctuation import mark
from qinshui_station.templatetags.portal import badge

register = template.Library()


@register.filter
def age(moment) -> str:
    """How long something has been in its state, in whole days: what HR chases."""
    return ages()(moment)


def ages():
    """``age`` for a page's many rows: the words looked up once, and one clock for every row."""
    now, under_a_day, days_text = timezone.now(), _("不足1天"), _("%(n)d天")

    def age_of(moment) -> str:
        if not moment:
            return ""
        days = (now - moment).days
        return under_a_day if days < 1 else days_text % {"n": days}

    return age_of


@register.simple_tag
def batch_rows(rows) -> str:
    """``{% batch_rows rows %}``: the batch page's 50 applications from what the view worked out (link, state label,
    age), each text escaped here (``html.escape``, what Django's ``escape`` calls), a state's badge written once;
    through the template language each cell was a node of its own, and ``format_html`` costs a lazy-text check
    per argument: a third of the page's template time (docs/performance.md)."""
    yes = f'<span class="badge text-bg-warning">{escape(_("是"))}</span>'
    no = escape(_("否"))
    badges = {}
    lines = []
    for row in rows:
        state = row["state"]
        if state not in badges:
            badges[state] = badge(state, row["label"])
        lines.append(f'<tr><td><a href="{escape(row["url"])}">{escape(row["unit_name"])}</a></td>'
                     f'<td>{escape(row["occupation"])}</td><td>{escape(row["leader_name"])}</td><td>{badges[state]}</td>'
                     f'<td>{escape(row["age"])}</td><td>{yes if row["also_applies_master_studio"] else no}</td></tr>\n')
    return mark_safe("".join(lines))


@register.simple_tag
def public_rows(rows) -> str:
    """``{% public_rows rows %}``: the public notice's 50 lines (number, station, unit, occupation, leader), each
    cell escaped here; through the template language, a third of the page's template time."""
    return mark_safe("".join(f"<tr><td>{number}</td><td>{escape(name)}</td><td>{escape(unit)}</td>"
                             f"<td>{escape(occupation)}</td><td>{escape(leader)}</td></tr>\n"
                             for number, name, unit, occupation, leader in rows))


@register.simple_tag
def overlap_warnings(overlaps) -> str:
    """``{% overlap_warnings overlaps %}``: a warning for each pair of applications proposing the same people
    (``rules.shared_members``), written here: each through ``{% blocktrans %}`` cost a page ~0.05 ms.
    tests/applications/test_overlap_warnings.py compares it with the template it replaces."""
    text = _("成员重复提示：“%(a)s”与“%(b)s”的拟入站人员有相同人员（%(names)s）。"
             "同一团队原则上只申报技师工作站或技能大师工作室其中一项，请核实。")
    separator = mark("、")  # the people listed as the language lists them (the template joined them with 、)
    return mark_safe("".join(  # noqa: S308 -- every value escaped
        f'<div class="alert alert-warning overlap-warning" role="alert">'
        f'{text % {"a": escape(str(o["first"])), "b": escape(str(o["second"])), "names": separator.join(escape(m) for m in o["members"])}}'
        f'</div>' for o in overlaps))
