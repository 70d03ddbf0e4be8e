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


# --- two DuckDB warehouses (--other-duckdb), as before and after a refactor ------------------

def duckdb_pair(tmp_path: Path, other_sql: str | None) -> tuple[Path, Path]:
    """before.duckdb with marts.rpt_x, and after.duckdb holding other_sql's rows as marts.rpt_x
    (as marts.rpt_y instead when other_sql is None: one relation missing on each side)."""
    before, after = tmp_path / "before.duckdb", tmp_path / "after.duckdb"
    for path, sql, table in ((before, DUCK_ROWS, "rpt_x"), (after, other_sql or DUCK_ROWS, "rpt_x" if other_sql else "rpt_y")):
        con = duckdb.connect(str(path))
        con.execute("create schema marts")
        con.execute(f"create table marts.{table} as {sql}")
        con.close()
    return before, after


def test_two_duckdb_warehouses_with_the_same_rows_in_another_order_are_identical(tmp_path: Path, capsys) -> None:
    before, after = duckdb_pair(tmp_path, f"select * from ({DUCK_ROWS}) order by account_id desc")
    assert [d.problems for d in parity.compare_duckdb(before, after)] == [[]]
    assert parity.main(["--duckdb", str(before), "--other-duckdb", str(after)]) == 0
    assert "1 of 1 relations identical" in capsys.readouterr().out


@pytest.mark.parametrize("other_sql, expected", [
    (DUCK_ROWS.replace("'Churn Risk'", "'Frustrated Power Users'"),
     "quadrant: before.duckdb 'Churn Risk' / after.duckdb 'Frustrated Power Users'"),
    (DUCK_ROWS.replace("61.25::double", "61.2500001::double"), "usage_score: before.duckdb 61.25 / after.duckdb 61.2500001"),
    (DUCK_ROWS.replace("12.5::double, 0", "12.5::double, 0::bigint").replace("3)", "3::bigint)"),
     "alerts is INTEGER in before.duckdb, BIGINT in after.duckdb"),
    (f"select account_id, quadrant, usage_score from ({DUCK_ROWS})", "only in before.duckdb: ['alerts']"),
    (f"select * from ({DUCK_ROWS}) where account_id = 'A1'", "row counts differ: before.duckdb 2 / after.duckdb 1"),
])
def test_a_difference_between_two_duckdb_warehouses_is_reported(tmp_path: Path, other_sql: str, expected: str) -> None:
    (diff,) = parity.compare_duckdb(*duckdb_pair(tmp_path, other_sql))
    assert diff.problems and expected in diff.problems[0], diff.problems


def test_a_relation_missing_from_either_duckdb_warehouse_is_reported(tmp_path: Path, capsys) -> None:
    before, after = duckdb_pair(tmp_path, None)
    diffs = parity.compare_duckdb(before, after)
    assert [(d.name, d.problems) for d in diffs] == [
        ("marts.rpt_x", ["missing in after.duckdb"]), ("marts.rpt_y", ["missing in before.duckdb"])]
    assert parity.main(["--duckdb", str(before), "--other-duckdb", str(after)]) == 1
    assert "0 of 2 relations identical" in capsys.readouterr().out
