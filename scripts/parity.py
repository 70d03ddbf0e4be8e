#!/usr/bin/env python3
"""Compare a warehouse built on DuckDB with the same project built on Spark, or with another DuckDB
warehouse, row by row.

    python scripts/parity.py --duckdb warehouse/usage_health.duckdb --spark-dir warehouse/spark
    python scripts/parity.py --duckdb before.duckdb --other-duckdb after.duckdb

Every table of the compared schemas in the DuckDB file must exist on Spark with the same columns
and the same rows. The Spark side is read from its Parquet files (local Spark keeps table
`<schema>.<name>` under `<spark-dir>/tables/<schema>.db/<name>/`), so the comparison needs no
Spark session. Rows are matched after sorting both sides on every column (numbers rounded to
the tolerance's scale for the sort only). Text, dates, timestamps and booleans must be equal;
numbers equal within `--tolerance` (absolute, or relative to the larger value), because the two
engines may sum doubles in a different order. Exits 1 and prints the first differences of each
relation that differs.

With `--other-duckdb` (to prove that a refactor changed nothing) both sides are DuckDB files: the
compared schemas must hold the same relations (tables and views) in both, each with the same
columns in the same order and of the same types, and the same rows by the rules above.
"""
from __future__ import annotations

import argparse
import decimal
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# The relations users read: the marts, the semantic layer, the snapshots (the CRM's history), and
# the landing's quarantine, field issues and reconciliation. `--schemas` can add the others
# (intermediate, staging, config).
PUBLIC_SCHEMAS = ("marts", "semantic", "snapshots")
PUBLIC_STAGING = ("stg_landing__quarantine", "stg_landing__field_issues", "stg_landing__reconciliation",
                  "stg_landing__files")
TOLERANCE = 1e-9
NUMERIC_PREFIXES = ("DOUBLE", "FLOAT", "DECIMAL", "REAL", "HUGEINT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT")


@dataclass
class RelationDiff:
    name: str
    rows: int = 0
    problems: list[str] = field(default_factory=list)


def spark_table_path(spark_dir: Path, schema: str, table: str) -> Path:
    return spark_dir / "tables" / f"{schema}.db" / table


def duckdb_relations(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...], extra: tuple[str, ...],
                     database: str = "duck", views: bool = False) -> list[tuple[str, str]]:
    """The tables (and views, if asked) of the attached `database` in `schemas`, or named in `extra`."""
    sql = "select schema_name, table_name from duckdb_tables() where database_name = $db"
    if views:
        sql += " union all select schema_name, view_name from duckdb_views() where database_name = $db and not internal"
    listed = con.execute(f"select * from ({sql}) order by 1, 2", {"db": database}).fetchall()
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


def compare_rows(diff: RelationDiff, duck_cols: list[tuple[str, str]], duck_rows: list[tuple],
                 other_rows: list[tuple], labels: tuple[str, str], tolerance: float, show: int = 5) -> None:
    """Add to diff the first `show` rows that differ, after sorting both sides; the rows' columns
    are duck_cols (name, type) on both."""
    this, other = labels
    diff.rows = len(duck_rows)
    if len(duck_rows) != len(other_rows):
        diff.problems.append(f"row counts differ: {this} {len(duck_rows)} / {other} {len(other_rows)}")
        return
    names = [c for c, _ in duck_cols]
    numeric = [is_numeric(t) for _, t in duck_cols]
    duck_rows.sort(key=lambda r: sort_key(r, numeric))
    other_rows.sort(key=lambda r: sort_key(r, numeric))
    for duck_row, other_row in zip(duck_rows, other_rows):
        for name, is_number, a, b in zip(names, numeric, duck_row, other_row):
            same = close(a, b, tolerance) if is_number else normalise(a) == normalise(b)
            if not same:
                diff.problems.append(f"{name}: {this} {a!r} / {other} {b!r} in row {dict(zip(names, duck_row))}")
                break
        if len(diff.problems) >= show:
            break


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
    compare_rows(diff, duck_cols, duck_rows, spark_rows, ("DuckDB", "Spark"), tolerance, show)
    return diff


