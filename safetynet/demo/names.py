"""Names for synthetic people: surnames weighted as in north-east China, given names by birth decade.

Mongolian-style names appear in the Mongol townships (哈吐气、莫莫格) and here and there elsewhere.
"""

from __future__ import annotations

import random

# (surname, weight): roughly the north-east's frequencies; 曾 and 单 read zeng/shan as surnames.
SURNAMES = [
    ("王", 95), ("李", 90), ("张", 85), ("刘", 80), ("赵", 40), ("孙", 35), ("杨", 33), ("于", 30),
    ("陈", 30), ("高", 26), ("徐", 22), ("姜", 22), ("马", 20), ("周", 20), ("吴", 18), ("郭", 17),
    ("朱", 15), ("韩", 15), ("宋", 14), ("曲", 12), ("林", 11), ("孟", 11), ("董", 11), ("田", 10),
    ("崔", 10), ("冯", 10), ("袁", 8), ("付", 8), ("何", 8), ("吕", 8), ("胡", 8), ("许", 8),
    ("曹", 7), ("邢", 7), ("魏", 7), ("贾", 6), ("常", 6), ("关", 6), ("丁", 6), ("苏", 6),
    ("石", 6), ("谭", 5), ("范", 5), ("邹", 5), ("程", 5), ("白", 5), ("侯", 5), ("金", 5),
    ("佟", 4), ("闫", 4), ("隋", 3), ("鲍", 3), ("包", 3), ("齐", 3), ("尹", 3), ("郝", 3),
    ("曾", 2), ("单", 2), ("车", 2), ("苗", 2),
]
MONGOL_SURNAMES = [("包", 30), ("白", 22), ("韩", 10), ("吴", 8), ("宝", 8), ("鲍", 8), ("那", 6), ("陈", 5)]
MONGOL_GIVEN = {
    "M": ["宝音", "那仁", "巴特尔", "额尔敦", "朝鲁", "孟和", "达来", "满都拉", "阿拉坦", "苏和", "布和",
          "巴图", "吉日嘎拉", "宝力道", "特木尔", "乌力吉", "那顺", "铁木尔", "胡日查", "额尔敦巴特尔"],
    "F": ["其其格", "乌日娜", "萨仁", "图雅", "斯琴", "苏日娜", "托娅", "娜仁花", "格日勒", "高娃", "乌兰",
          "阿拉坦其其格", "琪琪格", "塔娜", "萨日娜", "敖登"],
}
# Given names by the decade people were born in: what parents chose then.
GIVEN = {
    1930: {"M": ["福山", "德才", "玉林", "长海", "凤山", "宝山", "树林", "占山", "景福", "殿臣", "永和",
                 "广才", "庆祥", "万福", "玉堂", "连生", "春生", "德胜", "文举", "洪恩"],
           "F": ["秀兰", "桂兰", "淑珍", "玉兰", "凤兰", "秀英", "桂芝", "淑芬", "玉珍", "凤芝", "秀珍",
                 "桂荣", "玉梅", "淑华", "秀云", "素芳", "翠兰", "桂琴"]},
    1955: {"M": ["建国", "国庆", "振华", "建军", "志刚", "洪军", "卫国", "国华", "保国", "立新", "跃进",
                 "长青", "永林", "国富", "春林", "玉山", "海山", "德明", "广林", "树春"],
           "F": ["淑梅", "凤霞", "秀梅", "玉霞", "丽华", "桂香", "秀芝", "玉芹", "春兰", "凤琴", "亚芬",
                 "淑清", "桂华", "秀娟", "淑云", "玉凤", "金凤", "春华"]},
    1970: {"M": ["海军", "志强", "建华", "永军", "卫东", "红军", "晓东", "宏伟", "春雷", "铁军", "长春",
                 "伟", "军", "勇", "刚", "强", "海涛", "立军", "向东", "文斌"],
           "F": ["丽", "艳", "红", "春梅", "艳华", "晓红", "玉红", "红梅", "海燕", "丽娟", "美玲", "丽萍",
                 "艳红", "秀丽", "春艳", "凤英", "晓梅", "淑娟"]},
    1985: {"M": ["鹏", "浩", "磊", "超", "宇", "帅", "伟", "明", "亮", "鑫", "博", "旭", "佳明", "志远",
                 "海龙", "振宇", "晓光", "东旭", "大伟", "建新"],
           "F": ["静", "婷", "雪", "丹", "佳", "琳", "爽", "倩", "莹", "慧", "晶晶", "欣", "佳慧", "丽丽",
                 "秀秀", "红艳", "小雪", "冬梅"]},
    2005: {"M": ["子轩", "浩宇", "宇轩", "一鸣", "皓轩", "俊熙", "天佑", "铭泽", "宇泽", "博文", "子墨",
                 "浩然", "梓豪", "嘉懿", "思远", "奕辰", "明哲", "宇航", "锦程", "俊杰"],
           "F": ["梓涵", "欣怡", "一诺", "诗涵", "雨桐", "可馨", "语桐", "紫萱", "思雨", "梦琪", "雨欣",
                 "佳怡", "若汐", "子萱", "欣妍", "诗琪", "梓萱", "思彤"]},
}
_SURNAME_LIST = [s for s, _ in SURNAMES]
_SURNAME_WEIGHTS = [w for _, w in SURNAMES]
_MONGOL_LIST = [s for s, _ in MONGOL_SURNAMES]
_MONGOL_WEIGHTS = [w for _, w in MONGOL_SURNAMES]


def surname(rng: random.Random, *, mongol: bool = False) -> str:
    if mongol:
        return rng.choices(_MONGOL_LIST, _MONGOL_WEIGHTS)[0]
    return rng.choices(_SURNAME_LIST, _SURNAME_WEIGHTS)[0]


def given_name(rng: random.Random, sex: str, birth_year: int, *, mongol: bool = False) -> str:
    if mongol and rng.random() < 0.7:
        return rng.choice(MONGOL_GIVEN[sex])
    decade = max((d for d in GIVEN if d <= birth_year), default=1930)
    return rng.choice(GIVEN[decade][sex])


def full_name(rng: random.Random, family: str, sex: str, birth_year: int, *, mongol: bool = False) -> str:
    """Surname + given name; some Mongol names are used without a Chinese surname (e.g. 巴特尔)."""
    given = given_name(rng, sex, birth_year, mongol=mongol)
    if mongol and len(given) >= 3 and rng.random() < 0.5:
        return given
    return family + given
