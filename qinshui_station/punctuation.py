"""The Chinese punctuation the portal writes next to data, outside a translated sentence — a name and its
organization in brackets, a list joined — in the page's language: one msgid per mark (context "punctuation"),
English writing " (", ")", ": ", ", ", "; " instead. Templates write the same marks with
``{% trans "（" context "punctuation" %}``."""

from django.utils.translation import pgettext


def mark(chinese: str) -> str:
    return pgettext("punctuation", chinese)


def bracketed(text, note) -> str:
    """``text（note）``; in English ``text (note)``."""
    return f"{text}{mark('（')}{note}{mark('）')}"


def listed(items, separator: str = "、") -> str:
    """Items joined with 、 (or ``separator``: ；，); in English with ", " or "; "."""
    return mark(separator).join(str(item) for item in items)
