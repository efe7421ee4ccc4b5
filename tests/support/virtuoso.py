"""Start a private Virtuoso Open Source for the tests: own config and database in a temporary
folder, listening on 127.0.0.1 only, on free ports, stopped afterwards."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.support import markers
from tests.support.live_server import free_port

__all__ = ["Virtuoso", "free_port"]

CONFIG = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 1G
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 600
"""
# The anonymous /sparql endpoint runs as SQL user "SPARQL": let it update graphs. Only for
# this private, loopback-only test server.
GRANTS = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen | None = None

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    def start(self, timeout: float = 120.0) -> None:
        markers.require("virtuoso", "Virtuoso")
        config = self.folder / "virtuoso.ini"
        config.write_text(
            CONFIG.format(dir=self.folder, sql_port=self.sql_port, http_port=self.http_port)
        )
        self.process = subprocess.Popen(
            [shutil.which("virtuoso-t") or "virtuoso-t", "+foreground", "+configfile", str(config)],
            cwd=self.folder,
            stdout=(self.folder / "stdout.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {self.log_tail()}")
            if self._ready():
                break
            time.sleep(0.5)
        else:
            self.stop()
            raise RuntimeError(f"virtuoso-t not ready after {timeout:.0f} s: {self.log_tail()}")
        subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={GRANTS}"],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.sparql}?query=ASK%7B%7D", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    def log_tail(self) -> str:
        log = self.folder / "virtuoso.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
