"""sqlfluff over every model and data test, rendered by dbt (the `make lint` step), inside the
pytest run so that it shares the workers with the builds instead of running before them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT_DIR


def test_every_model_and_data_test_passes_sqlfluff(tmp_path: Path) -> None:
    sqlfluff = Path(sys.executable).with_name("sqlfluff")
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "USAGE_HEALTH_DB": str(tmp_path / "lint.duckdb"),
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    result = subprocess.run([str(sqlfluff), "lint", "models", "tests"], cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
