"""Checking every row of a feed against its source spec, column by column over the whole table (polars).

The result is the rows as facts (kind, ID number, date, values as JSON, row_key) and a problem list with
the file's row number, the column header, the value, what is wrong and how to fix it. Messages for the
(few) bad ID numbers come from `core.idnumber`, so they read the same as everywhere else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from safetynet.core.idnumber import InvalidIdNumber, parse_id_number
from safetynet.feeds.reading import ROW, Table
from safetynet.feeds.spec import KIND_FIELD, Column, SourceSpec

PROBLEM_SCHEMA = {"row": pl.Int64, "header": pl.Utf8, "value": pl.Utf8, "problem": pl.Utf8, "fix": pl.Utf8}
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")
MAX_TEXT = 200
_PROBLEM, _FIX = "__problem ", "__fix "  # names of the check columns, beside each value

MISSING_COLUMN = ("缺少列“{header}”", "按模板在第1行加上“{header}”列（列名须一字不差）")
UNKNOWN_COLUMN = ("列名“{header}”不是本数据来源的列", "删除该列，或改为模板中的列名：{known}")
DUPLICATE_COLUMN = ("列“{header}”出现了不止一次", "只保留一列“{header}”")
REQUIRED = ("必填项为空", "填写“{header}”")
REQUIRED_FOR_KIND = ("数据类型为“{code}”时必须填写", "填写“{header}”")
BAD_DATE = ("不是有效日期", "按“2025-03-31”的格式填写日期")
FUTURE_DATE = ("日期晚于今天", "核对日期，不能填写将来的日期")
OLD_DATE = ("日期早于1900年", "核对日期")
BAD_AMOUNT = ("不是有效金额", "填写不带单位的数字，最多两位小数，如 12345.67")
NEGATIVE_AMOUNT = ("金额不能为负数", "填写0或正数")
BAD_CODE = ("不是可选的值", "填写以下之一：{codes}")
TOO_LONG = (f"内容超过{MAX_TEXT}个字", "缩短内容")
ID_FIX = "核对证件，填写18位公民身份号码（末位X大写）"


@dataclass
class Validation:
    facts: pl.DataFrame  # ROW, kind, id_number, occurred_on (Date), values (JSON text), row_key
    problems: pl.DataFrame  # PROBLEM_SCHEMA

    @property
    def invalid_rows(self) -> int:
        return self.problems.filter(pl.col("row") > 1)["row"].n_unique() if len(self.problems) else 0


def feed_validate(table: Table, spec: SourceSpec, *, today: date) -> Validation:
    """Check the headers, then every cell; facts are built only from a table whose headers are right."""
    base = pl.DataFrame([(p.row, p.header, p.value, p.problem, p.fix) for p in table.problems],
                        schema=PROBLEM_SCHEMA, orient="row")
    header_problems = _header_problems(table.frame.columns, spec)
    if len(header_problems):
        return Validation(facts=pl.DataFrame(), problems=pl.concat([header_problems, base]))
    present = [c for c in spec.columns if c.header in table.frame.columns]
    checks = []
    for column in present:
        value, error, fix = _check(column, pl.col(column.header), spec, today)
        checks += [value.alias(column.field), error.alias(_PROBLEM + column.field), fix.alias(_FIX + column.field)]
    # every column's value, problem and fix in one lazy pass: polars computes each shared part (a parsed
    # date, an amount's pattern) once and the columns in parallel
    frame = table.frame.lazy().with_columns(checks).collect()
    problem_frames = [base, *(_problems(frame, column) for column in present)]
    frame = frame.drop([n for n in frame.columns if n.startswith((_PROBLEM, _FIX))])
    if spec.kind_column is None:
        frame = frame.with_columns(pl.lit(spec.kinds[0].kind).alias(KIND_FIELD))
    problem_frames.append(_id_problems(frame, spec, today))
    problem_frames.append(_required_for_kind(frame, spec))
    problems = pl.concat(problem_frames).sort("row", maintain_order=True)
    return Validation(facts=_facts(frame, spec), problems=problems)


def _header_problems(headers: list[str], spec: SourceSpec) -> pl.DataFrame:
    present = [h for h in headers if h != ROW]
    known = [c.header for c in spec.columns]
    needed = {c.header for c in spec.columns if c.required or c.type == "kind"
              or any(c.field in k.values for k in spec.kinds)}
    rows = []
    for header in present:
        base = header.rsplit("__", 1)[0]
        if base in known and base != header:
            problem, fix = DUPLICATE_COLUMN
        elif header not in known:
            problem, fix = UNKNOWN_COLUMN
        else:
            continue
        rows.append((1, base, base, problem.format(header=base), fix.format(header=base, known="、".join(known))))
    for header in known:
        if header in needed and header not in present:
            rows.append((1, header, "", MISSING_COLUMN[0].format(header=header), MISSING_COLUMN[1].format(header=header)))
    return pl.DataFrame(rows, schema=PROBLEM_SCHEMA, orient="row")


def _check(column: Column, raw: pl.Expr, spec: SourceSpec, today: date) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(normalised value, error message or null, how to fix it) for one column."""
    none = pl.lit(None, dtype=pl.Utf8)
    required = pl.lit(column.required) & raw.is_null()
    if column.type == "id_number":
        value, error, fix = raw.str.to_uppercase(), none, none  # checked as a whole in _id_problems
    elif column.type == "date":
        value, error, fix = _date(raw, today)
    elif column.type == "amount":
        value, error, fix = _amount(raw)
    elif column.type in ("code", "kind"):
        value, error, fix = _code(raw, column, spec)
    else:
        value = raw
        error = pl.when(raw.str.len_chars() > MAX_TEXT).then(pl.lit(TOO_LONG[0])).otherwise(none)
        fix = pl.lit(TOO_LONG[1])
    error = pl.when(required).then(pl.lit(REQUIRED[0])).otherwise(error)
    fix = pl.when(required).then(pl.lit(REQUIRED[1].format(header=column.header))).otherwise(fix)
    return value, error, fix


