"""Load test: N concurrent sessions changing inputs on the Compare page of a real Streamlit server (loopback only).

    .venv/bin/python bench/load.py                       # 20 sessions for 60 s, figures as text
    .venv/bin/python bench/load.py --json                # ... and one JSON object as the last line
    .venv/bin/python bench/load.py --sessions 5 --duration 10   # a smoke run
    .venv/bin/python bench/load.py --processes 2 --db postgresql+psycopg://user:pw@127.0.0.1/calc
                                                         # the team stack: 2 app processes on one PostgreSQL

With ``--processes N`` the sessions are spread over N app processes round-robin (session i on process i mod N),
as nginx's sticky sessions spread browsers from different addresses; the processes share one store (``--db``,
else ``DATABASE_URL``: a PostgreSQL database for N > 1). CPU time and RSS are summed over the processes.

What it does:

1. starts ``streamlit run app.py`` on a free port of 127.0.0.1 (headless, its own SQLite store in a
   temp folder) and waits for ``/_stcore/health``;
2. measures the server's resident memory (RSS, from psutil if installed, else ``/proc/PID/status``)
   idle, and again after one warm-up session has rendered the Compare page (data loaded, caches warm);
3. opens N sessions at once, each a websocket client speaking Streamlit's own protocol (the protobuf
   ``BackMsg``/``ForwardMsg`` messages of ``streamlit.proto``, exactly what the browser's frontend sends and
   receives). Each session renders Compare, then, until the time is up, changes one input (Travellers
   1-6, or the Mexico / Colombia return fare 300-1,500 USD), waits for the rerun to finish, and checks
   the new total, then pauses (``--think`` seconds, jittered, as a person would);
4. reports the rerun latency (from sending the changed input until the server has sent the new total
   and ``script_finished``: what the browser needs to show it and leave the running state), p50 / p95 /
   max, reruns per second, errors, and the server's RSS before, with all sessions open, and per session.

A rerun counts as an error when it times out (``--rerun-timeout``), the script fails, the page shows an
exception, the websocket drops, or the shown total is not the hand-computed one: for the default
scenario (Mexico City per diem lodging 250 and M&IE 136 per day, a 4-7 day stay, mid 5.5 days, the
broker's 4,000-12,000 price, one room) the mid whole-trip total is 8,000 + 250 x 5.5 + t x (fare + 136 x 5.5)
= 9,375 + t x (fare + 748) for t travellers (DESIGN.md section 4).

Why websocket clients rather than 20 browser pages: the machine of record has 2 CPUs. Twenty
headless chromium pages (each ~150 MB and busy drawing the table and chart) would compete with the
server for those CPUs, so the figure would mostly measure the browsers. The websocket clients send and
receive the same messages from one lightweight process, so the latency measured is the server's
(script rerun plus transport). Drawing in a browser adds its own time on top (tests/browser/test_browser_compare.py
checks the page in chromium).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
HOST = "127.0.0.1"
TRAVELLERS_KEY = "in_travellers"
FARE_KEY = "in_fare|mexico_colombia|USD"
OPEN_MEXICO_KEY = "open_dest|mexico_colombia"
"""The Mexico / Colombia inputs' expander: its fare is built only while it is open (ui.sidebar)."""
TOTAL_FIGURE = re.compile(r'data-figure="total-mid">([^<]*)<')
"""The first card's whole-trip mid total in Compare's answer block (calculator.present.answer_html)."""


def first_total(body: str) -> str | None:
    """The first whole-trip mid total in an HTML element's body, e.g. ``"USD 10,123"``; None if it has none."""
    found = TOTAL_FIGURE.search(body)
    return found.group(1) if found else None


def expected_total(travellers: int, fare: float | None) -> str:
    """The Compare page's first metric for the default scenario (see the module docstring)."""
    return f"USD {round(9375 + travellers * ((fare or 0) + 748)):,}"


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident set size of the process, in MB (psutil if installed, else /proc/PID/status VmRSS)."""
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        text = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE).group(1)) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(port: int, store: Path | str, flags: tuple[str, ...] = (), app: Path = APP) -> subprocess.Popen:
    """``streamlit run`` of ``app`` on ``port`` with Streamlit ``flags``; ``store``: a SQLite file or a database URL."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        HOST,
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *(part for flag in flags for part in (f"--{flag.split('=', 1)[0]}", flag.split("=", 1)[1])),
    ]
    env = {**os.environ, **({"DATABASE_URL": store} if isinstance(store, str) else {"CALC_DB_PATH": str(store)})}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start within 90 s")


