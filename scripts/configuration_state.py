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

    configuration_state.py unchanged --db W --vars V --serve S   exits 0, saying so, when W
        holds the record of a good, published build of exactly these inputs: nothing to do;
    configuration_state.py record-inputs --db W --vars V --serve S   after that build and its
        publish: stores the inputs' fingerprint (table run_state.build_inputs).

The fingerprint is a SHA-256 over the project files the seeds and checks come from (seeds/,
tests/, macros/, mappings/, dbt_project.yml, selectors.yml), the --vars of the build, the dbt
version and the target: change a seed, a check, a macro or a var and the next build loads and
checks the configuration again. A warehouse without a recorded fingerprint (new, or built by
hand) is always checked in full.

The inputs' fingerprint adds the rest of the project dbt reads (models/, snapshots/), every file
under the landing folder by path, size and modification time (a new, rewritten, touched or
removed file changes it), absolute mapping files by content, and the serving file's path. The
same inputs and as_of give the same marts (the determinism the tests hold the project to), so a
build with nothing new would rebuild what is there: `make build` says so and stops. Every dbt
run, seed, test or build on the warehouse drops the record as it starts (on-run-start,
macros/incremental/build_inputs.sql), so a build by hand or a failed one is never taken for the
last good build.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SOURCES = ("seeds", "tests", "macros", "mappings", "dbt_project.yml", "selectors.yml")
BUILD_SOURCES = ("models", "snapshots")
SELECTION = ["--selector", "build_with_checked_configuration"]
# Unit tests check the project's SQL, not the data: `make test` runs them (the demo build and the
# Spark session build); the scheduled build leaves them out.
SCHEDULED = ["--exclude-resource-type", "unit_test"]


def hash_project_files(digest: "hashlib._Hash", names: tuple[str, ...]) -> None:
    """Add each project file under `names` (folders or files), by path and content."""
    for name in names:
        root = PROJECT_DIR / name
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in paths:
            if "python" in path.relative_to(PROJECT_DIR).parts or path.suffix == ".pyc":
                continue  # the pytest suite is not configuration
            digest.update(str(path.relative_to(PROJECT_DIR)).encode())
            digest.update(path.read_bytes() if path.exists() else b"")


def fingerprint(variables: str, target: str) -> str:
    digest = hashlib.sha256()
    hash_project_files(digest, SOURCES)
    try:
        from dbt.version import __version__ as dbt_version
    except ImportError:  # pragma: no cover - dbt is installed with the project
        dbt_version = "unknown"
    # the environment variables the project's vars read (dbt_project.yml)
    environment = [os.environ.get(name, "") for name in ("USAGE_HEALTH_LANDING", "USAGE_HEALTH_MAPPINGS")]
    for part in (variables, target, dbt_version, *environment):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def parsed_vars(variables: str) -> dict:
    """The build's --vars (YAML or JSON) as a dict; {} when there are none."""
    import yaml

    values = yaml.safe_load(variables) if variables.strip() else None
    return values if isinstance(values, dict) else {}


def landing_folder(variables: str) -> Path:
    """The landing folder the build reads, as the landing_dir() macro resolves it: the var, else
    $USAGE_HEALTH_LANDING, else data/landing (relative to the directory dbt runs in)."""
    chosen = str(parsed_vars(variables).get("landing_dir") or "").strip()
    return Path(chosen or os.environ.get("USAGE_HEALTH_LANDING", "").strip() or "data/landing")


def mapping_files(variables: str) -> list[Path]:
    """The mapping files named by an absolute path (var landing_mappings, $USAGE_HEALTH_MAPPINGS)."""
    chosen = parsed_vars(variables).get("landing_mappings")
    items = chosen if isinstance(chosen, list) else str(chosen or os.environ.get("USAGE_HEALTH_MAPPINGS", "")).split(",")
    paths = {Path(str(item).strip()) for item in items if isinstance(item, str)}
    return sorted(p for p in paths if p.is_absolute() and p.suffix in (".yml", ".yaml") and p.is_file())


def inputs_fingerprint(variables: str, target: str, serve: Path) -> tuple[str, int]:
    """The fingerprint of everything a build reads (see the module's docstring) and the number
    of landing files."""
    digest = hashlib.sha256(fingerprint(variables, target).encode())
    hash_project_files(digest, BUILD_SOURCES)
    landing = landing_folder(variables)
    files = sorted(p for p in landing.rglob("*") if p.is_file()) if landing.is_dir() else []
    for path in files:
        stat = path.stat()
        digest.update(f"\0{path.relative_to(landing)}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    for item in mapping_files(variables):  # relative ones are in the landing folder, above
        digest.update(b"\0" + str(item).encode() + b"\0" + item.read_bytes())
    import duckdb

    for part in (os.environ.get("USAGE_HEALTH_FULL_HISTORY_TESTS", ""), str(serve.resolve()), duckdb.__version__,
                 str(landing.resolve())):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest(), len(files)


def unchanged(db: Path, variables: str, serve: Path, target: str = "duckdb") -> str | None:
    """What `make build` says instead of building when the warehouse and the serving file hold
    the last good build of these very inputs; None when there is something to build."""
    if not serve.exists():
        return None
    recorded_inputs = read_state(db, "select fingerprint from run_state.build_inputs")
    current, count = inputs_fingerprint(variables, target, serve)
    if recorded_inputs != current:
        return None
    import publish

    return (f"Nothing new since the last good build: the {count} files in {landing_folder(variables)}, the "
            f"project and its configuration are those it built; {publish.last_published(serve)}. "
            "FORCE=1 builds anyway.")


def build_args(db: Path, variables: str, target: str = "duckdb", full_refresh: bool = False) -> list[str]:
    """The selection of the scheduled `dbt build` (after `build`): no unit tests, and no
    configuration checks when the configuration is the one the warehouse last built with (a
    full refresh checks everything)."""
    unchanged = not full_refresh and recorded(db) == fingerprint(variables, target)
    return SCHEDULED + (SELECTION if unchanged else [])


def recorded(db: Path) -> str | None:
    return read_state(db, "select fingerprint from run_state.configuration")


def read_state(db: Path, sql: str) -> str | None:
    if not db.exists():
        return None
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None  # locked or unreadable: check everything
    try:
        row = con.execute(sql).fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def record(db: Path, value: str, table: str = "configuration") -> None:
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute("create schema if not exists run_state")
        con.execute(f"create or replace table run_state.{table} (fingerprint varchar)")
        con.execute(f"insert into run_state.{table} values (?)", [value])
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["args", "record", "unchanged", "record-inputs"])
    parser.add_argument("--db", type=Path, required=True, help="the DuckDB warehouse ($USAGE_HEALTH_DB)")
    parser.add_argument("--vars", default="", help="the --vars the build gets")
    parser.add_argument("--target", default="duckdb")
    parser.add_argument("--full-refresh", action="store_true")
    parser.add_argument("--serve", type=Path,
                        default=Path(os.environ.get("USAGE_HEALTH_SERVE_DB", "warehouse/serve/usage_health.duckdb")),
                        help="the serving file scripts/publish.py writes")
    args = parser.parse_args(argv)
    if args.action == "unchanged":
        message = unchanged(args.db, args.vars, args.serve, args.target)
        if message:
            print(message)
        return 0 if message else 1
    if args.action == "record-inputs":
        record(args.db, inputs_fingerprint(args.vars, args.target, args.serve)[0], "build_inputs")
        return 0
    if args.action == "args":
        print(" ".join(build_args(args.db, args.vars, args.target, args.full_refresh)))
        return 0
    record(args.db, fingerprint(args.vars, args.target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
