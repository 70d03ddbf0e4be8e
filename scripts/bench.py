#!/usr/bin/env python3
"""Benchmark the warehouse at a scale: full build, an incremental week, dbt's overhead, the floor, pandas.

For --scale small (about 1M events), medium (10M) or large (100M events, 20k accounts, 52 weeks):

1. generates the landing data once (scripts/generate_scale.py; kept between runs) and holds its
   last week back as a separate Parquet part, the week an incremental run adds;
2. full `dbt build` into a fresh warehouse, with every event (wall time, peak memory);
3. incremental: a warehouse built without the last week, copied, then `dbt build` after the week's
   part lands (what the weekly job does);
4. dbt's own overhead: `dbt parse` without partial parsing, and a `dbt build` with next to
   nothing to do (a landing folder of 20 accounts and 10k events: every model, test and hook,
   no data);
5. the floor: scripts/bench/floor.sql, hand-written DuckDB SQL doing only the unavoidable work
   (one scan of the events, sessionization, the account-week group-by) on the same files;
6. pandas (small and medium): scripts/bench/pandas_usage.py, the same aggregates as an analyst
   would write them;
7. Spark (small and medium): the same full `dbt build --target spark` on local Spark (pyspark in
   this process, `local[<threads>]`, driver memory --spark-memory), into a fresh Spark warehouse,
   against the DuckDB full build: the DuckDB / Spark ratio. Needs `make spark-setup`.

Each figure is the median of --runs runs (one run at large). Peak memory is the largest resident
set of the process (dbt runs DuckDB in-process), or of the process and its children together where
that is larger (local Spark's JVM is a child of dbt). Results go to <work>/<scale>/results.json and
are printed with the ratios full / floor, incremental / full, full / pandas and DuckDB / Spark.

    python scripts/bench.py --scale small
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Sequence

PROJECT_DIR = Path(__file__).resolve().parents[1]
SCRIPTS_DIR = PROJECT_DIR / "scripts"
sys.path.insert(0, str(SCRIPTS_DIR))

import configuration_state  # noqa: E402

SCALES = {
    "small": {"accounts": 200, "weeks": 52, "events": 1_000_000, "runs": 3, "pandas": True, "spark": True},
    "medium": {"accounts": 2_000, "weeks": 52, "events": 10_000_000, "runs": 3, "pandas": True, "spark": True},
    "large": {"accounts": 20_000, "weeks": 52, "events": 100_000_000, "runs": 1, "pandas": False, "spark": False},
}
END_DATE = dt.date(2026, 11, 15)  # a Sunday: the held-back week is the last Monday-Sunday week
HELD_BACK = "part-last-week.parquet"


def tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants (from /proc; 0 where there is none)."""
    parents: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(parents.get(pid, []))
    return total


