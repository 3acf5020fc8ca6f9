"""Private PostgreSQL and RabbitMQ servers on free loopback ports, for tests and benchmarks (no test framework).

Each lives in a temporary directory; nothing on the machine is reused or
changed. ``.ci/install-services.sh`` installs the Debian packages they need.
Both can be stopped and started again mid-run (for crash and fault tests);
PostgreSQL can also be restarted the way an operator does (``pg_ctl restart -m fast``).

PostgreSQL refuses to run as root, so as root its tools run as the
``postgres`` user (``runuser``) on a data directory chowned to it.

RabbitMQ runs with its own node name, cookie (``HOME``), distribution port
and its own ``epmd`` on a free port (``ERL_EPMD_PORT``): the node's first
start spawns that epmd as a detached daemon, and ``RabbitServer.stop`` kills
it again, so no beam or epmd process outlives the session and the machine's
shared epmd on 4369 is never started, used or stopped.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pika
import pika.exceptions

RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


class ServerMissing(RuntimeError):
    """The Debian package a server needs is not installed."""


INSTALL_HINT = "run `bash .ci/install-services.sh` (or `sudo apt-get install rabbitmq-server postgresql`)"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Block until something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


def _as_service_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as ``postgres`` when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _postgres_bin() -> Path:
    """The ``bin`` directory of the newest PostgreSQL under ``/usr/lib/postgresql``."""

    def version(pg_ctl: str) -> tuple[int, ...]:
        return tuple(int(part) for part in Path(pg_ctl).parts[-3].split(".") if part.isdigit())

    found = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not found:
        raise ServerMissing(f"PostgreSQL is not installed (Debian package postgresql): {INSTALL_HINT}")
    return Path(max(found, key=version)).parent


class PostgresServer:
    """A throwaway PostgreSQL cluster with trust authentication on a loopback port."""

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="tandem-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def _run(self, tool: str, *arguments: str) -> None:
        """Run one of PostgreSQL's tools; a failure raises with its output."""
        command = _as_service_user([str(self.bin / tool), *arguments])
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    def start(self) -> None:
        """Start (or restart) the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        wait_for_port(self.port, 30)

    def stop(self) -> None:
        """Stop the server quickly (open connections are cut); does nothing if it is not running."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: connections are cut, the server comes back on the same port."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-m", "fast", "-w", "restart")
        wait_for_port(self.port, 30)

    def log(self) -> str:
        """What the server wrote to its log so far."""
        path = self.root / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def create_database(self, name: str) -> str:
        """Create a database; returns its SQLAlchemy URL."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def clone_database(self, template: str, name: str) -> str:
        """(Re)create database ``name`` as a copy of ``template``, cutting any connection to the old one; its URL."""
        import psycopg  # the postgres extra; only needed where a PostgreSQL server runs

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        """Delete the cluster's files."""
        shutil.rmtree(self.root, ignore_errors=True)


class RabbitServer:
    """A private RabbitMQ node (its own name, ports, epmd, data and cookie) on loopback."""

    def __init__(self) -> None:
        if not os.path.exists(RABBITMQ_SERVER):
            raise ServerMissing(f"RabbitMQ is not installed (Debian package rabbitmq-server): {INSTALL_HINT}")
        self.root = Path(tempfile.mkdtemp(prefix="tandem-rabbit-"))
        self.port = free_port()
        self.epmd_port = free_port()
        self.node = f"tandem-test-{self.port}@localhost"
        (self.root / "enabled_plugins").write_text("[].\n")
        (self.root / "rabbitmq.conf").write_text("loopback_users = none\n")
        self.env = {
            **os.environ,
            "HOME": str(self.root),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(self.root / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.root / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.root / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.root / "rabbitmq"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.root / "advanced.config"),
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The AMQP URL of the default virtual host."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def start(self) -> None:
        """Start (or restart) the node and wait until it completes an AMQP handshake."""
        with (self.root / "server.out").open("ab") as log:
            self.process = subprocess.Popen(
                [RABBITMQ_SERVER], env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_for_amqp(60)
        except BaseException:
            self.stop()
            raise

    def _wait_for_amqp(self, timeout: float) -> None:
        """Block until a pika connection to the node opens (it then closes it)."""
        assert self.process is not None
        parameters = pika.URLParameters(f"{self.url}?connection_attempts=1&socket_timeout=1")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.root / "server.out").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"rabbitmq-server exited with {self.process.returncode}:\n{log}")
            try:
                connection = pika.BlockingConnection(parameters)
            except pika.exceptions.AMQPError:
                time.sleep(0.2)
                continue
            connection.close()
            return
        raise TimeoutError(f"RabbitMQ did not accept AMQP connections on {self.port} within {timeout} s")

    def stop(self) -> None:
        """Stop the node, every process it started and its private epmd."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._kill_epmd()

    def _kill_epmd(self) -> None:
        """Stop the epmd on our private port; it refuses while a node is registered, so retry briefly."""
        epmd = shutil.which("epmd")
        if epmd is None:
            return
        for _ in range(25):
            done = subprocess.run(
                [epmd, "-port", str(self.epmd_port), "-kill"], env=self.env, capture_output=True, text=True, check=False
            )
            if "Killing not allowed" not in done.stdout + done.stderr:
                return  # killed, or none was running
            time.sleep(0.2)

    def remove(self) -> None:
        """Delete the node's files."""
        shutil.rmtree(self.root, ignore_errors=True)
