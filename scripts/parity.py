#!/usr/bin/env python3
"""Compare a warehouse built on DuckDB with the same project built on Spark, row by row.

    python scripts/parity.py --duckdb warehouse/usage_health.duckdb --spark-dir warehouse/spark

Every table of the compared schemas in the DuckDB file must exist on Spark with the same columns
and the same rows. The Spark side is read from its Parquet files (local Spark keeps table
`<schema>.<name>` under `<spark-dir>/tables/<schema>.db/<name>/`), so the comparison needs no
Spark session. Rows are matched after sorting both sides on every column (numbers rounded to
the tolerance's scale for the sort only). Text, dates, timestamps and booleans must be equal;
numbers equal within `--tolerance` (absolute, or relative to the larger value), because the two
engines may sum doubles in a different order. Exits 1 and prints the first differences of each
relation that differs.
"""
from __future__ import annotations

import argparse
import decimal
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# The relations users read: the marts, the semantic layer, and the landing's quarantine and
# reconciliation. `--schemas` can add the others (intermediate, staging, config).
PUBLIC_SCHEMAS = ("marts", "semantic")
PUBLIC_STAGING = ("stg_landing__quarantine", "stg_landing__reconciliation", "stg_landing__files")
TOLERANCE = 1e-9
NUMERIC_PREFIXES = ("DOUBLE", "FLOAT", "DECIMAL", "REAL", "HUGEINT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT")


@dataclass
class RelationDiff:
    name: str
    rows: int = 0
    problems: list[str] = field(default_factory=list)


def spark_table_path(spark_dir: Path, schema: str, table: str) -> Path:
    return spark_dir / "tables" / f"{schema}.db" / table


def duckdb_relations(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...], extra: tuple[str, ...]) -> list[tuple[str, str]]:
    listed = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = 'duck' "
        "order by schema_name, table_name"
    ).fetchall()
    return [(s, t) for s, t in listed if s in schemas or t in extra]


def columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"describe select * from {relation}").fetchall()]


def is_numeric(column_type: str) -> bool:
    return column_type.upper().startswith(NUMERIC_PREFIXES)


def close(a: object, b: object, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    x, y = float(a), float(b)  # type: ignore[arg-type]
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return abs(x - y) <= tolerance * max(1.0, abs(x), abs(y))


def sort_key(row: tuple, numeric: list[bool]) -> tuple:
    key = []
    for value, is_number in zip(row, numeric):
        if value is None:
            key.append((0, ""))
        elif is_number:
            key.append((1, round(float(value), 6)))
        else:
            key.append((1, str(value)))
    return tuple(key)


def compare_relation(con: duckdb.DuckDBPyConnection, spark_dir: Path, schema: str, table: str,
                     tolerance: float, show: int = 5) -> RelationDiff:
    diff = RelationDiff(f"{schema}.{table}")
    path = spark_table_path(spark_dir, schema, table)
    if not path.exists():
        diff.problems.append(f"missing on Spark (no {path})")
        return diff
    duck_cols = columns_of(con, f"duck.{schema}.{table}")
    names = [c for c, _ in duck_cols]
    select = ", ".join(f'"{c}"' for c in names)
    spark_rows: list[tuple] = []
    if any(path.rglob("*.parquet")):  # an empty Spark table may have no data file at all
        spark_rel = f"read_parquet('{path}/**/*.parquet', hive_partitioning = true)"
        spark_names = [c for c, _ in columns_of(con, spark_rel)]
        if sorted(spark_names) != sorted(names):
            diff.problems.append(f"columns differ: DuckDB {names} / Spark {spark_names}")
            return diff
        spark_rows = con.execute(f"select {select} from {spark_rel}").fetchall()
    duck_rows = con.execute(f"select {select} from duck.{schema}.{table}").fetchall()
    diff.rows = len(duck_rows)
    if len(duck_rows) != len(spark_rows):
        diff.problems.append(f"row counts differ: DuckDB {len(duck_rows)} / Spark {len(spark_rows)}")
        return diff
    numeric = [is_numeric(t) for _, t in duck_cols]
    duck_rows.sort(key=lambda r: sort_key(r, numeric))
    spark_rows.sort(key=lambda r: sort_key(r, numeric))
    for duck_row, spark_row in zip(duck_rows, spark_rows):
        for name, is_number, a, b in zip(names, numeric, duck_row, spark_row):
            same = close(a, b, tolerance) if is_number else normalise(a) == normalise(b)
            if not same:
                diff.problems.append(f"{name}: DuckDB {a!r} / Spark {b!r} in row {dict(zip(names, duck_row))}")
                break
        if len(diff.problems) >= show:
            break
    return diff


def normalise(value: object) -> object:
    """Values that are equal but typed differently by the two engines (a decimal that is whole,
    a date read back as a timestamp at midnight)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def compare(duckdb_file: Path, spark_dir: Path, schemas: tuple[str, ...] = PUBLIC_SCHEMAS,
            extra: tuple[str, ...] = PUBLIC_STAGING, tolerance: float = TOLERANCE) -> list[RelationDiff]:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{duckdb_file}' as duck (read_only)")
    try:
        return [compare_relation(con, spark_dir, s, t, tolerance) for s, t in duckdb_relations(con, schemas, extra)]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="the DuckDB warehouse file")
    parser.add_argument("--spark-dir", type=Path, required=True, help="$USAGE_HEALTH_SPARK_DIR of the Spark build")
    parser.add_argument("--schemas", default=",".join(PUBLIC_SCHEMAS),
                        help="schemas compared whole (default: %(default)s; the landing's quarantine, "
                             "reconciliation and file list are always compared)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE,
                        help="numbers may differ by this much, absolute or relative (default: %(default)s)")
    args = parser.parse_args(argv)
    diffs = compare(args.duckdb, args.spark_dir, tuple(args.schemas.split(",")), PUBLIC_STAGING, args.tolerance)
    failed = [d for d in diffs if d.problems]
    for d in diffs:
        print(f"{'DIFFERS' if d.problems else 'same   '} {d.name} ({d.rows} rows)")
        for problem in d.problems:
            print(f"    {problem}")
    print(f"{len(diffs) - len(failed)} of {len(diffs)} relations identical within {args.tolerance:g}")
    return 1 if failed or not diffs else 0


if __name__ == "__main__":
    sys.exit(main())
