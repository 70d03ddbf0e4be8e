"""scripts/parity.py, the comparator behind the Spark parity test, catches what it must: a changed
value, a missing or extra row, a different column, a missing relation; and lets through only
what it states (row order, numbers within the tolerance, a whole decimal against a double)."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from conftest import SCRIPTS_DIR

sys.path.insert(0, str(SCRIPTS_DIR))
import parity  # noqa: E402

DUCK_ROWS = ("select * from (values ('A1', 'Champions', 61.25::double, 3), ('A2', 'Churn Risk', 12.5::double, 0)) "
             "as t(account_id, quadrant, usage_score, alerts)")


def warehouses(tmp_path: Path, spark_sql: str | None) -> tuple[Path, Path]:
    """A DuckDB file with marts.rpt_x, and a local-Spark-like folder holding spark_sql's rows as
    marts.db/rpt_x/part-0.parquet (none when spark_sql is None)."""
    duck = tmp_path / "duck.duckdb"
    con = duckdb.connect(str(duck))
    con.execute("create schema marts")
    con.execute(f"create table marts.rpt_x as {DUCK_ROWS}")
    con.close()
    spark = tmp_path / "spark"
    if spark_sql is not None:
        table = spark / "tables" / "marts.db" / "rpt_x"
        table.mkdir(parents=True)
        duckdb.execute(f"copy ({spark_sql}) to '{table / 'part-0.parquet'}' (format parquet)")
    return duck, spark


def problems(tmp_path: Path, spark_sql: str | None) -> list[str]:
    duck, spark = warehouses(tmp_path, spark_sql)
    (diff,) = parity.compare(duck, spark)
    assert diff.name == "marts.rpt_x"
    return diff.problems


def test_identical_rows_in_another_order_and_type_are_the_same(tmp_path: Path) -> None:
    spark = ("select * from (values ('A2', 'Churn Risk', 12.5::decimal(10,2), 0::bigint), "
             "('A1', 'Champions', 61.25 + 1e-12, 3::bigint)) as t(account_id, quadrant, usage_score, alerts)")
    assert problems(tmp_path, spark) == []


@pytest.mark.parametrize("spark_sql, expected", [
    ("select * from (values ('A1', 'Champions', 61.25, 3), ('A2', 'Frustrated Power Users', 12.5, 0)) "
     "as t(account_id, quadrant, usage_score, alerts)", "quadrant: DuckDB 'Churn Risk' / Spark 'Frustrated Power Users'"),
    ("select * from (values ('A1', 'Champions', 61.26::double, 3), ('A2', 'Churn Risk', 12.5::double, 0)) "
     "as t(account_id, quadrant, usage_score, alerts)", "usage_score: DuckDB 61.25 / Spark 61.26"),
    ("select * from (values ('A1', 'Champions', 61.25, 3)) as t(account_id, quadrant, usage_score, alerts)",
     "row counts differ: DuckDB 2 / Spark 1"),
    ("select * from (values ('A1', 'Champions', 61.25), ('A2', 'Churn Risk', 12.5)) as t(account_id, quadrant, usage_score)",
     "columns differ"),
    (None, "missing on Spark"),
])
def test_a_difference_is_reported(tmp_path: Path, spark_sql: str | None, expected: str) -> None:
    found = problems(tmp_path, spark_sql)
    assert found and expected in found[0], found


def test_the_command_exits_1_on_a_difference_and_0_when_identical(tmp_path: Path) -> None:
    duck, spark = warehouses(tmp_path, DUCK_ROWS.replace("61.25::double", "61.3::double"))
    assert parity.main(["--duckdb", str(duck), "--spark-dir", str(spark)]) == 1
    same = tmp_path / "same"
    same.mkdir()
    duck, spark = warehouses(same, DUCK_ROWS)
    assert parity.main(["--duckdb", str(duck), "--spark-dir", str(spark)]) == 0
