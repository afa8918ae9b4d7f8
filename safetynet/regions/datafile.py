"""The region tree file (regions/data/220821.yaml): read and validate, no database.

Every error names the line and the entry, in Chinese, so whoever edits the file can fix it;
all errors are collected before anything is refused, and nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "220821.yaml"
LEVELS = ("county", "township", "village", "grid")
CODE_LENGTHS = {"county": 6, "township": 9, "village": 12, "grid": 15}
LEVEL_NAMES = {"county": "县", "township": "乡镇/街道", "village": "村/社区", "grid": "网格"}
_KEYS = {"code", "name", "urban", "demo", "children"}
_LINE = "__line__"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent: str | None
    urban: bool = False
    is_demo: bool = False


class RegionFileInvalid(ValueError):
    def __init__(self, path: Path, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"区划文件 {path} 有 {len(errors)} 处错误，未写入任何区划：\n" + "\n".join(errors))


class _LineLoader(yaml.SafeLoader):
    """Remembers the line of every mapping, so errors can point at it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


class _Reader:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.rows: list[RegionRow] = []
        self.seen: dict[str, int] = {}

    def fail(self, line: int, label: str, message: str) -> None:
        self.errors.append(f"第{line}行（{label}）：{message}")

    def entry(self, data: Any, level: str, parent: RegionRow | None, line: int) -> None:
        if not isinstance(data, dict):
            self.fail(line, LEVEL_NAMES[level], "应为含 code、name 的条目")
            return
        line = data.get(_LINE, line)
        code = self.code(data, level, parent, line)
        name = data.get("name")
        label = f"{code or '?'} {name if isinstance(name, str) else ''}".strip()
        if not isinstance(name, str) or not name.strip():
            self.fail(line, label, "名称（name）不能为空")
        unknown = sorted(str(k) for k in data if k not in _KEYS and k != _LINE)
        if unknown:
            self.fail(line, label, f"未知字段 {'、'.join(unknown)}；允许的字段：code、name、urban、demo、children")
        flags = {key: data.get(key, False) for key in ("urban", "demo")}
        for key, value in flags.items():
            if not isinstance(value, bool):
                self.fail(line, label, f"{key} 应为 true 或 false")
        row = RegionRow(code=code, name=str(name or "").strip(), level=level,
                        parent=parent.code if parent else None,
                        urban=flags["urban"] is True or (level == "grid" and parent is not None and parent.urban),
                        is_demo=flags["demo"] is True)
        self.rows.append(row)
        self.children(data.get("children"), level, row, line, label)

    def code(self, data: dict[str, Any], level: str, parent: RegionRow | None, line: int) -> str:
        raw = data.get("code")
        code = str(raw) if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
        label = f"{code or '?'} {data.get('name') or ''}".strip()
        length = CODE_LENGTHS[level]
        if not (code.isdigit() and len(code) == length):
            self.fail(line, label, f"{LEVEL_NAMES[level]}的区划代码应为{length}位数字，当前为“{raw}”")
        elif parent is not None and not code.startswith(parent.code):
            self.fail(line, label, f"代码{code}不在上级 {parent.code} {parent.name} 之下（应以 {parent.code} 开头）")
        if code and code in self.seen:
            self.fail(line, label, f"代码{code}与第{self.seen[code]}行重复")
        elif code:
            self.seen[code] = line
        return code

    def children(self, items: Any, level: str, row: RegionRow, line: int, label: str) -> None:
        if items is None:
            return
        below = LEVELS.index(level) + 1
        if below == len(LEVELS):
            self.fail(line, label, "网格之下不能再有下级（children）")
            return
        if not isinstance(items, list):
            self.fail(line, label, "children 应为列表")
            return
        for item in items:
            self.entry(item, LEVELS[below], row, line)


def read_region_file(path: Path | str = DEFAULT_FILE) -> list[RegionRow]:
    """All regions of the file, parents before children; RegionFileInvalid lists every error."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # a SafeLoader subclass
    except OSError as error:
        raise RegionFileInvalid(path, [f"无法读取文件：{error.strerror}"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else "文件"
        raise RegionFileInvalid(path, [f"{where}：YAML 格式错误（{getattr(error, 'problem', error)}）"]) from None
    reader = _Reader()
    reader.entry(data, "county", None, 1)
    if reader.errors:
        raise RegionFileInvalid(path, reader.errors)
    return reader.rows
