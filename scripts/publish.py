"""Publish the public relations of a built warehouse for readers: a serving DuckDB file and Parquet.

DuckDB allows one writer or many readers of a file, not both: a BI tool holding the working
warehouse open blocks `dbt build` ("Could not set lock on file"), and a build blocks the tool.
So readers never open the working warehouse. After a successful build this script copies every
relation of the `marts` schema into a new DuckDB file beside the serving file, checkpoints and
closes it, and renames it over the serving file: a reader opening the serving path gets the old
copy or the new one, whole, and a reader already connected keeps reading the copy it opened.
The same relations are written as Parquet into a new release folder, and the `current` link is
switched to it in one rename.

`serving.manifest` in the serving file records, per relation, its rows and the build it came
from, so a reader can check it sees whole marts. Run after `dbt build` (`make build` does).

Example::

    python scripts/publish.py --source warehouse/usage_health.duckdb \\
        --serve warehouse/serve/usage_health.duckdb --parquet warehouse/serve/parquet
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import duckdb

SCHEMA = "marts"
KEEP_PARQUET_RELEASES = 2


def public_relations(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """The tables of the marts schema in the source warehouse, by name."""
    rows = con.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = ? and table_schema = ? order by table_name",
        [catalog, SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def write_serving_file(source: Path, target: Path, published_at: str) -> list[tuple[str, int]]:
    """Copy the public relations of `source` into a new DuckDB file `target` (must not exist)."""
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{source}' as src (read_only)")
        relations = public_relations(con, "src")
        if not relations:
            raise SystemExit(f"publish: {source} has no tables in schema {SCHEMA}: run dbt build first.")
        as_of = con.execute("select max(as_of_date) from src.intermediate.int_run_parameters").fetchall()[0][0]
        con.execute(f"create schema {SCHEMA}")
        con.execute("create schema serving")
        counts = []
        for relation in relations:
            con.execute(f"create table {SCHEMA}.{relation} as select * from src.{SCHEMA}.{relation}")
            counts.append((relation, con.execute(f"select count(*) from {SCHEMA}.{relation}").fetchall()[0][0]))
        con.execute(
            "create table serving.manifest (relation varchar, row_count bigint, as_of_date date, published_at varchar)"
        )
        con.executemany(
            "insert into serving.manifest values (?, ?, ?, ?)",
            [(relation, n, as_of, published_at) for relation, n in counts],
        )
        con.execute("detach src")
        con.execute("checkpoint")
    finally:
        con.close()
    return counts


def write_parquet_release(serving_file: Path, parquet_root: Path, release: str) -> Path:
    """Export every relation of the serving file to <parquet_root>/releases/<release>/ and point
    <parquet_root>/current at it with one rename; keep the newest KEEP_PARQUET_RELEASES."""
    releases = parquet_root / "releases"
    folder = releases / release
    staging = releases / f".{release}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    con = duckdb.connect(str(serving_file), read_only=True)
    try:
        for (relation,) in con.execute("select relation from serving.manifest order by relation").fetchall():
            out = staging / f"{relation}.parquet"
            con.execute(f"copy {SCHEMA}.{relation} to '{out}' (format parquet)")
    finally:
        con.close()
    os.replace(staging, folder)
    link = parquet_root / "current"
    temporary_link = parquet_root / f".current.{os.getpid()}"
    if temporary_link.is_symlink() or temporary_link.exists():
        temporary_link.unlink()
    temporary_link.symlink_to(Path("releases") / release)
    os.replace(temporary_link, link)
    for old in sorted(p for p in releases.iterdir() if not p.name.startswith("."))[:-KEEP_PARQUET_RELEASES]:
        shutil.rmtree(old)
    return folder


def publish(source: Path, serve: Path, parquet_root: Path | None, now: dt.datetime | None = None) -> str:
    """Publish `source` to `serve` (and Parquet); returns a one-line report."""
    if not source.exists():
        raise SystemExit(f"publish: no warehouse at {source}: run dbt build first.")
    now = now or dt.datetime.now(dt.timezone.utc)
    published_at = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    release = now.strftime("%Y%m%dT%H%M%S%fZ")
    serve.parent.mkdir(parents=True, exist_ok=True)
    temporary = serve.with_name(f".{serve.name}.{os.getpid()}.partial")
    temporary.unlink(missing_ok=True)
    try:
        counts = write_serving_file(source, temporary, published_at)
        os.replace(temporary, serve)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(serve.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    report = f"Published {len(counts)} relations to {serve} at {published_at}"
    if parquet_root is not None:
        folder = write_parquet_release(serve, parquet_root, release)
        report += f"; Parquet in {parquet_root / 'current'} (-> {folder.name})"
    return report


def last_published(serve: Path) -> str:
    """When the serving file was last published, for the message after a failed build."""
    if not serve.exists():
        return f"nothing has been published to {serve} yet"
    con = duckdb.connect(str(serve), read_only=True)
    try:
        published_at, as_of = con.execute("select max(published_at), max(as_of_date) from serving.manifest").fetchall()[0]
    finally:
        con.close()
    return f"the served copy {serve} is untouched: published {published_at}, as of {as_of}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=Path(os.environ.get("USAGE_HEALTH_DB", "warehouse/usage_health.duckdb")),
                        help="the working warehouse dbt builds (default: $USAGE_HEALTH_DB)")
    parser.add_argument("--serve", type=Path,
                        default=Path(os.environ.get("USAGE_HEALTH_SERVE_DB", "warehouse/serve/usage_health.duckdb")),
                        help="the serving file readers open (default: $USAGE_HEALTH_SERVE_DB or warehouse/serve/usage_health.duckdb)")
    parser.add_argument("--parquet", type=Path, default=None,
                        help="folder for the Parquet releases (default: <serving folder>/parquet)")
    parser.add_argument("--no-parquet", action="store_true", help="publish the DuckDB file only")
    parser.add_argument("--report-failure", action="store_true",
                        help="publish nothing; say the build failed and what readers still see")
    args = parser.parse_args(argv)
    if args.report_failure:
        print(f"Build failed: nothing published; {last_published(args.serve)}.", file=sys.stderr)
        return 1
    parquet_root = None if args.no_parquet else (args.parquet or args.serve.parent / "parquet")
    print(publish(args.source, args.serve, parquet_root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
