"""Tools of the pages-and-API benchmark (`manage.py bench_pages`).

- `percentile`: the pure statistic the table prints (linear interpolation between ranks).
- `Gunicorn`: a real `gunicorn config.wsgi:application --bind 127.0.0.1:<port> --workers N`, the
  command docker-compose.yml runs, started in its own process group and stopped with it.
- `measure_latency`: sequential authenticated GETs, wall time per request in milliseconds.
- `throughput`: requests per second under wrk (or a bounded Python load loop when wrk is absent).
- `LoadRounds`: throughputs measured in interleaved rounds, summarised as medians and ratios.
- `explain`: EXPLAIN (ANALYZE, BUFFERS) of a captured statement, and the sequential scans it shows
  over the tables that grow with the portfolio.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

# The tables that grow with the portfolio: a sequential scan over one of them is a plan that
# slows down linearly with the data.
LARGE_TABLES = (
    "activities_activity",
    "monitoring_assessment",
    "activities_milestone",
    "geography_activitycountry",
)


def percentile(values: Sequence[float], pct: float) -> float:
    """The pct-th percentile (0–100) of values, interpolating linearly between the two nearest
    ranks (numpy's default). Raises ValueError on an empty sequence."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be within 0–100, not {pct}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def gunicorn_command(port: int, workers: int) -> list[str]:
    """docker-compose.yml's web command, bound to loopback, with `workers` processes (the
    benchmark's default is 2, one per core; docker-compose.yml runs 3)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [
        str(gunicorn),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]


class Gunicorn:
    """`with Gunicorn(port=8765, workers=2, env={...}) as server: server.url("/")`."""

    def __init__(self, *, port: int, workers: int, env: dict[str, str]):
        self.port, self.workers = port, workers
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 — closed in __exit__
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Gunicorn:
        try:
            return self._start()
        except BaseException:  # never leave a server behind, holding the port
            self.stop()
            raise

    def _start(self) -> Gunicorn:
        self.process = subprocess.Popen(
            gunicorn_command(self.port, self.workers),
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers go with it
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                if requests.get(self.url("/healthz"), timeout=2).status_code < 500:
                    return self
            except requests.RequestException:  # not listening yet, or busy starting
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()
        self.log.close()
        if exc_type is None:
            Path(self.log.name).unlink(missing_ok=True)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def login(server: Gunicorn, username: str, password: str) -> requests.Session:
    """A browser-like session signed in through the sign-in form (so the session cookie is the
    server's own)."""
    session = requests.Session()
    login_url = server.url("/accounts/login/")
    session.get(login_url, timeout=10).raise_for_status()
    answer = session.post(
        login_url,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"Sign-in failed ({answer.status_code}).")
    return session


def measure_latency(
    get: Callable[[str], requests.Response],
    paths: Iterable[str],
    *,
    warmup: int = 3,
    budget_seconds: float = 30,
    at_least: int = 5,
    before: Callable[[], object] | None = None,
) -> list[float]:
    """GET each path in turn (after `warmup` untimed requests to the first paths); milliseconds
    per request. Stops early once `budget_seconds` are spent and `at_least` requests timed (a
    slow page would otherwise take minutes). Every answer must be 200: a fast error page would be
    a false figure. `before`, when given, runs before each timed request, outside the timing
    (e.g. a write that invalidates what the page keeps stored)."""
    paths = list(paths)
    for path in paths[:warmup]:
        get(path)
    timings: list[float] = []
    deadline = time.monotonic() + budget_seconds
    for path in paths:
        if len(timings) >= at_least and time.monotonic() > deadline:
            break
        if before is not None:
            before()
        started = time.perf_counter()
        answer = get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200:
            raise RuntimeError(f"GET {path} answered {answer.status_code}: {answer.text[:300]}")
        timings.append(elapsed)
    return timings


@dataclass(frozen=True)
class Throughput:
    requests_per_second: float
    tool: str


@dataclass(frozen=True)
class LoadRounds:
    """Requests per second of each URL name, one dict per round; in a round every name is
    measured once, one after the other. A ratio to the ceiling is taken within each round, where
    both were measured seconds apart: on a shared virtual machine the speed of the whole machine
    drifts between minutes (a bare endpoint measured at 3,900 and 5,300 req/s in two runs a
    minute apart), and a ratio of figures from different minutes would carry that drift."""

    rounds: list[dict[str, float]]

    def median(self, name: str) -> float:
        return percentile([r[name] for r in self.rounds], 50)

    def ratios(self, name: str, ceiling: str) -> list[float]:
        return sorted(r[name] / r[ceiling] for r in self.rounds)

    def median_ratio(self, name: str, ceiling: str) -> float:
        return percentile(self.ratios(name, ceiling), 50)


_WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def throughput(
    url: str, *, headers: dict[str, str], seconds: int, connections: int, threads: int = 2
) -> Throughput:
    """Requests per second on `url` for `seconds` seconds with `connections` open connections."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return _python_throughput(url, headers=headers, seconds=seconds, connections=connections)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    errors = _WRK_NON_2XX.search(output)
    if errors:
        raise RuntimeError(f"{errors.group(1)} error answers from {url}:\n{output}")
    return Throughput(float(_WRK_RATE.search(output).group(1)), "wrk")


def _python_throughput(
    url: str, *, headers: dict[str, str], seconds: int, connections: int
) -> Throughput:
    """The fallback load loop: `connections` threads with keep-alive sessions, bounded in time.
    Python's client costs CPU on the same cores, so it underestimates the server's ceiling."""
    deadline = time.monotonic() + seconds
    counts = [0] * connections
    failures: list[str] = []

    def hammer(slot: int) -> None:
        with requests.Session() as session:
            while time.monotonic() < deadline:
                answer = session.get(url, headers=headers, timeout=30)
                # 304: the answer a conditional request (If-None-Match) is measured for.
                if answer.status_code not in (200, 304):
                    failures.append(f"{answer.status_code}")
                    return
                counts[slot] += 1

    workers = [threading.Thread(target=hammer, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise RuntimeError(f"Error answers from {url}: {failures[:5]}")
    return Throughput(sum(counts) / (time.monotonic() - started), "python")


@dataclass(frozen=True)
class Plan:
    sql: str
    text: str
    milliseconds: float
    seq_scans: list[str]  # the large tables scanned sequentially


def explain(sql: str) -> Plan:
    """EXPLAIN (ANALYZE, BUFFERS) of one statement (a read: it really runs)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    text = "\n".join(lines)
    timing = re.search(r"Execution Time: ([\d.]+) ms", text)
    return Plan(
        sql=sql,
        text=text,
        milliseconds=float(timing.group(1)) if timing else 0.0,
        seq_scans=seq_scans_over_large_tables(text),
    )


def seq_scans_over_large_tables(plan_text: str) -> list[str]:
    """The large tables a plan reads with a Seq Scan (pure: parses EXPLAIN's text)."""
    found = []
    for match in re.finditer(r"Seq Scan on (\w+)", plan_text):
        if match.group(1) in LARGE_TABLES and match.group(1) not in found:
            found.append(match.group(1))
    return found
