"""``address(name, *numbers)``: ``reverse(name, args=numbers)`` for the addresses that take whole numbers (a primary
key, a year), the pattern reversed once a process per URL configuration and script prefix and the numbers put in.
Django's ``reverse`` matches its candidates anew on every call (~25 µs); a page links many objects through their
``get_absolute_url``. What is kept depends on the code alone (the URL configuration), like a compiled template."""

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_MARKS = tuple(str(987654321000 + i) for i in range(4))  # numbers no address holds otherwise
_patterns: dict[tuple, str | None] = {}


def _pattern(name: str, count: int, urlconf=None, prefix: str | None = None) -> str | None:
    """The address of ``name`` with ``count`` numbers as marks, kept per URL configuration and script prefix (the
    current ones unless given), or None: not reversible so (reversed every time, or no such address)."""
    key = (name, count, get_urlconf() if prefix is None else urlconf, get_script_prefix() if prefix is None else prefix)
    try:
        return _patterns[key]
    except KeyError:
        try:
            pattern = reverse(name, args=[int(mark) for mark in _MARKS[:count]]) if count <= len(_MARKS) else None
        except NoReverseMatch:  # a converter refusing the marks (a year of four digits): reversed every time
            pattern = None
        _patterns[key] = pattern
        return pattern


def known_address(name: str, urlconf, prefix: str) -> str | None:
    """The address of ``name`` (no numbers), or None where the URL configuration has none: the menu, whose entries
    come from the apps installed, asks for a dozen on every page, and looks the current URL configuration and
    script prefix (``urlconf``, ``prefix``) up once for all of them."""
    return _pattern(name, 0, urlconf, prefix)


def address(name: str, *numbers: int) -> str:
    pattern = _pattern(name, len(numbers))
    if pattern is None:
        return reverse(name, args=numbers)
    for mark, number in zip(_MARKS, numbers, strict=False):
        pattern = pattern.replace(mark, str(int(number)))
    return pattern


def addresses(name: str, ids) -> dict[int, str]:
    """``address(name, pk)`` for many pks (a list's links, a bulk notification's), the pattern looked up once."""
    pattern = _pattern(name, 1)
    if pattern is None:
        return {pk: reverse(name, args=[pk]) for pk in ids}
    return {pk: pattern.replace(_MARKS[0], str(int(pk))) for pk in ids}
