#!/usr/bin/env python3
"""Build the CJK fonts shipped in ``static/fonts/`` for the PDF documents.

Why: WeasyPrint subsets every font it embeds. With the system's Noto Sans CJK (CFF outlines, ~65,000
glyphs in a 19 MB collection) that subsetting costs ~12 s for a 2-page form. A font that is already
cut down to the characters the county's documents can contain, with TrueType (quadratic) outlines, is
subset in a fraction of a second, so a Chinese form costs about as much as a Latin one.

What it does, reproducibly (same inputs → byte-identical output; no timestamps, no network):

1. Character set = union of
   - 《通用规范汉字表》 (2013, 8,105 characters): ``scripts/fonts/tongyong_guifan_2013.txt``, one character
     a line in the table's order. The list was derived from the Unicode Character Database's Unihan
     field ``kTGH`` (Debian package ``unicode-data``, ``Unihan_OtherMappings.txt``); ``--refresh-list``
     regenerates it from there.
   - every character of GB 2312 (6,763 hanzi + 682 symbols, kana, Greek, Cyrillic, box drawing …),
     computed with Python's ``gb2312`` codec;
   - printable ASCII, Latin-1, general punctuation, CJK symbols and punctuation, full-width forms,
     enclosed numbers ①…⑳, Roman numerals, arrows, geometric shapes and ballot boxes (☐☑☒) where the
     source font has them;
   - every character in ``templates/documents/**`` and in the county's measures
     (``../shared/seed/*.txt`` when present), so the forms' own text is always covered;
   - 喆 堃 昇 and the other name characters in ``EXTRA`` below.
2. Source fonts: Debian's ``fonts-noto-cjk`` (Noto Sans/Serif CJK SC, SIL OFL 1.1), the SC face of each
   ``.ttc`` collection.
3. Subset with fontTools (layout features kept: ``kern``, ``palt``/``vert`` and friends; hinting and glyph
   names dropped), then convert the CFF outlines to TrueType quadratic outlines (cu2qu, max error
   1 unit of 1000), write ``static/fonts/<Name>-Subset.ttf`` and a coverage report next to it.

Run: ``apt-get install fonts-noto-cjk unicode-data`` (once), then
``.venv/bin/python scripts/build_font.py`` (fontTools ships with WeasyPrint). Only needed when the
character set or the source font changes: the built fonts are committed.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "scripts" / "fonts" / "tongyong_guifan_2013.txt"
OUT = ROOT / "static" / "fonts"
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
NOTO = Path("/usr/share/fonts/opentype/noto")

# (output family, source collection, family name of the face to take from it, output file, coverage)
# The regular face carries every character a record can hold ("full"). The bold face is for the forms'
# fixed labels and headings only ("labels": the templates' and the measures' own text plus ASCII and
# punctuation), which keeps it small; data is always set in the regular face (docs/documents.md).
FACES = [
    ("Qinshui Sans CJK", NOTO / "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "QinshuiSansCJK-Regular.ttf",
     "full"),
    ("Qinshui Sans CJK", NOTO / "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "QinshuiSansCJK-Bold.ttf",
     "labels"),
]

# Characters that must be there whatever the lists say: rare name characters people do have.
EXTRA = "喆堃昇玥珺琇瑄璟暐晟犇淼焱垚鑫森磊昊翀赟彧沄"

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (×, ÷, °, ·, ¥ …)
    (0x2010, 0x206F),  # general punctuation: — ‘ ’ “ ” … ‰ ※
    (0x2100, 0x218F),  # letterlike (℃ №) and Roman numerals Ⅰ…Ⅻ
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # maths operators (≤ ≥ ≈ √)
    (0x2460, 0x24FF),  # ①…⑳, ⑴…
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes: □ ■ ○ ● △
    (0x2600, 0x26FF),  # ☐ ☑ ☒ ★ ☆
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〈〉《》「」『』【】〔〕〇
    (0x3200, 0x32FF),  # enclosed CJK (㈠ …)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms: （），：；！？ ０-９ Ａ-Ｚ ￥
]


def tongyong_guifan() -> str:
    return "".join(line.strip() for line in LIST.read_text(encoding="utf-8").splitlines() if line.strip())


def refresh_list() -> None:
    rows = []
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as fh:
        for line in fh:
            if "\tkTGH\t" not in line:
                continue
            cp, _, value = line.rstrip("\n").split("\t")
            for item in value.split():
                year, number = item.split(":")
                if year == "2013":
                    rows.append((int(number), chr(int(cp[2:], 16))))
    rows.sort()
    if len(rows) != 8105 or len({c for _, c in rows}) != 8105:
        sys.exit(f"expected 8,105 kTGH entries, found {len(rows)}")
    LIST.parent.mkdir(parents=True, exist_ok=True)
    LIST.write_text("".join(c + "\n" for _, c in rows), encoding="utf-8")
    print(f"wrote {LIST.relative_to(ROOT)} ({len(rows)} characters)")


def gb2312() -> str:
    chars = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


def project_text() -> str:
    text = []
    for path in sorted((ROOT / "templates" / "documents").rglob("*")):
        if path.is_file() and path.suffix in {".html", ".css", ".txt"}:
            text.append(path.read_text(encoding="utf-8"))
    seed = ROOT.parent / "shared" / "seed"
    if seed.is_dir():
        for path in sorted(seed.glob("*.txt")):
            text.append(path.read_text(encoding="utf-8"))
    return "".join(text)


def wanted(coverage: str = "full") -> set[int]:
    text = project_text() if coverage == "labels" else tongyong_guifan() + gb2312() + EXTRA + project_text()
    cps = {ord(c) for c in text if c.isprintable() or c == " "}
    for lo, hi in RANGES:
        cps.update(range(lo, hi + 1))
    return cps


def is_hanzi(cp: int) -> bool:
    return 0x3400 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x3FFFF or 0xF900 <= cp <= 0xFAFF


def to_truetype(font: TTFont, max_err: float = 1.0) -> None:
    """Replace CFF outlines by quadratic glyf outlines (the fontTools otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and nothing needs them
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


def rename(font: TTFont, family: str, style: str) -> None:
    """A renamed subset (the OFL's Reserved Font Name rule does not apply to Noto, but a distinct name
    keeps it from shadowing the full system font in fontconfig)."""
    name = font["name"]
    full = f"{family} {style}" if style != "Regular" else family
    ps = f"{family.replace(' ', '')}-{style}"
    for record in list(name.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17):
            name.removeNames(nameID=record.nameID)
    for name_id, value in ((1, family), (2, style), (3, f"{ps};subset"), (4, full), (6, ps)):
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    if style == "Bold":
        font["OS/2"].usWeightClass = 700
        font["OS/2"].fsSelection = (font["OS/2"].fsSelection | 0x20) & ~0x40
        font["head"].macStyle |= 0x01


def face_index(path: Path, family: str) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == family:
            return index
    sys.exit(f"{family} not in {path}")


def build(family: str, source: Path, source_family: str, out_name: str, cps: set[int]) -> dict:
    index = face_index(source, source_family)
    font = TTFont(str(source), fontNumber=index, recalcTimestamp=False)
    cmap = font.getBestCmap()
    present = sorted(cp for cp in cps if cp in cmap)
    missing = sorted(cp for cp in cps if cp not in cmap)
    options = subset.Options()
    options.layout_features = ["kern", "liga", "palt", "halt", "vert", "vrt2", "vkna", "locl", "ccmp"]
    options.hinting = False
    options.glyph_names = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "BASE"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=present)
    subsetter.subset(font)
    to_truetype(font)
    style = "Bold" if "Bold" in out_name else "Regular"
    rename(font, family, style)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / out_name
    font.save(str(target))
    data = target.read_bytes()
    return {
        "file": out_name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "chars": len(present),
        "hanzi": sum(1 for cp in present if is_hanzi(cp)),
        "missing": missing,
    }


