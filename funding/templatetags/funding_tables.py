"""The funding pages' long tables written by plain functions (docs/performance.md):

- ``{% ledger_rows rows %}``: the county ledger's 50 rows of 12 cells; through the template language each cell was
  a variable node resolved, escaped and localized on its own, 700 a page and about half the template's time. The
  cells arrive as text from the view; every one is escaped here (``format_html``).
- ``{% row_badge state label %}``: a row's state badge, the markup of ``includes/state_badge.html`` (``{% state_badge %}``,
  an inclusion tag: a template rendered per row) written by ``format_html``."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qinshui_station.templatetags.portal import badge_class

register = template.Library()

ROW = ('<tr data-station="{plaque}">\n'
       '  <td>{year}</td><td>{plaque}</td>\n'
       '  <td><a href="{url}">{name}</a><div class="small text-muted">{unit}</div></td>\n'
       '  <td>{department}</td><td>{account}</td>\n'
       '  <td>{first}</td><td>{second}</td>\n'
       '  <td class="text-end">{amount}</td><td class="text-end">{disbursed}</td><td class="text-end">{spent}</td>\n'
       '  <td class="text-end">{balance}</td><td class="text-end">{recovery_due}</td></tr>\n')


@register.simple_tag
def ledger_rows(rows) -> str:
    return mark_safe("".join(format_html(ROW, **row) for row in rows))


@register.simple_tag
def row_badge(state: str, label: str) -> str:
    return format_html('<span class="badge state-badge state-{} {}">{}</span>', state, badge_class(state), label)
