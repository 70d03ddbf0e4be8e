"""Shared fixtures: demo landing data and real dbt builds into temporary DuckDB files."""
from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
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


# `make pytest` hands whole files to two xdist workers in this order (--dist loadfile
# --no-loadscope-reorder): the two Spark files, the longest by far (a session-mode build and an
# incremental run on both engines; a Thrift server and its build), first, one on each worker; then
# the rest, longest first, to whichever worker is free, so that neither is left with a long file
# at the end. Three workers were no faster on two cores (25 min 36 s against 25 min 48 s): the
# suite keeps both cores busy already.
FILE_ORDER = [
    "test_spark_parity.py",
    "test_spark_thrift.py",
    "test_bad_input.py",
    "test_column_mappings.py",
    "test_own_data.py",
    "test_landing_contract.py",
    "test_incremental.py",
    "test_serving.py",
    "test_spark_stops.py",
    "test_crm_history.py",
    "test_demo_build.py",
    "test_quadrant_over_time.py",
    "test_adoption_and_playbooks.py",
    "test_registry.py",
    "test_preflight.py",
    "test_dashboard.py",
    "test_semantic_layer.py",
    "test_generate_scale.py",
    "test_configuration.py",
    "test_generator.py",
    "test_parity_script.py",
    "test_project_rules.py",
    "test_lint.py",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files in FILE_ORDER (any other after them); the tests of a file keep their order."""
    rank = {name: i for i, name in enumerate(FILE_ORDER)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


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
        # no column mapping unless a test asks for one (the var landing_mappings)
        "USAGE_HEALTH_MAPPINGS": "",
        **(extra_env or {}),
    }
    started, before = time.monotonic(), os.times()
    completed = subprocess.run(
        [dbt_executable(), *args, "--vars", vars_yaml, "--project-dir", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if os.environ.get("USAGE_HEALTH_TEST_PROFILE"):  # one JSON line per dbt run: what the suite spends where
        after = os.times()
        cpu = after.children_user - before.children_user + after.children_system - before.children_system
        with open(os.environ["USAGE_HEALTH_TEST_PROFILE"], "a") as log:
            log.write(json.dumps({"test": os.environ.get("PYTEST_CURRENT_TEST", ""), "args": args,
                                  "wall": round(time.monotonic() - started, 2), "cpu": round(cpu, 2)}) + "\n")
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


def build(db_path: Path, landing_dir: Path, unit_tests: bool = False, **kwargs) -> Build:
    """`dbt build`: seeds, models, snapshot and data tests. dbt's unit tests check the SQL on
    fixtures, the same whatever the landing folder, so they run once per engine: in the demo build
    (unit_tests=True) and in the Spark session build, not again in every scenario's build."""
    selection = [] if unit_tests else ["--exclude-resource-type", "unit_test"]
    return run_dbt(["build", *selection], db_path, landing_dir, **kwargs)


def copy_project(destination: Path) -> Path:
    """A copy of the project (models, seeds, macros, tests) for tests that edit a seed."""
    ignore = shutil.ignore_patterns(".venv", "target", "logs", "build", "warehouse", "data", ".git", "__pycache__")
    shutil.copytree(PROJECT_DIR, destination, ignore=ignore)
    return destination


def run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this whole pytest run: shared by its xdist workers (each worker's
    basetemp is a folder in it), the run's own basetemp without xdist."""
    basetemp = tmp_path_factory.getbasetemp()
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], dict]) -> tuple[Path, dict]:
    """Run make(folder) once per pytest run, however many xdist workers ask (session fixtures are
    per worker process): the first worker runs it under a file lock, the others wait for it and
    read what it returned (a JSON-able dict). A worker that dies mid-way releases the lock and the
    next one runs make again in a fresh folder."""
    root = run_root(tmp_path_factory)
    done = root / f"once-{name}.json"
    with open(root / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        if not done.exists():
            folder = root / f"once-{name}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            result = {"folder": str(folder), "result": make(folder)}
            done.with_suffix(".tmp").write_text(json.dumps(result))
            done.with_suffix(".tmp").replace(done)
    recorded = json.loads(done.read_text())
    return Path(recorded["folder"]), recorded["result"]


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo landing folder, generated once per run (read it, never change it: copy it first)."""
    def generate(folder: Path) -> dict:
        assert generate_landing.main(["--out", str(folder / "landing"), *DEMO_ARGS]) in (0, None)
        return {}

    folder, _ = once_per_run(tmp_path_factory, "demo-landing", generate)
    return folder / "landing"


@pytest.fixture(scope="session")
def demo_build(demo_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`dbt build` of the demo landing folder: every model, seed, data test and unit test. Built
    once per run; each worker reads its own copy of the file (MetricFlow opens it read-write, and
    DuckDB lets no other process open a file that one process has open for writing)."""
    def build_demo(folder: Path) -> dict:
        result = build(folder / "demo.duckdb", demo_landing, unit_tests=True)
        return {"returncode": result.returncode, "output": result.output}

    folder, built = once_per_run(tmp_path_factory, "demo-build", build_demo)
    assert built["returncode"] == 0, built["output"][-5000:]
    copy = tmp_path_factory.mktemp("warehouse") / "demo.duckdb"
    shutil.copyfile(folder / "demo.duckdb", copy)
    return Build(db_path=copy, returncode=built["returncode"], output=built["output"])