def font_cmap(path: Path) -> set[int]:
    return set(TTFont(str(path), lazy=True).getBestCmap())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refresh-list", action="store_true",
                        help="regenerate scripts/fonts/tongyong_guifan_2013.txt from Unihan kTGH first")
    args = parser.parse_args()
    if args.refresh_list:
        refresh_list()
    tg = {ord(c) for c in tongyong_guifan()}
    report = ["# Coverage of the shipped subset fonts (written by scripts/build_font.py)", ""]
    for family, source, source_family, out_name, coverage in FACES:
        info = build(family, source, source_family, out_name, wanted(coverage))
        shipped = font_cmap(OUT / out_name)
        tg_missing = sorted(cp for cp in tg if cp not in shipped)
        hanzi_missing = [cp for cp in info["missing"] if is_hanzi(cp)]
        report += [
            f"## {info['file']}",
            f"- source: {source.name} ({source_family}), SIL Open Font License 1.1",
            f"- size: {info['bytes']:,} bytes, sha256 {info['sha256']}",
            f"- characters: {info['chars']:,}, of which hanzi: {info['hanzi']:,}",
            f"- coverage: {coverage}"
            + (" (the templates' and the measures' own text, ASCII and punctuation: headings and labels)"
               if coverage == "labels" else " (通用规范汉字表 ∪ GB 2312 ∪ templates ∪ measures ∪ extra names)"),
            f"- 通用规范汉字表 covered: {len(tg) - len(tg_missing):,} / {len(tg):,}"
            + (f"; not in the source font (fall back to other fonts): "
               f"{' '.join(f'{chr(cp)} U+{cp:04X}' for cp in tg_missing)}"
               if tg_missing and coverage == "full" else ""),
            f"- wanted hanzi not in the source font: {len(hanzi_missing)}",
            "",
        ]
        print(f"{info['file']}: {info['bytes']:,} bytes, {info['chars']:,} chars ({info['hanzi']:,} hanzi), "
              f"通用规范 missing {len(tg_missing)}")
    (OUT / "COVERAGE.md").write_text("\n".join(report), encoding="utf-8")


if __name__ == "__main__":
    main()
