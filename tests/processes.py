"""Run ``tandem`` commands as separate processes, as production does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

TANDEM = [sys.executable, "-c", "from tandem.plugin.cli import main; main()"]


class Processes:
    """Starts ``tandem`` subcommands with one environment and stops them all at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = {**os.environ, **env}
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command to completion."""
        return subprocess.run([*TANDEM, *args], env=self.env, capture_output=True, text=True, timeout=180, check=True)

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        """Start a long-running command (its output goes to ``logs/name.log``)."""
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen([*TANDEM, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.running[name] = process
        return process

    def kill(self, name: str) -> None:
        """``kill -9``: no chance to clean up or acknowledge anything."""
        process = self.running.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        """Stop every process still running."""
        for process in self.running.values():
            process.terminate()
        for process in self.running.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.running.clear()

    def log(self, name: str) -> str:
        """What a process printed."""
        return (self.logs / f"{name}.log").read_text(errors="replace")


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until true; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
