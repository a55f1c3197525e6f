from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qinshui_station.templatetags.portal import badge

register = template.Library()


@register.filter
def age(moment) -> str:
    """How long something has been in its state, in whole days: what HR chases."""
    if not moment:
        return ""
    days = (timezone.now() - moment).days
    if days < 1:
        return _("不足1天")
    return _("%(n)d天") % {"n": days}


BATCH_ROW = ('<tr><td><a href="{url}">{unit_name}</a></td><td>{occupation}</td><td>{leader_name}</td><td>{badge}</td>'
             '<td>{age}</td><td>{master}</td></tr>\n')


@register.simple_tag
def batch_rows(rows) -> str:
    """``{% batch_rows rows %}``: the batch page's 50 applications, each cell escaped here (``format_html``) from
    what the view worked out (link, state label, age); through the template language each cell was a node of its
    own, a third of the page's template time (docs/performance.md)."""
    yes = format_html('<span class="badge text-bg-warning">{}</span>', _("是"))
    no = conditional_escape(_("否"))
    return mark_safe("".join(
        format_html(BATCH_ROW, url=row["url"], unit_name=row["unit_name"], occupation=row["occupation"],
                    leader_name=row["leader_name"], badge=badge(row["state"], row["label"]), age=row["age"],
                    master=yes if row["also_applies_master_studio"] else no)
        for row in rows))


PUBLIC_ROW = "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n"


@register.simple_tag
def public_rows(rows) -> str:
    """``{% public_rows rows %}``: the public notice's 50 lines (number, station, unit, occupation, leader), each
    cell escaped here; through the template language, a third of the page's template time."""
    return mark_safe("".join(format_html(PUBLIC_ROW, *row) for row in rows))
