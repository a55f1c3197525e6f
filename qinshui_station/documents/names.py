"""Download names that keep their whole meaning on every system.

A unit may be named "沁水县A/B<精密>有限公司". A browser cuts a download's name at a path separator and
replaces or drops the characters Windows forbids, so "申报表-沁水县A/B<精密>有限公司-数控车工.pdf" arrived as
"B<精密>有限公司-数控车工.pdf" or worse. Each unsafe character becomes its full-width twin (which reads the
same and is allowed everywhere); control characters go; the extension stays.
"""

from __future__ import annotations

import unicodedata

# Path separators and the characters Windows refuses in a file name, and their full-width twins.
UNSAFE = str.maketrans({"/": "／", "\\": "＼", "<": "＜", ">": "＞", ":": "：", '"': "＂", "|": "｜", "?": "？",
                        "*": "＊"})
MAX_LENGTH = 150  # characters; the extension is kept whole


def download_name(name: str) -> str:
    """``name`` safe to offer as a download's file name."""
    cleaned = "".join(c for c in (name or "") if unicodedata.category(c)[0] != "C").translate(UNSAFE)
    cleaned = " ".join(cleaned.split()).strip(" .") or "download"
    stem, dot, ext = cleaned.rpartition(".")
    if not dot or not (1 <= len(ext) <= 5):
        stem, ext = cleaned, ""
    stem = stem.strip(" .")[: MAX_LENGTH - len(ext) - 1] or "download"
    return f"{stem}.{ext}" if ext else stem
