"""A throw-away PostgreSQL cluster for the suite's PostgreSQL leg: `python -m pytest -p tests.postgres -m database`.

Loaded with `-p`, the plugin starts before pytest-django reads the settings (they read
DATABASE_URL once): it creates a cluster in a temporary folder (initdb), listening on
127.0.0.1 only, on a free port, with a random password, points DATABASE_URL at it, and
stops and removes it when pytest exits, however the run ends. As root it runs the cluster as
the `postgres` system user that Debian's package creates (initdb refuses to run as root).
To run on a server you already have, leave the plugin out and set DATABASE_URL instead.
"""
from __future__ import annotations

import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

START_TIMEOUT = 60  # seconds `pg_ctl -w` waits for the server to accept connections
SYSTEM_USER = "postgres"  # owns the cluster when pytest runs as root
SUPERUSER = "archive"
# A throw-away cluster needs no durability: no fsync, no waiting for the log at commit.
SERVER_OPTIONS = ("-c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                  "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")


def server_binaries() -> Path:
    """The folder of initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent  # a link on PATH points into the folder of them all
    debian = [path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb") if path.parts[-3].isdigit()]
    if not debian:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
                           "apt-get install postgresql, or set DATABASE_URL to a server you have")
    return max(debian, key=lambda folder: int(folder.parts[-2]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary folder, for one test run."""

    def __init__(self) -> None:
        self.bin = server_binaries()
        self.owner = SYSTEM_USER if os.geteuid() == 0 else None
        self.folder = Path(tempfile.mkdtemp(prefix="archive-postgres-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self.password = secrets.token_urlsafe(24)
        self._creator = os.getpid()

    @property
    def url(self) -> str:
        return f"postgres://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/archive"

    def start(self) -> str:
        """Create and start the cluster; returns its DATABASE_URL."""
        password_file = self.folder / "password"
        password_file.write_text(self.password, encoding="utf-8")
        if self.owner:
            for path in (self.folder, password_file):
                shutil.chown(path, self.owner)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={password_file}",
                  "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        password_file.unlink()
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(START_TIMEOUT),
                  "-o", f"-p {self.port} {SERVER_OPTIONS}")
        return self.url

    def stop(self) -> None:
        """Stop the server (at once: nothing in it is kept) and remove the folder; only in the
        process that started it (a forked child's exit must not stop it)."""
        if os.getpid() != self._creator or not self.folder.exists():
            return
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", "-t", str(START_TIMEOUT))
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        # In the cluster's own folder: the owner may not be allowed into the current one.
        result = subprocess.run(command, cwd=self.folder, capture_output=True, text=True)
        if result.returncode:
            log = self.log.read_text(encoding="utf-8", errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed (exit status {result.returncode}):\n"
                               f"{result.stdout}{result.stderr}{log}")


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Around every other plugin's loading, so before pytest-django reads the settings."""
    cluster = ThrowawayCluster()
    atexit.register(cluster.stop)
    signal.signal(signal.SIGTERM, _interrupt_on_sigterm(os.getpid()))
    os.environ["DATABASE_URL"] = cluster.start()
    return (yield)


def _interrupt_on_sigterm(creator: int):
    """SIGTERM (a CI job's timeout) ends the run like Ctrl-C, so the cluster is still stopped at
    exit; a forked child keeps the default (it is ended by its parent with SIGTERM)."""

    def handler(signum, frame):
        if os.getpid() != creator:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt("SIGTERM")

    return handler


def pytest_report_header(config) -> str:
    return f"PostgreSQL leg: a throw-away cluster on {os.environ['DATABASE_URL'].rsplit('@', 1)[1]}"