# --- one session ---------------------------------------------------------------------------------


@dataclass
class Run:
    """What one script run sent back."""

    ok: bool = False
    total: str | None = None
    widgets: dict[str, str] = field(default_factory=dict)  # widget key -> widget id
    problem: str = ""


@dataclass
class SessionResult:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reruns: int = 0


class Session:
    """One browser tab's worth of protocol: a websocket to /_stcore/stream, reruns with widget states."""

    def __init__(self, port: int, rerun_timeout: float) -> None:
        self.url = f"ws://{HOST}:{port}/_stcore/stream"
        self.origin = f"http://{HOST}:{port}"
        self.rerun_timeout = rerun_timeout
        self.ws: websockets.ClientConnection | None = None
        self.widgets: dict[str, str] = {}
        self.states: dict[str, WidgetState] = {}
        self.page_hash = ""

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], origin=self.origin, max_size=2**26, open_timeout=60
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self) -> Run:
        """Send the current widget states, read until the script finishes."""
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.widget_states.widgets.extend(self.states.values())
        await self.ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._read_run(), self.rerun_timeout)

    async def _read_run(self) -> Run:
        run = Run()
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = self.page_hash or fwd.new_session.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "add_block":
                block = fwd.delta.add_block
                if block.WhichOneof("type") == "expandable" and block.expandable.id:  # a lazy expander (a widget)
                    widget_id = block.expandable.id
                    run.widgets[widget_id.rsplit("-", 1)[-1]] = widget_id
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                part = element.WhichOneof("type")
                if part == "exception":
                    run.problem = f"exception on the page: {element.exception.message[:200]}"
                elif part == "html" and run.total is None:
                    run.total = first_total(element.html.body)
                elif part in ("number_input", "text_input", "slider", "selectbox", "checkbox", "multiselect"):
                    widget_id = getattr(element, part).id
                    run.widgets[widget_id.rsplit("-", 1)[-1] if "-" in widget_id else widget_id] = widget_id
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # another rerun follows (not expected: one change at a time)
                done = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
                run.ok = status in done and not run.problem
                if status not in done:
                    run.problem = run.problem or f"script finished with status {status}"
                self.widgets.update(run.widgets)
                return run

    def set_widget(self, key: str, value: bool | int | float) -> None:
        widget_id = self.widgets.get(key)
        if widget_id is None:
            raise LookupError(f"widget {key!r} not on the page")
        state = WidgetState(id=widget_id)
        if isinstance(value, bool):
            state.bool_value = value
        elif isinstance(value, int):
            state.int_value = value
        else:
            state.double_value = value
        self.states[key] = state


async def user(index: int, port: int, deadline: float, args: argparse.Namespace, start: asyncio.Event) -> SessionResult:
    """One person: open Compare, then change the travellers or the fare and read the total, until the deadline."""
    rng = random.Random(args.seed + index)
    result = SessionResult()
    travellers, fare = 1, None
    await start.wait()
    try:
        async with Session(port, args.rerun_timeout) as session:
            first = await session.rerun()
            if not first.ok or first.total != expected_total(travellers, fare):
                result.errors.append(f"first run: {first.problem or first.total}")
                return result
            session.set_widget(OPEN_MEXICO_KEY, True)  # open Mexico's inputs, as a person does to type a fare
            opened = await session.rerun()
            if not opened.ok or FARE_KEY not in session.widgets:
                result.errors.append(f"opening Mexico's inputs: {opened.problem or 'no fare input'}")
                return result
            while time.monotonic() < deadline and result.reruns < args.max_reruns:
                if rng.random() < 0.5:
                    travellers = rng.choice([t for t in range(1, 7) if t != travellers])
                    session.set_widget(TRAVELLERS_KEY, travellers)
                else:
                    fare = float(rng.choice([f for f in range(300, 1501, 50) if f != fare]))
                    session.set_widget(FARE_KEY, fare)
                sent = time.perf_counter()
                try:
                    run = await session.rerun()
                except TimeoutError:
                    result.errors.append(f"rerun timed out after {args.rerun_timeout:g} s")
                    break
                result.latencies.append(time.perf_counter() - sent)
                result.reruns += 1
                want = expected_total(travellers, fare)
                if not run.ok or run.total != want:
                    result.errors.append(run.problem or f"total {run.total!r}, expected {want!r}")
                if args.think > 0:
                    await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))
    except (OSError, websockets.WebSocketException, LookupError) as err:
        result.errors.append(f"{type(err).__name__}: {err}")
    return result


