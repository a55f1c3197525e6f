"""Django's ``i18n`` tag library with one difference: a ``{% translate "literal" %}`` (``{% trans %}``) with no
filter and a literal context, if any, keeps what it rendered per language, so each of a page's ~30–90 such tags
costs a dictionary look-up instead of Django's lazy string, gettext, escaping and percent restoring (~5 µs each,
~0.4 ms of the application page). What it keeps is Django's own output, and depends only on the code (the
message catalogs), the active language and autoescaping, which are its key; changed settings (tests) forget it.

The project's templates load it in place of Django's (``{% load i18n_kept %}``: every tag of ``i18n``, the same
syntax). Not installed under the label ``i18n`` itself: Django's check warns of two modules for one label (W003)."""

from django.template import Library, Variable
from django.templatetags import i18n as django_i18n
from django.templatetags.i18n import TranslateNode
from django.utils.translation import get_language

from qinshui_station.kept_generation import generation

register = Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

class KeptTranslateNode(TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        var = self.filter_expression.var
        self.constant = (isinstance(var, Variable) and var.literal is not None and not self.filter_expression.filters
                         and (message_context is None
                              or (isinstance(message_context.var, str) and not message_context.filters)))
        # the same tag without "as": what is kept (the variable is set here, from the kept value)
        self.plain = TranslateNode(self.filter_expression, noop, None, message_context)
        self.kept = {}

    def render(self, context):
        if not self.constant:
            return super().render(context)
        key = (generation(), get_language(), context.autoescape)
        try:
            value = self.kept[key]
        except KeyError:
            value = self.kept[key] = self.plain.render(context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
