from decimal import Decimal
from html import escape

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters across pages)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def yuan(value) -> str:
    """¥100,000.00 — money always to the fen, never through float."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def days_left(day) -> int | None:
    if not day:
        return None
    return (day - timezone.localdate()).days


@register.inclusion_tag("includes/deadline.html")
def deadline(opens_on, closes_on, state=None):
    """A window's days left: not yet open (opens in N days), open (N days left, or closes today), or closed.
    With ``state``, a window closed early (any state but "open", e.g. a batch after 截止申报) reads closed."""
    if not closes_on:
        return {}
    if state is not None and state != "open":
        return {"phase": "closed"}
    if opens_on and days_left(opens_on) > 0:
        return {"phase": "upcoming", "days": days_left(opens_on)}
    if days_left(closes_on) < 0:
        return {"phase": "closed"}
    return {"phase": "open", "days": days_left(closes_on)}


def badge(value: str, label) -> str:
    """A state as a badge: the one markup of every page's state badges (the CSS colours it by ``value``)."""
    return format_html('<span class="badge state-badge state-{} {}">{}</span>', value, badge_class(value), label)


@register.simple_tag
def state_badge(obj, field: str = "state"):
    """``{% state_badge obj %}``: the object's state field as a ``badge``."""
    return badge(getattr(obj, field), getattr(obj, f"get_{field}_display")())


@register.simple_tag(name="badge")
def badge_tag(value: str, label) -> str:
    """``{% badge value label %}``: a state a view has already read as a value and its label (tables of many rows)."""
    return badge(value, label)


BAD = {"revoked", "cancelled", "rejected", "not_recommended", "not_recognized", "unqualified", "upheld", "withdrawn"}
GOOD = {"recognized", "accepted", "disbursed", "excellent", "qualified", "finalized", "approved", "dismissed"}


def badge_class(value: str) -> str:
    if value in BAD:
        return "text-bg-danger"
    if value in GOOD:
        return "text-bg-success"
    if value == "draft":
        return "text-bg-secondary"
    if value == "returned":
        return "text-bg-warning"
    return "text-bg-primary"


@register.simple_tag
def station_rows(rows) -> str:
    """``{% station_rows page %}``: the public list's rows (plaque, station, unit, occupation, leader, day: text the
    view read), each cell escaped here (``html.escape``, what Django's ``escape`` calls); through the template
    language each cell was a node of its own: a third of the page's template time."""
    return mark_safe("".join("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>\n"
                             for row in rows))


@register.simple_tag
def audit_rows(entries) -> str:
    """``{% audit_rows entries %}``: the audit log's 50 lines (ISO time, time shown, sentence: text the view wrote),
    each escaped here; through the template language, 150 nodes a page."""
    return mark_safe("".join(f'<li class="border-bottom py-2"><time class="small text-muted d-block" '
                             f'datetime="{escape(at)}">{escape(shown)}</time>{escape(sentence)}</li>\n'
                             for at, shown, sentence in entries))