async def warm_up(port: int, args: argparse.Namespace) -> None:
    """One session renders Compare once (loads the data, fills caches), then leaves."""
    async with Session(port, args.rerun_timeout) as session:
        run = await session.rerun()
        if not run.ok:
            raise SystemExit(f"warm-up run failed: {run.problem}")


def total_rss_mb(pids: list[int]) -> float:
    return sum(rss_mb(pid) for pid in pids)


async def load(ports: list[int], pids: list[int], args: argparse.Namespace) -> dict:
    """Every session at once, session i on ``ports[i % len(ports)]``; CPU and RSS summed over ``pids``."""
    start = asyncio.Event()
    deadline = time.monotonic() + args.duration
    tasks = [asyncio.create_task(user(i, ports[i % len(ports)], deadline, args, start)) for i in range(args.sessions)]
    cpu_before = sum(cpu_seconds(pid) for pid in pids)
    began = time.perf_counter()
    start.set()
    peak = 0.0
    samples: list[tuple[float, float]] = []  # (seconds since the start, RSS MB), every RSS_EVERY s
    while not all(t.done() for t in tasks):
        rss = total_rss_mb(pids)
        peak = max(peak, rss)
        elapsed = time.perf_counter() - began
        if not samples or elapsed - samples[-1][0] >= RSS_EVERY:
            samples.append((elapsed, rss))
        await asyncio.sleep(0.5)
    results = [t.result() for t in tasks]
    return {
        "results": results,
        "seconds": time.perf_counter() - began,
        "cpu_seconds": sum(cpu_seconds(pid) for pid in pids) - cpu_before,
        "rss_peak_mb": max(peak, total_rss_mb(pids)),
        "rss_samples": samples,
    }


RSS_EVERY = 10.0
"""Seconds between the RSS samples of a run (the memory soak reads their trend)."""


