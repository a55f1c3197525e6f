"""The funding pages' long tables written by plain functions (docs/performance.md):

- ``{% ledger_rows rows %}``: the county ledger's 50 rows of 12 cells; through the template language each cell was
  a variable node resolved, escaped and localized on its own, 700 a page and about half the template's time. The
  cells arrive as text from the view; every one is escaped here (``format_html``). A row's state badge is
  ``portal``'s ``{% badge state label %}``."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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