def run(cmd: list[str], env: dict[str, str], cwd: Path = PROJECT_DIR, log: Path | None = None) -> tuple[float, float]:
    """Run a command; (wall seconds, peak resident memory in GiB). Fails loudly on a non-zero exit.

    Peak memory is the larger of the process's own peak (ru_maxrss) and the peak, sampled every
    half second, of the process and its descendants together: dbt on Spark runs the JVM in a
    child process that ru_maxrss does not see."""
    started = time.monotonic()
    out = open(log, "w") if log else subprocess.DEVNULL
    sampled = [0]
    try:
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                sampled[0] = max(sampled[0], tree_rss_bytes(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if Path("/proc").exists():
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
    finally:
        if log:
            out.close()
    wall = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log.read_text()[-3000:] if log else ""
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}\n{tail}")
    return wall, max(usage.ru_maxrss * 1024, sampled[0]) / 1024 ** 3


def median(values: list[float]) -> float:
    return statistics.median(values)


class Bench:
    def __init__(self, scale: str, work: Path, runs: int, threads: int, memory_limit: str,
                 spark_memory: str = "6g") -> None:
        self.scale = scale
        self.config = SCALES[scale]
        self.work = work / scale
        self.runs = runs
        self.threads = threads
        self.memory_limit = memory_limit
        self.spark_memory = spark_memory
        self.landing = self.work / "landing"
        self.python = sys.executable
        self.dbt = str(Path(sys.executable).with_name("dbt"))
        self.results: dict[str, object] = {"scale": scale, **{k: v for k, v in self.config.items() if k != "runs"}}

    def env(self, db: Path) -> dict[str, str]:
        return {
            **os.environ,
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "USAGE_HEALTH_DB": str(db),
            "USAGE_HEALTH_THREADS": str(self.threads),
            "USAGE_HEALTH_MEMORY_LIMIT": self.memory_limit,
            "USAGE_HEALTH_TEMP_DIR": str(self.work / "spill"),
            "DBT_TARGET_PATH": str(self.work / "target"),
            "DBT_LOG_PATH": str(self.work / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def dbt_build(self, db: Path, landing: Path, log_name: str, extra: Sequence[str] = ()) -> tuple[float, float]:
        """The scheduled build as `make build` runs it (scripts/configuration_state.py: no unit
        tests; no configuration checks while the configuration is the one the warehouse last
        built with), after an unmeasured `dbt parse` with the same profile, so that the build
        parses partially, as a weekly job does (each warehouse here is a new path, which
        otherwise forces a full parse: `dbt parse --no-partial-parse` is measured on its own)."""
        variables = json.dumps({"landing_dir": str(landing)})
        env = self.env(db)
        run([self.dbt, "parse", "--vars", variables], env, log=self.work / f"parse-before-{log_name}")
        selection = configuration_state.build_args(db, variables)
        measured = run([self.dbt, "build", "--vars", variables, *selection, *extra], env, log=self.work / log_name)
        configuration_state.record(db, configuration_state.fingerprint(variables, "duckdb"))
        return measured

    # ------------------------------------------------------------ data
    def prepare_data(self) -> None:
        stamp = self.work / "data.json"
        wanted = {k: self.config[k] for k in ("accounts", "weeks", "events")}
        if stamp.exists() and json.loads(stamp.read_text()) == wanted and (self.work / HELD_BACK).exists():
            print(f"landing data: reusing {self.landing}")
            return
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        wall, peak = run([self.python, str(SCRIPTS_DIR / "generate_scale.py"), "--out", str(self.landing),
                          "--accounts", str(wanted["accounts"]), "--weeks", str(wanted["weeks"]),
                          "--events", str(wanted["events"]), "--end-date", END_DATE.isoformat(),
                          "--threads", str(self.threads), "--memory-limit", self.memory_limit],
                         dict(os.environ), log=self.work / "generate.log")
        print(f"landing data: generated in {wall:.0f}s ({(self.work / 'generate.log').read_text().strip()[-160:]})")
        self.results["generate_seconds"] = round(wall, 1)
        self.hold_back_last_week()
        stamp.write_text(json.dumps(wanted))

    def hold_back_last_week(self) -> None:
        """Split the last week out of every event part into one part kept aside (HELD_BACK)."""
        import duckdb

        last_monday = END_DATE - dt.timedelta(days=END_DATE.weekday())
        folder = self.landing / "product_events"
        con = duckdb.connect()
        con.execute(f"set threads = {self.threads}")
        con.execute(f"set memory_limit = '{self.memory_limit}'")
        week = f"try_cast(occurred_at as timestamp) >= timestamp '{last_monday.isoformat()}'"
        con.execute(f"copy (select * from read_parquet('{folder}/part-0*.parquet') where {week}) "
                    f"to '{self.work / HELD_BACK}' (format parquet, compression zstd)")
        for part in sorted(folder.glob("part-0*.parquet")):
            kept = part.with_suffix(".kept")
            con.execute(f"copy (select * from read_parquet('{part}') where not ({week})) "
                        f"to '{kept}' (format parquet, compression zstd)")
            kept.replace(part)
        con.close()

    def with_last_week(self, present: bool) -> None:
        target = self.landing / "product_events" / HELD_BACK
        if present and not target.exists():
            shutil.copy2(self.work / HELD_BACK, target)
        if not present and target.exists():
            target.unlink()

    # ------------------------------------------------------------ measurements
    def measure(self, key: str, label: str, once: Callable[[int], tuple[float, float]]) -> None:
        """Run `once(i)` --runs times; record the median wall time, the peak memory, every run."""
        walls, peaks = [], []
        for i in range(self.runs):
            wall, peak = once(i)
            walls.append(wall)
            peaks.append(peak)
            print(f"  {label} {i + 1}/{self.runs}: {wall:.1f}s, peak {peak:.2f} GiB")
        self.results[f"{key}_seconds"] = round(median(walls), 1)
        self.results[f"{key}_peak_gib"] = round(max(peaks), 2)
        self.results[f"{key}_runs"] = [round(w, 1) for w in walls]

    def full_builds(self) -> None:
        self.with_last_week(True)

        def once(i: int) -> tuple[float, float]:
            db = self.work / "full.duckdb"
            for stale in (db, db.with_suffix(".duckdb.wal")):
                stale.unlink(missing_ok=True)
            return self.dbt_build(db, self.landing, f"full-{i}.log")

        self.measure("full_build", "full build", once)
        self.results["slowest_nodes"] = self.slowest_nodes()
        import duckdb

        con = duckdb.connect(str(self.work / "full.duckdb"), read_only=True)
        self.results["events_kept"] = con.execute("select count(*) from staging.stg_product__events").fetchone()[0]
        self.results["events_read"] = con.execute("select count(*) from staging.base_product_events").fetchone()[0]
        con.close()

    def slowest_nodes(self, top: int = 12) -> list[list[object]]:
        results = json.loads((self.work / "target" / "run_results.json").read_text())["results"]
        ranked = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:top]
        return [[r["unique_id"].split(".", 2)[-1], round(r["execution_time"], 1)] for r in ranked]

    def incremental_builds(self) -> None:
        before = self.work / "before-last-week.duckdb"
        self.with_last_week(False)
        for stale in (before, before.with_suffix(".duckdb.wal")):
            stale.unlink(missing_ok=True)
        wall, _ = self.dbt_build(before, self.landing, "before-last-week.log")
        print(f"  warehouse without the last week: {wall:.1f}s")

        def once(i: int) -> tuple[float, float]:
            db = self.work / "incremental.duckdb"
            shutil.copy2(before, db)
            self.with_last_week(False)
            self.with_last_week(True)  # lands now: a new file version
            return self.dbt_build(db, self.landing, f"incremental-{i}.log")

        self.measure("incremental", "incremental week", once)
        self.results["incremental_slowest_nodes"] = self.slowest_nodes()

    def overhead(self) -> None:
        parse = []
        for i in range(self.runs):
            wall, _ = run([self.dbt, "parse", "--no-partial-parse"], self.env(self.work / "parse.duckdb"),
                          log=self.work / f"parse-{i}.log")
            parse.append(wall)
        self.results["dbt_parse_seconds"] = round(median(parse), 1)
        tiny = self.work / "tiny-landing"
        if not tiny.exists():
            run([self.python, str(SCRIPTS_DIR / "generate_scale.py"), "--out", str(tiny), "--accounts", "20",
                 "--weeks", "26", "--events", "10000", "--threads", str(self.threads)], dict(os.environ))
        fresh, again, quiet = [], [], []
        for i in range(self.runs):
            db = self.work / "tiny.duckdb"
            for stale in (db, db.with_suffix(".duckdb.wal")):
                stale.unlink(missing_ok=True)
            # a new warehouse on next to no data: every node, the configuration checked
            wall, _ = self.dbt_build(db, tiny, f"tiny-{i}.log")
            fresh.append(wall)
            # the same warehouse built again with nothing new: the weekly job on a quiet week
            wall, _ = self.dbt_build(db, tiny, f"tiny-again-{i}.log")
            again.append(wall)
            # `make build` on a quiet week: published, then nothing new, so no dbt at all
            variables, serve = json.dumps({"landing_dir": str(tiny)}), self.work / "tiny-serve" / "tiny.duckdb"
            state = [self.python, str(SCRIPTS_DIR / "configuration_state.py")]
            run([self.python, str(SCRIPTS_DIR / "publish.py"), "--source", str(db), "--serve", str(serve)],
                self.env(db), log=self.work / f"tiny-publish-{i}.log")
            run([*state, "record-inputs", "--db", str(db), "--vars", variables, "--serve", str(serve)], self.env(db))
            wall, _ = run([*state, "unchanged", "--db", str(db), "--vars", variables, "--serve", str(serve)],
                          self.env(db), log=self.work / f"tiny-unchanged-{i}.log")
            quiet.append(wall)
        self.results["dbt_nothing_to_do_seconds"] = round(median(fresh), 1)
        self.results["dbt_nothing_new_seconds"] = round(median(again), 1)
        self.results["make_build_nothing_new_seconds"] = round(median(quiet), 1)
        print(f"  dbt parse {self.results['dbt_parse_seconds']}s, new warehouse with next to nothing "
              f"{self.results['dbt_nothing_to_do_seconds']}s, built again with nothing new "
              f"{self.results['dbt_nothing_new_seconds']}s (make build skips dbt: "
              f"{self.results['make_build_nothing_new_seconds']}s)")

    def floor(self) -> None:
        self.with_last_week(True)
        sql = (SCRIPTS_DIR / "bench" / "floor.sql").read_text().replace("{landing}", str(self.landing))
        (self.work / "floor.sql").write_text(sql)
        runner = self.work / "floor_run.py"
        runner.write_text(
            "import duckdb, sys\n"
            f"con = duckdb.connect({str(self.work / 'floor.duckdb')!r})\n"
            f"con.execute(\"set threads = {self.threads}\")\n"
            f"con.execute(\"set memory_limit = '{self.memory_limit}'\")\n"
            f"con.execute(\"set temp_directory = '{self.work / 'spill'}'\")\n"
            "con.execute('set preserve_insertion_order = false')\n"
            f"con.execute(open({str(self.work / 'floor.sql')!r}).read())\n"
            "print(con.execute('select count(*), sum(events) from floor_account_weeks').fetchone())\n"
        )

        def once(i: int) -> tuple[float, float]:
            (self.work / "floor.duckdb").unlink(missing_ok=True)
            return run([self.python, str(runner)], dict(os.environ), log=self.work / f"floor-{i}.log")

        self.measure("floor", "floor", once)
        self.results["floor_account_weeks_and_events"] = (self.work / "floor-0.log").read_text().strip()

    def pandas(self) -> None:
        if not self.config["pandas"]:
            return
        self.with_last_week(True)
        self.measure("pandas", "pandas", lambda i: run(
            [self.python, str(SCRIPTS_DIR / "bench" / "pandas_usage.py"), "--landing", str(self.landing)],
            dict(os.environ), log=self.work / f"pandas-{i}.log"))

    def spark(self) -> None:
        """The full build on local Spark, into a fresh Spark warehouse each run."""
        if not self.config["spark"]:
            return
        self.with_last_week(True)

        def once(i: int) -> tuple[float, float]:
            spark_dir = self.work / "spark"
            if spark_dir.exists():
                shutil.rmtree(spark_dir)
            env = {**self.env(self.work / "unused.duckdb"), "USAGE_HEALTH_SPARK_DIR": str(spark_dir),
                   "USAGE_HEALTH_SPARK_MEMORY": self.spark_memory}
            variables = json.dumps({"landing_dir": str(self.landing)})
            return run([self.dbt, "build", "--target", "spark", "--vars", variables], env,
                       log=self.work / f"spark-{i}.log")

        self.measure("spark_full_build", "Spark full build", once)
        self.results["spark_slowest_nodes"] = self.slowest_nodes()

    # ------------------------------------------------------------ report
    def machine(self) -> dict[str, str]:
        import duckdb

        cpu = ""
        if Path("/proc/cpuinfo").exists():
            names = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name")]
            cpu = names[0] if names else ""
        memory = ""
        if Path("/proc/meminfo").exists():
            kb = int(Path("/proc/meminfo").read_text().split()[1])
            memory = f"{kb / 1024 / 1024:.0f} GiB"
        dbt_version = subprocess.run([self.dbt, "--version"], capture_output=True, text=True).stdout
        return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": memory, "python": platform.python_version(),
                "duckdb": duckdb.__version__,
                "dbt": " ".join(line.strip() for line in dbt_version.splitlines() if "installed" in line or "duckdb:" in line),
                "threads": str(self.threads), "memory_limit": self.memory_limit}

    def report(self) -> None:
        r = self.results
        r["machine"] = self.machine()
        r["full_over_floor"] = round(r["full_build_seconds"] / r["floor_seconds"], 2)
        r["incremental_over_full"] = round(r["incremental_seconds"] / r["full_build_seconds"], 3)
        if "pandas_seconds" in r:
            r["full_over_pandas"] = round(r["full_build_seconds"] / r["pandas_seconds"], 2)
        if "spark_full_build_seconds" in r:
            r["duckdb_over_spark"] = round(r["full_build_seconds"] / r["spark_full_build_seconds"], 3)
        (self.work / "results.json").write_text(json.dumps(r, indent=2))
        print(f"\n== bench {self.scale}: {r['events_read']:,} events read, {r['accounts']:,} accounts, "
              f"{r['weeks']} weeks; median of {self.runs} run(s) ==")
        rows = [
            ("full dbt build", f"{r['full_build_seconds']}s", f"{r['full_build_peak_gib']} GiB"),
            ("incremental week (dbt build)", f"{r['incremental_seconds']}s", f"{r['incremental_peak_gib']} GiB"),
            ("dbt parse (no partial parse)", f"{r['dbt_parse_seconds']}s", ""),
            ("dbt build, next to nothing to do", f"{r['dbt_nothing_to_do_seconds']}s", ""),
            ("the same, built again (nothing new)", f"{r['dbt_nothing_new_seconds']}s", ""),
            ("make build with nothing new (no dbt)", f"{r['make_build_nothing_new_seconds']}s", ""),
            ("floor (hand-written DuckDB)", f"{r['floor_seconds']}s", f"{r['floor_peak_gib']} GiB"),
        ]
        if "pandas_seconds" in r:
            rows.append(("pandas usage aggregates", f"{r['pandas_seconds']}s", f"{r['pandas_peak_gib']} GiB"))
        if "spark_full_build_seconds" in r:
            rows.append(("full dbt build on local Spark", f"{r['spark_full_build_seconds']}s",
                         f"{r['spark_full_build_peak_gib']} GiB"))
        for name, seconds, peak in rows:
            print(f"  {name:<34} {seconds:>9} {peak:>10}")
        print(f"  full build / floor       {r['full_over_floor']}")
        print(f"  incremental / full       {r['incremental_over_full']}")
        if "full_over_pandas" in r:
            print(f"  full build / pandas      {r['full_over_pandas']}")
        if "duckdb_over_spark" in r:
            print(f"  DuckDB / Spark (full)    {r['duckdb_over_spark']}")
        print("  slowest nodes of the full build: "
              + ", ".join(f"{name} {seconds}s" for name, seconds in r["slowest_nodes"][:8]))
        print(f"results: {self.work / 'results.json'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the warehouse at a scale (see the module doc).")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "build" / "bench",
                        help="where data, warehouses and results go (default: build/bench)")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (default: 3, large 1)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("USAGE_HEALTH_THREADS", "2")))
    parser.add_argument("--memory-limit", default=os.environ.get("USAGE_HEALTH_MEMORY_LIMIT", "6GB"),
                        help="DuckDB memory limit for dbt, the floor and the generator (default: 6GB)")
    parser.add_argument("--skip", action="append", default=[],
                        choices=["full", "incremental", "overhead", "floor", "pandas", "spark"],
                        help="leave a measurement out")
    parser.add_argument("--only", action="append", default=[],
                        choices=["full", "incremental", "overhead", "floor", "pandas", "spark"],
                        help="run only these measurements")
    parser.add_argument("--spark-memory", default=os.environ.get("USAGE_HEALTH_SPARK_MEMORY", "6g"),
                        help="Spark driver memory for the Spark build (default: 6g)")
    args = parser.parse_args(argv)
    runs = args.runs or SCALES[args.scale]["runs"]
    bench = Bench(args.scale, args.work.resolve(), runs, args.threads, args.memory_limit, args.spark_memory)
    bench.prepare_data()
    steps = [("full", bench.full_builds), ("incremental", bench.incremental_builds), ("overhead", bench.overhead),
             ("floor", bench.floor), ("pandas", bench.pandas), ("spark", bench.spark)]
    if args.only:
        args.skip = [name for name, _ in steps if name not in args.only]
    for name, step in steps:
        if name not in args.skip:
            print(f"{name}:")
            step()
    if not args.skip:
        bench.report()
    else:
        (bench.work / "results-partial.json").write_text(json.dumps(bench.results, indent=2, default=str))
        print(json.dumps(bench.results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
