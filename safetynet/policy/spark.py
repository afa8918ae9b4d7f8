"""Screening on Apache Spark: the very `assess_frame` applied to each partition through Arrow.

Spark reads and partitions the roster by household; each partition is handed, as Arrow record
batches, to `assess_frame`, the function `assess()` and the embedded screening use. No rule is
written twice. The three roster frames travel as one long frame: a `kind` column says which frame
a row belongs to, and every other column carries its frame's prefix (h_, m_, o_), so a household's
rows stay together under one `hh_key` whatever Spark does with them.

Imports nothing but pyspark, polars, pyarrow and the policy modules (no Django).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator

import polars as pl
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

from safetynet.policy.engine import Assessed, assess_frame
from safetynet.policy.params import ParameterSet, default_parameters
from safetynet.policy.roster import ROSTER_SCHEMA, Roster

ROSTER_PREFIX = {"households": "h_", "members": "m_", "obligor_supports": "o_"}
RESULT_PREFIX = {"households": "h_", "members": "m_"}
KEY = "hh_key"


LOG4J = "rootLogger.level = error\nrootLogger.appenderRef.stderr.ref = console\n" \
        "appender.console.type = Console\nappender.console.name = console\nappender.console.target = SYSTEM_ERR\n" \
        "appender.console.layout.type = PatternLayout\nappender.console.layout.pattern = %d{HH:mm:ss} %p %c: %m%n\n"


def _log4j_file() -> str:
    """Spark's own logging, errors only (its default profile chats at WARN on every start)."""
    path = os.path.join(tempfile.gettempdir(), "safetynet-spark-log4j2.properties")
    with open(path, "w", encoding="utf-8") as out:
        out.write(LOG4J)
    return path


def local_session(*, cores: int = 2, app: str = "safetynet-screening") -> SparkSession:
    """A quiet local Spark (no UI, no network) on this machine's Java, its workers on this Python."""
    if shutil.which("java") is None:
        raise RuntimeError("Spark 需要 Java 17：apt-get install openjdk-17-jre-headless")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    quiet = f"-Dlog4j2.configurationFile=file:{_log4j_file()}"
    session = (SparkSession.builder.master(f"local[{cores}]").appName(app)
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(cores * 2))
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.extraJavaOptions", quiet)
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    logging.getLogger("py4j").setLevel(logging.WARNING)  # its INFO lines outlive the test's captured streams
    return session


# --- packing the roster into one long frame and back -------------------------------------------------


def packed_schema(prefixes: dict[str, str], schemas: dict[str, dict[str, pl.DataType]]) -> dict[str, pl.DataType]:
    columns: dict[str, pl.DataType] = {"kind": pl.Int8(), KEY: pl.Int64()}
    for table, schema in schemas.items():
        columns.update({prefixes[table] + c: t for c, t in schema.items() if c != KEY})
    return columns


def pack(frames: dict[str, pl.DataFrame], prefixes: dict[str, str]) -> pl.DataFrame:
    """One long frame: `kind` (the frame's index in `prefixes`), hh_key, and each frame's own columns."""
    schema = packed_schema(prefixes, {t: dict(f.schema) for t, f in frames.items()})
    parts = [frame.rename({c: prefixes[table] + c for c in frame.columns if c != KEY})
             .with_columns(kind=pl.lit(kind, pl.Int8)) for kind, (table, frame) in enumerate(frames.items())]
    return pl.concat(parts, how="diagonal").select([pl.col(c).cast(t) for c, t in schema.items()])


def unpack(packed: pl.DataFrame, prefixes: dict[str, str]) -> dict[str, pl.DataFrame]:
    out = {}
    for kind, (table, prefix) in enumerate(prefixes.items()):
        own = [c for c in packed.columns if c.startswith(prefix)]
        rows = packed.filter(pl.col("kind") == kind).select(KEY, *own)
        out[table] = rows.rename({c: c[len(prefix):] for c in own})
    return out


def roster_pack(roster: Roster) -> pl.DataFrame:
    return pack({t: getattr(roster, t) for t in ROSTER_SCHEMA}, ROSTER_PREFIX)


def roster_unpack(packed: pl.DataFrame) -> Roster:
    frames = unpack(packed, ROSTER_PREFIX)
    return Roster(**{t: frames[t].select(list(ROSTER_SCHEMA[t])) for t in ROSTER_SCHEMA}).cast()


# --- the partition function -----------------------------------------------------------------------


def _assessed_frames(assessed: Assessed) -> dict[str, pl.DataFrame]:
    return {"households": assessed.households, "members": assessed.members}


def result_schema(on: dt.date, params: ParameterSet) -> pa.Schema:
    """The packed result's Arrow schema, from assessing an empty roster (so it follows the engine)."""
    empty = Roster(*(pl.DataFrame(schema=s) for s in ROSTER_SCHEMA.values()))
    frames = _assessed_frames(assess_frame(empty, on, params))
    packed = pack(frames, RESULT_PREFIX)
    return to_arrow_schema(from_arrow_schema(packed.to_arrow(compat_level=pl.CompatLevel.oldest()).schema))


def partition_assessor(on: dt.date, params: ParameterSet, schema: pa.Schema
                       ) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function Spark runs on each partition: Arrow batches in, assessed Arrow batches out."""

    def assess_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        received = [batch for batch in batches if batch.num_rows]
        if not received:  # a partition no household was hashed to
            return
        roster = roster_unpack(pl.from_arrow(pa.Table.from_batches(received)))
        packed = pack(_assessed_frames(assess_frame(roster, on, params)), RESULT_PREFIX)
        yield from packed.to_arrow(compat_level=pl.CompatLevel.oldest()).cast(schema).to_batches()

    return assess_partition


def spark_assess(roster: DataFrame, *, on: dt.date, params: ParameterSet | None = None,
                 partitions: int | None = None) -> DataFrame:
    """Assess a packed roster (see `roster_pack` / `spark_roster`) on Spark; a packed result comes back.

    Spark partitions by hh_key, so every household arrives whole in one partition.
    """
    params = params or default_parameters()
    schema = result_schema(on, params)
    spread = roster.repartition(partitions, KEY) if partitions else roster.repartition(KEY)
    return spread.mapInArrow(partition_assessor(on, params, schema), from_arrow_schema(schema))


def spark_roster(spark: SparkSession, directory: str) -> DataFrame:
    """A Parquet roster (households/members/obligor_supports.parquet) read by Spark, packed."""
    parts = []
    for kind, (table, prefix) in enumerate(ROSTER_PREFIX.items()):
        frame = spark.read.parquet(os.path.join(directory, f"{table}.parquet"))
        renamed = frame.select(KEY, *(frame[c].alias(prefix + c) for c in ROSTER_SCHEMA[table] if c != KEY))
        parts.append(renamed.selectExpr(f"CAST({kind} AS TINYINT) AS kind", "*"))
    packed = parts[0]
    for part in parts[1:]:
        packed = packed.unionByName(part, allowMissingColumns=True)
    return packed


def spark_collect(result: DataFrame) -> dict[str, pl.DataFrame]:
    """The packed result back on the driver as the assessed households and members, sorted by key."""
    frames = unpack(pl.from_arrow(result.toArrow()), RESULT_PREFIX)
    return {"households": frames["households"].sort(KEY),
            "members": frames["members"].sort(KEY, "member_no")}
