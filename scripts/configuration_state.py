#!/usr/bin/env python3
"""Check the configuration only when it changed: the selection `make build` hands to dbt.

The configuration is the seeds and the checks that read nothing else (selector
`configuration_checks` in selectors.yml: every seed, its tests, and the singular tests whose
parents are all seeds). Loading the seeds and running those checks on every weekly build
re-proves what has not changed, at dbt's cost per node. So:

    configuration_state.py args --db W --vars V [--full-refresh]   prints the selection of the
        scheduled build: `--exclude-resource-type unit_test` (unit tests check the SQL, and
        `make test` runs them), and `--selector build_with_checked_configuration` (everything
        but the configuration checks) when W holds the fingerprint of a good build with this
        configuration and this is no full refresh;
    configuration_state.py record --db W --vars V      after a good build: stores the fingerprint
        in W (table run_state.configuration).

The fingerprint is a SHA-256 over the project files the seeds and checks come from (seeds/,
tests/, macros/, mappings/, dbt_project.yml, selectors.yml), the --vars of the build, the dbt
version and the target: change a seed, a check, a macro or a var and the next build loads and
checks the configuration again. A warehouse without a recorded fingerprint (new, or built by
hand) is always checked in full.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SOURCES = ("seeds", "tests", "macros", "mappings", "dbt_project.yml", "selectors.yml")
SELECTION = ["--selector", "build_with_checked_configuration"]
# Unit tests check the project's SQL, not the data: `make test` runs them (the demo build and the
# Spark session build); the scheduled build leaves them out.
SCHEDULED = ["--exclude-resource-type", "unit_test"]


def fingerprint(variables: str, target: str) -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        root = PROJECT_DIR / name
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in paths:
            if "python" in path.relative_to(PROJECT_DIR).parts or path.suffix == ".pyc":
                continue  # the pytest suite is not configuration
            digest.update(str(path.relative_to(PROJECT_DIR)).encode())
            digest.update(path.read_bytes() if path.exists() else b"")
    try:
        from dbt.version import __version__ as dbt_version
    except ImportError:  # pragma: no cover - dbt is installed with the project
        dbt_version = "unknown"
    # the environment variables the project's vars read (dbt_project.yml)
    environment = [os.environ.get(name, "") for name in ("USAGE_HEALTH_LANDING", "USAGE_HEALTH_MAPPINGS")]
    for part in (variables, target, dbt_version, *environment):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def build_args(db: Path, variables: str, target: str = "duckdb", full_refresh: bool = False) -> list[str]:
    """The selection of the scheduled `dbt build` (after `build`): no unit tests, and no
    configuration checks when the configuration is the one the warehouse last built with (a
    full refresh checks everything)."""
    unchanged = not full_refresh and recorded(db) == fingerprint(variables, target)
    return SCHEDULED + (SELECTION if unchanged else [])


def recorded(db: Path) -> str | None:
    if not db.exists():
        return None
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None  # locked or unreadable: check everything
    try:
        row = con.execute("select fingerprint from run_state.configuration").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def record(db: Path, value: str) -> None:
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute("create schema if not exists run_state")
        con.execute("create or replace table run_state.configuration (fingerprint varchar)")
        con.execute("insert into run_state.configuration values (?)", [value])
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["args", "record"])
    parser.add_argument("--db", type=Path, required=True, help="the DuckDB warehouse ($USAGE_HEALTH_DB)")
    parser.add_argument("--vars", default="", help="the --vars the build gets")
    parser.add_argument("--target", default="duckdb")
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args(argv)
    if args.action == "args":
        print(" ".join(build_args(args.db, args.vars, args.target, args.full_refresh)))
        return 0
    record(args.db, fingerprint(args.vars, args.target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
