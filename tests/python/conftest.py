"""Shared fixtures: demo landing data and real dbt builds into temporary DuckDB files."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCRIPTS_DIR = PROJECT_DIR / "scripts"
sys.path.insert(0, str(SCRIPTS_DIR))

import generate_landing  # noqa: E402

# Big enough for every segment to have a real peer group, small enough for a few builds.
DEMO_ARGS = ["--accounts", "200", "--weeks", "26", "--seed", "42"]


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


@dataclass
class Build:
    """The outcome of one `dbt build`."""

    db_path: Path
    returncode: int
    output: str

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


def run_dbt(
    args: list[str],
    db_path: Path,
    landing_dir: Path,
    extra_vars: dict[str, object] | None = None,
    work_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Build:
    """Run a real dbt command on the project (or a copy of it) into db_path (with `--target spark`
    and USAGE_HEALTH_SPARK_DIR in extra_env, into that Spark warehouse)."""
    variables = {"landing_dir": str(landing_dir), **(extra_vars or {})}
    vars_yaml = json.dumps(variables)
    project = work_dir or PROJECT_DIR
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project),
        "USAGE_HEALTH_DB": str(db_path),
        "DBT_TARGET_PATH": str(db_path.parent / f"target-{db_path.stem}"),
        "DBT_LOG_PATH": str(db_path.parent / f"logs-{db_path.stem}"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(extra_env or {}),
    }
    completed = subprocess.run(
        [dbt_executable(), *args, "--vars", vars_yaml, "--project-dir", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return Build(db_path=db_path, returncode=completed.returncode, output=completed.stdout + completed.stderr)


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]], fields: list[str] | None = None) -> None:
    """Write rows as CSV (header first); `fields` picks and orders the columns."""
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or list(rows[0]), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def append_lines(path: Path, lines: list[str]) -> None:
    """Append raw lines to a file (made if missing), as an export with bad rows would have them."""
    text = path.read_text() if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(line + "\n" for line in lines))


def build(db_path: Path, landing_dir: Path, **kwargs) -> Build:
    return run_dbt(["build"], db_path, landing_dir, **kwargs)


def copy_project(destination: Path) -> Path:
    """A copy of the project (models, seeds, macros, tests) for tests that edit a seed."""
    ignore = shutil.ignore_patterns(".venv", "target", "logs", "build", "warehouse", "data", ".git", "__pycache__")
    shutil.copytree(PROJECT_DIR, destination, ignore=ignore)
    return destination


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("demo") / "landing"
    assert generate_landing.main(["--out", str(landing), *DEMO_ARGS]) in (0, None)
    return landing


@pytest.fixture(scope="session")
def demo_build(demo_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(tmp_path_factory.mktemp("warehouse") / "demo.duckdb", demo_landing)
    assert result.returncode == 0, result.output[-5000:]
    return result
