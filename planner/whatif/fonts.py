"""A font that draws Chinese in matplotlib charts, on any machine.

The repository ships a subset of Noto Sans SC (SIL Open Font License, see
``planner/whatif/fonts/``), registered with matplotlib and put first in the font family
list; Chinese system fonts, where a machine has any, follow for characters the subset
lacks, then DejaVu Sans.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

#: The shipped font file.
FONT_FILE = Path(__file__).parent / "fonts" / "NotoSansSCSubset-Regular.otf"

#: Family names of common Chinese system fonts, tried after the shipped one.
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
)


@cache
def font_families() -> list[str]:
    """The font family list for charts: shipped subset, system Chinese fonts, DejaVu Sans."""
    from matplotlib import font_manager

    families = []
    if FONT_FILE.is_file():
        font_manager.fontManager.addfont(str(FONT_FILE))
        families.append(font_manager.FontProperties(fname=str(FONT_FILE)).get_name())
    installed = {f.name for f in font_manager.fontManager.ttflist}
    families += [name for name in SYSTEM_CJK_FAMILIES if name in installed]
    families.append("DejaVu Sans")
    return families


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that neither the shipped font nor DejaVu Sans can draw."""
    covered = _covered()
    return {ch for ch in text if not ch.isspace() and ord(ch) not in covered}


@cache
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    codes: set[int] = set()
    paths = [str(FONT_FILE)] if FONT_FILE.is_file() else []
    paths.append(font_manager.findfont("DejaVu Sans"))
    for path in paths:
        with TTFont(path, lazy=True) as font:
            codes.update(font.getBestCmap())
    return frozenset(codes)
