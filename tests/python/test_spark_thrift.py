"""The documented Thrift target (profiles.yml's spark_thrift, for a cluster behind a Thrift server)
run for real against a Spark Thrift Server started from pyspark's own jars: it builds every seed,
model and snapshot of the parity landing folder (spark_cases.py) and gives the same public relations
as the DuckDB build. The data and unit tests run on Spark in test_spark_parity.py's session build;
here they would only repeat the same SQL over another connection, so they are left out. A file of
its own, so that it runs on the second pytest worker beside the session-mode file.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import run_dbt
from spark_cases import assert_identical, write_parity_landing


@pytest.fixture(scope="module")
def thrift_work(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("thrift")
    landing = write_parity_landing(work)
    # the relations to compare with; the data and unit tests of this folder run in test_spark_parity.py
    duck = run_dbt(["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
                   work / "duck.duckdb", landing)
    assert duck.returncode == 0, duck.output[-3000:]
    return work, landing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def thrift_server(tmp_path: Path):
    """A Spark Thrift Server (HiveServer2 on local Spark) from pyspark's jars, on a free port."""
    import pyspark

    spark_home = Path(pyspark.__file__).parent
    warehouse = tmp_path / "thrift-warehouse"
    warehouse.mkdir()
    port = free_port()
    settings = {
        "spark.sql.warehouse.dir": f"{warehouse}/tables",
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={warehouse}/metastore_db;create=true",
        "spark.driver.extraJavaOptions": f"-Dderby.stream.error.file={warehouse}/derby.log",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.legacy.createHiveTableByDefault": "false",
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        "spark.sql.shuffle.partitions": "4",
        "spark.ui.enabled": "false",
    }
    command = [str(spark_home / "bin" / "spark-submit"), "--class",
               "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2", "--master", "local[2]",
               "--driver-memory", "2g"]
    for key, value in settings.items():
        command += ["--conf", f"{key}={value}"]
    command += ["--hiveconf", f"hive.server2.thrift.port={port}", "--hiveconf",
                "hive.server2.thrift.bind.host=localhost", "spark-internal"]
    log = open(tmp_path / "thrift-server.log", "w")
    server = subprocess.Popen(command, env={**os.environ, "SPARK_HOME": str(spark_home)}, cwd=tmp_path,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "thrift-server.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the Thrift server did not open its port in 120 s"
                time.sleep(1)
        yield port, warehouse
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def test_the_thrift_target_builds_the_same_marts(thrift_work: tuple[Path, Path], thrift_server) -> None:
    """profiles.yml's spark_thrift target, for a cluster behind a Thrift server, against a real one."""
    work, landing = thrift_work
    port, warehouse = thrift_server
    result = run_dbt(["build", "--target", "spark_thrift", "--exclude-resource-type", "test",
                      "--exclude-resource-type", "unit_test"], work / "thrift.duckdb", landing,
                     extra_env={"USAGE_HEALTH_SPARK_PORT": str(port), "USAGE_HEALTH_SPARK_HOST": "localhost"})
    assert result.returncode == 0, result.output[-5000:]
    diffs = assert_identical(work, warehouse)
    assert {d.name for d in diffs} >= {"marts.rpt_account_quadrant", "staging.stg_landing__quarantine"}

