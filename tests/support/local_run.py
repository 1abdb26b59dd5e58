"""The local run (`python -m local.run`) as a subprocess, started and stopped as a person would."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


class LocalRun:
    """`python -m local.run --port 0 ARGS`; `url` once the banner is printed."""

    def __init__(self, *args: str) -> None:
        self.args = args
        self.url = ""
        self.lines: list[str] = []
        self.returncode: int | None = None
        self._ready = threading.Event()
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> LocalRun:
        env = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        for name in ("AWS_ENDPOINT_URL", "E2E_BASE_URL"):
            env.pop(name, None)
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "local.run", "--port", "0", *self.args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # Read continuously: the request log would otherwise fill the pipe and block the server.
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._ready.wait(0.1):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the local run did not start:\n" + "".join(self.lines))
        return self

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append(line)
            found = re.search(r"running at (http://\S+)", line)
            if found:
                self.url = found.group(1)
            # The banner's last line: the whole banner has been read, and the portal serves.
            if self.url and "Ctrl-C stops" in line:
                self._ready.set()

    def stop(self) -> int:
        """Ctrl-C, as a person stops it; the exit status."""
        assert self._process is not None
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self.returncode = self._process.returncode
        return self.returncode

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
