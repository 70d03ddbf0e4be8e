"""Writing the landing folder: CSV files with ``\\n`` line endings, Parquet through DuckDB, the
event part files and the ``_truth`` folder. Every file is written in full, in a fixed order."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import tempfile
from typing import Any, Iterable, Iterator, Sequence

from demo_landing.world import World

TRUTH_FILE = os.path.join("_truth", "planted_accounts.csv")
TRUTH_HEADER = ["account_id", "segment", "planted_quadrant", "identity_method"]
# Issue 16's planted cases (demo_landing.cases): one row per case.
CASES_FILE = os.path.join("_truth", "planted_cases.csv")


def recreate_folder(path: str) -> None:
    """Delete ``path`` if it exists and make it again, empty."""
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)


def _write_rows(path: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def write_csv(out: str, rel_path: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``<out>/<rel_path>`` (making its folder); returns the number of data rows."""
    path = os.path.join(out, rel_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return _write_rows(path, header, rows)


def write_parquet(out: str, name: str, columns: dict[str, str], rows: Sequence[Sequence[Any]]) -> int:
    """Write ``<out>/<name>.parquet`` with the given column -> DuckDB type; returns the row count."""
    import duckdb  # imported lazily so --help works without it

    target = os.path.join(out, f"{name}.parquet")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, f"{name}.csv")
        _write_rows(src, list(columns), rows)
        names = ", ".join(columns)
        types = ", ".join(f"'{column}': '{kind}'" for column, kind in columns.items())
        src_sql = src.replace("'", "''")
        dst_sql = target.replace("'", "''")
        con = duckdb.connect(":memory:")
        try:
            con.execute("set threads = 1")
            con.execute(
                f"copy (select {names} from read_csv('{src_sql}', header = true, auto_detect = false, "
                f"columns = {{{types}}})) to '{dst_sql}' (format parquet)"
            )
        finally:
            con.close()
    return len(rows)


@contextlib.contextmanager
def csv_parts(folder: str, n: int, header: Sequence[str]) -> Iterator[list[Any]]:
    """Make ``folder`` and open ``part-000.csv``.. in it; yields their CSV writers, header written."""
    os.makedirs(folder)
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(open(os.path.join(folder, f"part-{p:03d}.csv"), "w", encoding="utf-8",
                                            newline=""))
                   for p in range(n)]
        writers = [csv.writer(h, lineterminator="\n") for h in handles]
        for writer in writers:
            writer.writerow(header)
        yield writers


def write_truth(out: str, world: World) -> int:
    """``<out>/_truth/planted_accounts.csv``: each top-level account's plant and identity method."""
    rows = ([a.account_id, a.segment, a.plant, a.identity_method] for a in world.accounts if not a.is_child)
    return write_csv(out, TRUTH_FILE, TRUTH_HEADER, rows)
