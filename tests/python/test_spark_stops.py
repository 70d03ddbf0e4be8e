"""Spark's own errors for a landing file missing a required column and for a landing folder with
no file of the contract name the file and the folder, in the words DuckDB uses (issue 6)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_dbt
from spark_cases import spark_env


@pytest.mark.parametrize("case", ["missing_column", "empty_folder"])
def test_spark_stops_on_a_broken_landing_folder_with_the_duckdb_message(case: str, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    if case == "missing_column":
        (landing / "crm_accounts.csv").write_text("account_id,account_name\nA1,Acme\n")
        expected = (f"Landing file {landing}/crm_accounts.csv (source crm_accounts) is missing the required "
                    "column 'segment'")
    else:
        (landing / "notes.txt").write_text("not a landing file\n")
        expected = f"The landing folder '{landing}' holds no file of the input contract"
    result = run_dbt(["run", "--target", "spark", "-s", "base_crm_accounts"], tmp_path / "unused.duckdb", landing,
                     extra_env=spark_env(tmp_path / "spark"))
    assert result.returncode != 0
    assert expected in result.output, result.output[-3000:]
