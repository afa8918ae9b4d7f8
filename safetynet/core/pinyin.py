"""Pinyin of Chinese names for search (e.g. `wjg` finds 王建国) and sorting."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# pypinyin reads characters by their most common sound; as surnames some read differently.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "区": "ou", "朴": "piao",
    "尉": "yu", "种": "chong", "盖": "ge", "乐": "yue", "覃": "qin", "翟": "zhai", "缪": "miao",
    "召": "shao", "尹": "yin", "万": "wan", "沈": "shen", "柏": "bai", "秘": "bi", "长": "chang",
}


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) in lower case without tones, e.g. ("wangjianguo", "wjg")."""
    name = name.strip()
    if not name:
        return "", ""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: list(chars.lower()))
    if name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    syllables = [s for s in syllables if s.strip() and s not in {"·", "•"}]
    return "".join(syllables), "".join(s[0] for s in syllables)