def _date(raw: pl.Expr, today: date) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    text = raw.str.slice(0, 10)
    value = pl.coalesce([text.str.to_date(f, strict=False) for f in _DATE_FORMATS])
    error = (pl.when(raw.is_not_null() & value.is_null()).then(pl.lit(BAD_DATE[0]))
             .when(value > pl.lit(today)).then(pl.lit(FUTURE_DATE[0]))
             .when(value < pl.lit(date(1900, 1, 1))).then(pl.lit(OLD_DATE[0])))
    fix = (pl.when(value.is_null()).then(pl.lit(BAD_DATE[1]))
           .when(value > pl.lit(today)).then(pl.lit(FUTURE_DATE[1])).otherwise(pl.lit(OLD_DATE[1])))
    return value, error, fix


def _amount(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    text = raw.str.replace_all(",", "", literal=True)
    shaped = text.str.contains(r"^\d{1,12}(\.\d{1,2})?$")
    negative = text.str.contains(r"^-\d")
    whole = text.str.extract(r"^(\d+)", 1).cast(pl.Int64, strict=False).cast(pl.Utf8)
    cents = text.str.extract(r"\.(\d+)$", 1).fill_null("").str.pad_end(2, "0")
    value = pl.when(shaped).then(pl.concat_str([whole, pl.lit("."), cents]))
    error = (pl.when(raw.is_not_null() & negative).then(pl.lit(NEGATIVE_AMOUNT[0]))
             .when(raw.is_not_null() & ~shaped).then(pl.lit(BAD_AMOUNT[0])))
    fix = pl.when(negative).then(pl.lit(NEGATIVE_AMOUNT[1])).otherwise(pl.lit(BAD_AMOUNT[1]))
    return value, error, fix


def _code(raw: pl.Expr, column: Column, spec: SourceSpec) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    codes = spec.kind_codes() if column.type == "kind" else column.codes
    accepted = {**{str(v): v for v in codes.values() if isinstance(v, str)}, **codes}
    sample = next(iter(codes.values()))
    dtype = pl.Boolean if isinstance(sample, bool) else pl.Int64 if isinstance(sample, int) else pl.Utf8
    value = raw.replace_strict(accepted, default=None, return_dtype=dtype)
    error = pl.when(raw.is_not_null() & value.is_null()).then(pl.lit(BAD_CODE[0]))
    return value, error, pl.lit(BAD_CODE[1].format(codes="、".join(codes)))


def _problems(frame: pl.DataFrame, column: Column) -> pl.DataFrame:
    problem = pl.col(_PROBLEM + column.field)
    return frame.filter(problem.is_not_null()).select(
        pl.col(ROW).alias("row"), pl.lit(column.header).alias("header"),
        pl.col(column.header).fill_null("").alias("value"), problem.alias("problem"),
        pl.col(_FIX + column.field).alias("fix"))


def _id_problems(frame: pl.DataFrame, spec: SourceSpec, today: date) -> pl.DataFrame:
    """Shape, check digit and birth date over the whole column; the wording for the bad ones from core.idnumber."""
    number = frame["id_number"]
    shaped = number.str.contains(r"^[1-9]\d{16}[\dX]$").fill_null(False)
    # the first 17 digits as one integer (< 10^17), its digits by numpy divmod: far cheaper than 17
    # one-character string slices per row (polars' own integer division is slower still)
    rest = number.str.slice(0, 17).str.to_integer(strict=False).fill_null(0).to_numpy()
    total = np.zeros(len(rest), dtype=np.int64)
    for weight in reversed(_WEIGHTS):
        rest, digit = np.divmod(rest, 10)
        total += digit * weight
    expected = pl.Series(list(_CHECK_CHARACTERS)).gather(total % 11)
    born = number.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    good = (shaped & (number.str.slice(17, 1) == expected) & born.is_not_null() & (born <= today)
            & (born.dt.year() >= 1890)).fill_null(False)
    suspects = frame.filter(number.is_not_null() & ~good).select(ROW, "id_number")
    rows = []
    for row, value in suspects.iter_rows():  # few: the message for each from core.idnumber
        try:
            parse_id_number(value, today=today)
        except InvalidIdNumber as error:
            rows.append((row, spec.column("id_number").header, value, str(error), ID_FIX))
    return pl.DataFrame(rows, schema=PROBLEM_SCHEMA, orient="row")


def _required_for_kind(frame: pl.DataFrame, spec: SourceSpec) -> pl.DataFrame:
    parts = []
    for kind in spec.kinds:
        for name in kind.values:
            column = spec.column(name)
            if column.required or column.optional:
                continue
            parts.append(frame.filter((pl.col(KIND_FIELD) == kind.kind) & pl.col(name).is_null()
                                      & pl.col(column.header).is_null()).select(
                pl.col(ROW).alias("row"), pl.lit(column.header).alias("header"), pl.lit("").alias("value"),
                pl.lit(REQUIRED_FOR_KIND[0].format(code=kind.code)).alias("problem"),
                pl.lit(REQUIRED_FOR_KIND[1].format(header=column.header)).alias("fix")))
    return pl.concat(parts) if parts else pl.DataFrame(schema=PROBLEM_SCHEMA)


def _facts(frame: pl.DataFrame, spec: SourceSpec) -> pl.DataFrame:
    """One fact per row: its values as sorted JSON, and row_key = sha256(source|kind|id|date|values)[:32]."""
    values = pl.lit("{}")
    for kind in spec.kinds:
        if kind.values:
            as_json = pl.struct([pl.col(v) for v in sorted(kind.values)]).struct.json_encode()
            values = pl.when(pl.col(KIND_FIELD) == kind.kind).then(as_json).otherwise(values)
    facts = frame.select(
        pl.col(ROW), pl.col(KIND_FIELD).alias("kind"), pl.col("id_number"), pl.col("occurred_on"),
        values.alias("values"),
    )
    key_text = pl.concat_str([pl.lit(spec.source), pl.col("kind"), pl.col("id_number"),
                              pl.col("occurred_on").cast(pl.Utf8), pl.col("values")], separator="|")
    texts = facts.select(key_text.fill_null("").cast(pl.Binary)).to_series().to_list()  # UTF-8 bytes, no encode()
    # the first 128 bits of the SHA-256 (32 hex digits): ample against collisions, and a smaller unique index to
    # insert into (~0.5 s of a million-row write); ~0.5 µs a row: hashlib has no batch call
    keys = [hashlib.sha256(t).hexdigest()[:32] for t in texts]
    return facts.with_columns(pl.Series("row_key", keys, dtype=pl.Utf8))
