"""gunicorn for the bench, and the sampler of its workers' memory.

The server runs as production does (gunicorn, sync workers, the Dockerfile's timeout), bound to a free
port on 127.0.0.1 so a bench never collides with `make run` or another bench.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers), read from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # The command name is in parentheses and may hold spaces: the ppid is the 2nd field after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class RssSampler(threading.Thread):
    """Samples every worker's VmRSS every `interval` seconds for the server's whole life.

    `peak_mb` is the largest worker seen. `window()` starts a measurement of its own (the export):
    `window_peak_mb` is the largest worker since, and `window_growth_mb` the most one worker grew since,
    which tells the request's own memory apart from what the worker held before it."""

    def __init__(self, master_pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.interval = interval
        self.peak_mb = 0.0
        self._baseline: dict[int, float] = {}
        self._window_peaks: dict[int, float] = {}
        self._lock = threading.Lock()
        self._stop_event = threading.Event()

    def window(self) -> None:
        sizes = self._sizes()
        with self._lock:
            self._baseline = dict(sizes)
            self._window_peaks = dict(sizes)

    @property
    def window_peak_mb(self) -> float:
        return max(self._window_peaks.values(), default=0.0)

    @property
    def window_growth_mb(self) -> float:
        return max((peak - self._baseline.get(pid, peak) for pid, peak in self._window_peaks.items()), default=0.0)

    def _sizes(self) -> dict[int, float]:
        return {pid: size for pid in children(self.master_pid) if (size := rss_mb(pid)) is not None}

    def sample(self) -> None:
        sizes = self._sizes()
        with self._lock:
            for pid, size in sizes.items():
                self.peak_mb = max(self.peak_mb, size)
                self._window_peaks[pid] = max(self._window_peaks.get(pid, 0.0), size)

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()


class Gunicorn:
    """`with Gunicorn(env, workers) as server:` — started, healthy, sampled; stopped on the way out,
    whatever happens inside (an error, Ctrl-C). Chainwork by default; the peer (bench/peer.py) passes its
    own gunicorn, WSGI module and folder, and serves /healthz too."""

    def __init__(self, env: dict[str, str], workers: int, *, gunicorn: Path = GUNICORN, app: str = "chainwork.wsgi",
                 cwd: Path = REPO):
        self.env = env
        self.workers = workers
        self.gunicorn, self.app, self.cwd = gunicorn, app, cwd
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.sampler: RssSampler | None = None

    def __enter__(self) -> Gunicorn:
        command = [str(self.gunicorn), self.app, "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.workers), "--worker-tmp-dir", "/dev/shm",  # noqa: S108 (gunicorn's advice)
                   "--timeout", "120",
                   "--log-level", "warning"]
        # Its own process group: Ctrl-C in the terminal reaches the bench, which stops gunicorn itself.
        self.process = subprocess.Popen(command, cwd=self.cwd, env=self.env, start_new_session=True)
        try:
            self._wait_healthy()
            self.sampler = RssSampler(self.process.pid)
            self.sampler.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode} before answering /healthz")
            # Not listening yet (OSError): try again.
            with contextlib.suppress(OSError), urllib.request.urlopen(  # noqa: S310
                    f"{self.base}/healthz", timeout=5) as response:
                if response.status == 200 and len(children(self.process.pid)) >= self.workers:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz with 200 within {timeout:.0f} s")

    def stop(self) -> None:
        if self.sampler:
            self.sampler.stop()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop of the master and its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
