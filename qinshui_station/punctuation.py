"""The Chinese punctuation the portal writes next to data, outside a translated sentence — a name and its
organization in brackets, a list joined — in the page's language: one msgid per mark (context "punctuation"),
English writing " (", ")", ": ", ", ", "; " instead. Templates write the same marks with
``{% trans "（" context "punctuation" %}``."""

from django.utils.translation import get_language, pgettext

from qinshui_station.kept_generation import generation

# (settings' generation, language) → mark → as written: a page writes dozens, each a pgettext otherwise
_marks: dict[tuple[int, str], dict[str, str]] = {}


def _written(chinese: str, marks: dict[str, str]) -> str:
    found = marks.get(chinese)
    if found is None:
        found = marks[chinese] = pgettext("punctuation", chinese)
    return found


def mark(chinese: str) -> str:
    return _written(chinese, _marks.setdefault((generation(), get_language()), {}))


def bracketed(text, note) -> str:
    """``text（note）``; in English ``text (note)``."""
    marks = _marks.setdefault((generation(), get_language()), {})  # the language looked up once for both marks
    return f"{text}{_written('（', marks)}{note}{_written('）', marks)}"


def listed(items, separator: str = "、") -> str:
    """Items joined with 、 (or ``separator``: ；，); in English with ", " or "; "."""
    return mark(separator).join(str(item) for item in items)


def clauses(messages) -> str:
    """Whole messages (each a sentence ending in 。 or .) as one sentence: joined with ；, each one's full stop
    but the last dropped (“请填写A。；请填写B。” read as a typo); in English with "; "."""
    messages = [str(m) for m in messages]
    trimmed = [m[:-1] if m.endswith(("。", ".")) and i < len(messages) - 1 else m for i, m in enumerate(messages)]
    return listed(trimmed, "；")
