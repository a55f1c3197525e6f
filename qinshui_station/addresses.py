"""``address(name, *numbers)``: ``reverse(name, args=numbers)`` for the addresses that take whole numbers (a primary
key, a year), the pattern reversed once a process per URL configuration and script prefix and the numbers put in.
Django's ``reverse`` matches its candidates anew on every call (~25 µs); a page links many objects through their
``get_absolute_url``. What is kept depends on the code alone (the URL configuration), like a compiled template."""

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_MARKS = tuple(str(987654321000 + i) for i in range(4))  # numbers no address holds otherwise
_patterns: dict[tuple, str | None] = {}


def address(name: str, *numbers: int) -> str:
    key = (name, len(numbers), get_urlconf(), get_script_prefix())
    try:
        pattern = _patterns[key]
    except KeyError:
        try:
            pattern = reverse(name, args=[int(mark) for mark in _MARKS[:len(numbers)]])
        except NoReverseMatch:  # a converter refusing the marks (a year of four digits): reversed every time
            pattern = None
        _patterns[key] = pattern
    if pattern is None or len(numbers) > len(_MARKS):
        return reverse(name, args=numbers)
    for mark, number in zip(_MARKS, numbers, strict=False):
        pattern = pattern.replace(mark, str(int(number)))
    return pattern
