"""A private PostgreSQL server that checks passwords (scram-sha-256), for the tests of a wrong
password and of the app asking for one. The shared test server trusts every local login, so it
cannot refuse a password. Built with the server's own initdb and pg_ctl in a temporary folder,
on a free port, and removed at the end of the run; skipped when those programs are missing."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class ScramServer:
    port: int
    user: str
    password: str
    database: str

    def url(self, password: str | None = None, user: str | None = None,
            database: str | None = None) -> str:
        auth = user or self.user
        if password is not None:
            auth += f":{password}"
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database or self.database}"

    def new_database(self) -> str:
        """A fresh, empty database on this server (for one test); its name."""
        import uuid

        import psycopg

        name = f"board_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.url(self.password, database="postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} OWNER {self.user}")
        return name


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return Path(dirs[-1]) if dirs and (Path(dirs[-1]) / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scram_server() -> Iterator[ScramServer]:
    bindir = _bindir()
    if bindir is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed")
    root = Path(tempfile.mkdtemp(prefix="vrboard-scram-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as the postgres user
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start a private server")
        shutil.chown(root, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()
    server = ScramServer(port, "board_admin", "correct-horse-battery", "vrboard")

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=60)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-N", "--no-instructions",
            "--auth-local=trust", "--auth-host=scram-sha-256")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"), "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        import psycopg  # over the server's own socket, where it trusts its owner

        with psycopg.connect(host=str(root), port=port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {server.user} LOGIN SUPERUSER PASSWORD "
                         f"'{server.password}'")
            conn.execute(f"CREATE DATABASE {server.database} OWNER {server.user}")
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def scram() -> Iterator[ScramServer]:
    yield from scram_server()


@pytest.fixture
def no_pgpass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No password file but the one a test writes (PGPASSFILE), and no PGPASSWORD."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    path = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path
