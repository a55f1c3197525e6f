"""``{% kept %}…{% endkept %}``: a piece of a template rendered once a process per language and kept, with
``{% slot expression %}`` for the few values that change from request to request. For base.html's head, header
and footer, on every page: ~50 template nodes (the menu's form, the links, the translated labels, the static
addresses) cost a signed-in page ~0.4 ms of CPU; kept, they cost the look-up and the slots.

- What is kept is the piece as Django renders it, its slots left as markers; each request then puts in each slot
  what ``{{ expression }}`` would render there (``render_value_in_context``: localized, escaped).
- It is keyed on what the piece may depend on besides its slots: the active language, the URL configuration and
  script prefix (``{% url %}``), autoescaping, the settings (changed only by tests, which forget what was kept) and
  the truth of each expression named in the tag (``{% kept user.is_authenticated %}``), for its ``{% if %}``.
  Anything else inside — a variable, a condition on data — must be a slot or named in the tag.
- A ``{% csrf_token %}`` inside is a slot of its own: each request's token, escaped as the tag escapes it."""

from django import template
from django.template.base import VariableNode
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from qinshui_station.kept_generation import generation

register = template.Library()

_MARK = "\x00"  # never in a template's text, a translation or an address
_CSRF = "csrf"


class SlotNode(VariableNode):
    """``{{ expression }}`` (the same filters, the same output); inside ``{% kept %}``, a marker while it is kept."""

    index = None

    def render(self, context):
        if self.index is not None:
            return mark_safe(f"{_MARK}{self.index}{_MARK}")
        return super().render(context)

    def value(self, context):
        return super().render(context)


# The test suite sets this (tests/conftest.py): every kept piece is then rendered again on every use and compared
# with what was kept, so a piece that depends on anything else than its key and slots fails the test that shows it.
VERIFY = False


class KeptNode(template.Node):
    # not walked by get_nodes_by_type: {% extends %} looks for the parent's blocks on every request, and there are
    # none in here (refused)
    child_nodelists = ()

    def __init__(self, nodelist, key_expressions):
        self.nodelist = nodelist
        self.key_expressions = key_expressions
        self.slots = nodelist.get_nodes_by_type(SlotNode)
        for index, slot in enumerate(self.slots):
            slot.index = index
        self.has_csrf = bool(nodelist.get_nodes_by_type(CsrfTokenNode))
        self.kept = {}

    def _parts(self, context, csrf) -> list:
        """The piece rendered with its slots as markers: constant text, a slot's number (or "csrf"), text, …"""
        if csrf == "token":
            with context.push(csrf_token=_CSRF.join((_MARK, _MARK))):
                text = self.nodelist.render(context)
        else:
            text = self.nodelist.render(context)
        return [part if k % 2 == 0 else (part if part == _CSRF else int(part))
                for k, part in enumerate(text.split(_MARK))]

    def render(self, context):
        token = context.get("csrf_token") if self.has_csrf else None
        # as CsrfTokenNode reads it: none (no input), "NOTPROVIDED" (no input), a token (a slot)
        csrf = "token" if token and token != "NOTPROVIDED" else bool(token)
        key = (generation(), get_language(), get_urlconf(), get_script_prefix(), context.autoescape, csrf,
               *(bool(expression.resolve(context, ignore_failures=True)) for expression in self.key_expressions))
        parts = self.kept.get(key)
        if parts is None:
            parts = self.kept[key] = self._parts(context, csrf)
        elif VERIFY and self._parts(context, csrf) != parts:
            raise AssertionError(f"{{% kept %}} in {self.origin.name}: the piece depends on something that is "
                                 f"neither a slot nor named in the tag (this request renders it otherwise)")
        out = []
        for k, part in enumerate(parts):
            if k % 2 == 0:
                out.append(part)
            elif part == _CSRF:
                out.append(conditional_escape(token))  # as format_html does
            else:
                out.append(self.slots[part].value(context))
        return mark_safe("".join(out))


@register.tag
def kept(parser, token):
    key_expressions = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(KeptNode):
        raise template.TemplateSyntaxError("{% kept %} inside {% kept %}")
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% block %} inside {% kept %}")
    return KeptNode(nodelist, key_expressions)


@register.tag
def slot(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% slot %} takes one expression")
    return SlotNode(parser.compile_filter(bits[1]))
