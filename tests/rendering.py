"""Rendering a template's source with the project's engine: the tests that compare a writer written in Python
with the template it replaces render both this way."""

from django.template import Context, engines


def render(source: str, context: dict) -> str:
    return engines["django"].engine.from_string(source).render(Context(context))