def rss_trend(samples: list[tuple[float, float]]) -> dict[str, float | None]:
    """Whether memory stays flat: mean RSS of the first and the last minute of load, and the slope between.

    The slope is a least-squares line through the samples after the first minute (the first
    minute fills per-session state), in MB per 10 minutes.
    """
    if len(samples) < 2:
        return {"rss_first_min_mb": None, "rss_last_min_mb": None, "rss_slope_mb_per_10min": None}
    end = samples[-1][0]
    first = [mb for t, mb in samples if t <= 60] or [samples[0][1]]
    last = [mb for t, mb in samples if t >= end - 60] or [samples[-1][1]]
    settled = [(t, mb) for t, mb in samples if t > 60] or samples
    slope = None
    if len(settled) >= 2:
        mean_t = statistics.fmean(t for t, _ in settled)
        mean_mb = statistics.fmean(mb for _, mb in settled)
        var = sum((t - mean_t) ** 2 for t, _ in settled)
        slope = sum((t - mean_t) * (mb - mean_mb) for t, mb in settled) / var * 600 if var else 0.0
    return {
        "rss_first_min_mb": round(statistics.fmean(first), 1),
        "rss_last_min_mb": round(statistics.fmean(last), 1),
        "rss_slope_mb_per_10min": None if slope is None else round(slope, 1),
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of changing inputs (default 60)")
    p.add_argument("--think", type=float, default=1.0, help="mean pause after each rerun, s (default 1.0)")
    p.add_argument("--max-reruns", type=int, default=10_000, help="most reruns per session (default 10,000)")
    p.add_argument("--rerun-timeout", type=float, default=60.0, help="a rerun slower than this is an error (s)")
    p.add_argument("--seed", type=int, default=2026, help="seed of the input changes and pauses")
    p.add_argument("--json", action="store_true", help="also print the figures as one JSON line at the end")
    p.add_argument("--processes", type=int, default=1, help="app processes sharing the sessions (default 1)")
    p.add_argument("--db", help="database URL the processes share (default: $DATABASE_URL, else a temp SQLite file)")
    p.add_argument(
        "--flag",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="a Streamlit option for the server, e.g. runner.postScriptGC=true (repeatable)",
    )
    args = p.parse_args(argv)
    if not 1 <= args.sessions <= 200 or not 0 < args.duration <= 3600:
        p.error("--sessions must be 1-200 and --duration 0-3600 s")
    if not 1 <= args.processes <= 8:
        p.error("--processes must be 1-8")
    db = args.db or os.environ.get("DATABASE_URL")
    if args.processes > 1 and not (db or "").startswith("postgres"):
        p.error("--processes > 1 needs one PostgreSQL for all of them: --db postgresql+psycopg://... or DATABASE_URL")

    ports = [free_port() for _ in range(args.processes)]
    port = ports[0]
    with tempfile.TemporaryDirectory() as tmp:
        procs = [start_server(p_, db or Path(tmp) / "scenarios.sqlite3", tuple(args.flag)) for p_ in ports]
        pids = [proc.pid for proc in procs]
        try:
            rss_idle = total_rss_mb(pids)
            for p_ in ports:
                asyncio.run(warm_up(p_, args))
            time.sleep(1.0)
            rss_warm = total_rss_mb(pids)
            measured = asyncio.run(load(ports, pids, args))
            time.sleep(2.0)  # sessions closed: what the servers keep
            rss_after = total_rss_mb(pids)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()

    results: list[SessionResult] = measured["results"]
    latencies = [x for r in results for x in r.latencies]
    errors = [e for r in results for e in r.errors]
    reruns = sum(r.reruns for r in results)
    figures = {
        "sessions": args.sessions,
        "processes": args.processes,
        "store": "postgresql" if (db or "").startswith("postgres") else "sqlite",
        "duration_s": round(measured["seconds"], 1),
        "think_s": args.think,
        "reruns": reruns,
        "reruns_per_s": round(reruns / measured["seconds"], 2),
        "rerun_p50_ms": round(1000 * percentile(latencies, 50)) if latencies else None,
        "rerun_p95_ms": round(1000 * percentile(latencies, 95)) if latencies else None,
        "rerun_max_ms": round(1000 * max(latencies)) if latencies else None,
        "rerun_mean_ms": round(1000 * statistics.fmean(latencies)) if latencies else None,
        "errors": len(errors),
        "server_cpu_s_per_rerun": round(measured["cpu_seconds"] / reruns, 3) if reruns else None,
        "rss_idle_mb": round(rss_idle, 1),
        "rss_warm_mb": round(rss_warm, 1),
        "rss_peak_mb": round(measured["rss_peak_mb"], 1),
        "rss_after_mb": round(rss_after, 1),
        "rss_per_session_mb": round((measured["rss_peak_mb"] - rss_warm) / args.sessions, 2),
        **rss_trend(measured["rss_samples"]),
        "flags": args.flag,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    where = f"http://{HOST}:{port}" if args.processes == 1 else f"{args.processes} processes ({figures['store']})"
    print(f"{args.sessions} sessions x {measured['seconds']:.0f} s on {where} (think {args.think:g} s)")
    print(f"  reruns             {reruns:,} ({figures['reruns_per_s']} per s), errors {len(errors)}")
    if latencies:
        print(
            f"  rerun latency      p50 {figures['rerun_p50_ms']} ms, p95 {figures['rerun_p95_ms']} ms, "
            f"max {figures['rerun_max_ms']} ms"
        )
        print(f"  server CPU         {figures['server_cpu_s_per_rerun'] * 1000:.0f} ms per rerun")
    print(
        f"  server RSS         idle {rss_idle:.0f} MB, warm {rss_warm:.0f} MB, peak with {args.sessions} sessions "
        f"{measured['rss_peak_mb']:.0f} MB ({figures['rss_per_session_mb']} MB per session), "
        f"after they closed {rss_after:.0f} MB"
    )
    if figures["rss_slope_mb_per_10min"] is not None:
        print(
            f"  server RSS trend   first minute {figures['rss_first_min_mb']} MB, last minute "
            f"{figures['rss_last_min_mb']} MB, slope {figures['rss_slope_mb_per_10min']} MB per 10 min"
        )
    print(f"  machine            {os.cpu_count()} CPUs, load average {figures['load_average_1m']}")
    for problem in sorted(set(errors))[:10]:
        print(f"  error: {problem}")
    if args.json:
        print(json.dumps(figures))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
