"""Running wrk against the server, and what each run cost the server's processes in CPU time."""

from __future__ import annotations

import re
import resource
import subprocess

from .common import BenchError
from .procfs import CLK_TCK, machine_busy_ticks, postgres_backends, process_ticks, wait_idle
from .server import Server

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """The figures of wrk's text report (with --latency)."""

    def find(pattern: str, default=None):
        match = re.search(pattern, output, re.MULTILINE)
        return match.groups() if match else default

    requests, seconds = find(r"^\s*(\d+) requests in ([\d.]+\w+),")
    rps = float(find(r"^Requests/sec:\s*([\d.]+)")[0])
    socket_errors = find(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", ("0",) * 4
    )
    non2xx = int(find(r"Non-2xx or 3xx responses: (\d+)", ("0",))[0])
    return {
        "requests": int(requests),
        "duration_s": parse_duration_ms(seconds) / 1000,
        "rps": rps,
        "p50_ms": parse_duration_ms(find(r"^\s*50%\s+(\S+)")[0]),
        "p99_ms": parse_duration_ms(find(r"^\s*99%\s+(\S+)")[0]),
        "non2xx": non2xx,
        "socket_errors": sum(int(n) for n in socket_errors),
    }


def wrk_command(args, url: str, seconds: int, cookie: str | None) -> list[str]:
    command = []
    if args.client_cpus:
        command += ["taskset", "-c", args.client_cpus]
    command += [
        args.wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        f"--timeout={args.timeout}s",
        "--latency",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    return [*command, url]


def run_wrk(command: list[str]) -> tuple[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stdout.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result.stdout, cpu


def measure(args, server: Server, url: str, cookie: str | None) -> dict:
    """One counted wrk run (after an uncounted warm-up), with the CPU it cost where."""
    full_url = server.base_url + url
    database = server.target.database_name
    if args.warmup:
        wait_idle(server.pids())
        run_wrk(wrk_command(args, full_url, args.warmup, cookie))
    app_pids = server.pids()
    db_pids = postgres_backends(database) if database else []
    # Requests wrk gave up on still run to their end: let them, outside the count.
    wait_idle(app_pids + db_pids)

    def snapshot():
        ticks = {pid: process_ticks(pid) for pid in app_pids + db_pids}
        ticks[server.process.pid] = process_ticks(server.process.pid, children=True)
        return ticks

    before, busy_before = snapshot(), machine_busy_ticks()
    command = wrk_command(args, full_url, args.duration, cookie)
    output, client_cpu = run_wrk(command)
    after, busy_after = snapshot(), machine_busy_ticks()

    result = parse_wrk(output)
    requests = result["requests"]

    def spent(pids):
        return sum(
            after[pid] - before[pid]
            for pid in pids
            if before.get(pid) is not None and after.get(pid) is not None
        )

    app_ticks = spent([server.process.pid, *app_pids])
    db_ticks = spent(db_pids)
    # Backends that connected during the run: all their CPU falls inside it.
    new_backends = set(postgres_backends(database)) - set(db_pids) if database else set()
    db_ticks += sum(process_ticks(pid) or 0 for pid in new_backends)
    seconds = result["duration_s"] or args.duration
    other_cores = (
        (busy_after - busy_before - app_ticks - db_ticks) / CLK_TCK - client_cpu
    ) / seconds
    per_request = 1000 / CLK_TCK / requests if requests else None
    if not requests:
        result.update(p50_ms=None, p99_ms=None)
    result.update(
        # A run in which no request completed is an error in itself.
        errors=result["non2xx"] + result["socket_errors"] + (0 if requests else 1),
        app_ms=app_ticks * per_request if requests else None,
        db_ms=db_ticks * per_request if requests and database else None,
        srv_ms=(app_ticks + db_ticks) * per_request if requests else None,
        client_ms=client_cpu * 1000 / requests if requests else None,
        other_cores=max(0.0, other_cores),
        command=" ".join(command[:-1] + [url]),
    )
    return result


# ---------------------------------------------------------------- a group of pages