def column_differences(cols: list[tuple[str, str]], other_cols: list[tuple[str, str]], labels: tuple[str, str]) -> str | None:
    """How two relations' columns (name, type) differ, in words; None when they do not."""
    if cols == other_cols:
        return None
    this, other = labels
    types, other_types = dict(cols), dict(other_cols)
    said = [f"only in {side}: {[c for c in mine if c not in theirs]}"
            for side, mine, theirs in ((this, types, other_types), (other, other_types, types)) if set(mine) - set(theirs)]
    said += [f"{c} is {t} in {this}, {other_types[c]} in {other}" for c, t in cols if other_types.get(c, t) != t]
    return "columns differ: " + ("; ".join(said) or f"same columns in another order: {this} {list(types)} / {other} {list(other_types)}")


def compare_duckdb_relation(con: duckdb.DuckDBPyConnection, schema: str, table: str, labels: tuple[str, str],
                            tolerance: float, show: int = 5) -> RelationDiff:
    """One relation of the attached `duck` against the same one of the attached `other`."""
    diff = RelationDiff(f"{schema}.{table}")
    try:
        cols = columns_of(con, f"duck.{schema}.{table}")
        problem = column_differences(cols, columns_of(con, f"other.{schema}.{table}"), labels)
        if problem:
            diff.problems.append(problem)
            return diff
        select = ", ".join(f'"{c}"' for c, _ in cols)
        rows, other_rows = (con.execute(f"select {select} from {db}.{schema}.{table}").fetchall() for db in ("duck", "other"))
    except duckdb.Error as error:  # a view over landing files that are gone, say
        diff.problems.append(f"cannot be read: {error}")
        return diff
    compare_rows(diff, cols, rows, other_rows, labels, tolerance, show)
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


def compare_duckdb(duckdb_file: Path, other_file: Path, schemas: tuple[str, ...] = PUBLIC_SCHEMAS,
                   extra: tuple[str, ...] = PUBLIC_STAGING, tolerance: float = TOLERANCE) -> list[RelationDiff]:
    """Every relation of the compared schemas in either DuckDB file against the other file's."""
    labels = (duckdb_file.name, other_file.name) if duckdb_file.name != other_file.name else (str(duckdb_file), str(other_file))
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{duckdb_file}' as duck (read_only)")
    con.execute(f"attach '{other_file}' as other (read_only)")
    try:
        this = duckdb_relations(con, schemas, extra, "duck", views=True)
        other = duckdb_relations(con, schemas, extra, "other", views=True)
        diffs = []
        for schema, table in sorted(set(this) | set(other)):
            if (schema, table) not in other:
                diffs.append(RelationDiff(f"{schema}.{table}", problems=[f"missing in {labels[1]}"]))
            elif (schema, table) not in this:
                diffs.append(RelationDiff(f"{schema}.{table}", problems=[f"missing in {labels[0]}"]))
            else:
                diffs.append(compare_duckdb_relation(con, schema, table, labels, tolerance))
        return diffs
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="the DuckDB warehouse file")
    other = parser.add_mutually_exclusive_group(required=True)
    other.add_argument("--spark-dir", type=Path, help="$USAGE_HEALTH_SPARK_DIR of the Spark build")
    other.add_argument("--other-duckdb", type=Path,
                       help="another DuckDB warehouse file (before and after a refactor, say), compared with --duckdb")
    parser.add_argument("--schemas", default=",".join(PUBLIC_SCHEMAS),
                        help="schemas compared whole (default: %(default)s; the landing's quarantine, "
                             "reconciliation and file list are always compared)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE,
                        help="numbers may differ by this much, absolute or relative (default: %(default)s)")
    args = parser.parse_args(argv)
    schemas = tuple(args.schemas.split(","))
    if args.other_duckdb is None:
        diffs = compare(args.duckdb, args.spark_dir, schemas, PUBLIC_STAGING, args.tolerance)
    elif args.other_duckdb.resolve() == args.duckdb.resolve():
        parser.error("--duckdb and --other-duckdb are the same file")
    else:
        diffs = compare_duckdb(args.duckdb, args.other_duckdb, schemas, PUBLIC_STAGING, args.tolerance)
    failed = [d for d in diffs if d.problems]
    for d in diffs:
        print(f"{'DIFFERS' if d.problems else 'same   '} {d.name} ({d.rows} rows)")
        for problem in d.problems:
            print(f"    {problem}")
    print(f"{len(diffs) - len(failed)} of {len(diffs)} relations identical within {args.tolerance:g}")
    return 1 if failed or not diffs else 0


if __name__ == "__main__":
    sys.exit(main())
