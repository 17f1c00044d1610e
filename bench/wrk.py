"""Running wrk against the server, and what each run cost the server's processes in CPU time."""

from __future__ import annotations

import re
import resource
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .common import BenchError
from .procfs import CLK_TCK, machine_busy_ticks, postgres_backends, process_ticks, wait_idle
from .traffic import traffic_figures

if TYPE_CHECKING:
    from .editor import Editor
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


@dataclass(frozen=True)
class Load:
    """What one measurement asks the server for: one URL, or a script's many."""

    label: str
    # The URL; for a script, what it asks for, as the tables show it.
    url: str
    # A wrk Lua script from `bench.traffic` that picks each request's URL.
    script: Path | None = None
    # The run starts just after an editor's save: nothing is kept from before.
    after_save: bool = False
    # An editor saves every so many seconds while the run lasts.
    edit_every: float | None = None
    # The label of the same load without edits, compared with round by round.
    baseline: str | None = None


def wrk_command(
    args, url: str, seconds: int, cookie: str | None, script: Path | None = None, *script_args
) -> list[str]:
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
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *(str(arg) for arg in script_args)]
    return command


def run_wrk(command: list[str]) -> tuple[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stdout.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result.stdout, cpu


def measure(
    args,
    server: Server,
    load: Load,
    *,
    cookie: str | None,
    run_number: int,
    editor: Editor | None = None,
) -> dict:
    """One counted wrk run (after an uncounted warm-up), with the CPU it cost where.

    A script is given the run's number, so each run asks for its own sequence
    of URLs, the same on every database; the warm-up asks for another.
    """
    full_url = server.base_url + ("/" if load.script else load.url)
    database = server.target.database_name
    if (load.after_save or load.edit_every) and editor is None:
        raise BenchError(f"{load.label} needs an editor")
    if args.warmup:
        wait_idle(server.pids())
        run_wrk(wrk_command(args, full_url, args.warmup, cookie, load.script, 1000 + run_number))
    if load.after_save:
        editor.save()
    app_pids = server.pids()
    # The editor's own connection is not the server's: its CPU is the editor's.
    editor_pids = [editor.pid, *([editor.backend] if editor.backend else [])] if editor else []
    db_pids = [pid for pid in postgres_backends(database) if pid not in editor_pids]
    # Requests wrk gave up on still run to their end: let them, outside the count.
    wait_idle(app_pids + db_pids)

    def snapshot():
        ticks = {pid: process_ticks(pid) for pid in app_pids + db_pids + editor_pids}
        ticks[server.process.pid] = process_ticks(server.process.pid, children=True)
        return ticks

    before, busy_before = snapshot(), machine_busy_ticks()
    command = wrk_command(args, full_url, args.duration, cookie, load.script, run_number)
    if load.edit_every:
        editor.start_saving(load.edit_every)
    output, client_cpu = run_wrk(command)
    edits = editor.stop_saving() if load.edit_every else None
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
    editor_ticks = spent(editor_pids)
    # Backends that connected during the run: all their CPU falls inside it.
    new_backends = (
        set(postgres_backends(database)) - set(db_pids) - set(editor_pids) if database else set()
    )
    db_ticks += sum(process_ticks(pid) or 0 for pid in new_backends)
    seconds = result["duration_s"] or args.duration
    other_cores = (
        (busy_after - busy_before - app_ticks - db_ticks - editor_ticks) / CLK_TCK - client_cpu
    ) / seconds
    per_request = 1000 / CLK_TCK / requests if requests else None
    if not requests:
        result.update(p50_ms=None, p99_ms=None)
    errors = result["non2xx"]
    traffic = traffic_figures(output) if load.script else None
    if traffic:
        # Every URL a script asks for answers 200 when it is served right.
        errors = sum(count for status, count in traffic["statuses"].items() if status != 200)
        result.update(
            fresh=traffic["fresh"],
            repeated=traffic["repeated"],
            statuses=traffic["statuses"],
        )
    if edits:
        result.update(
            saves=edits["saved"],
            late_saves=edits["late"],
            editor_ms=editor_ticks * 1000 / CLK_TCK / edits["saved"] if edits["saved"] else None,
        )
    result.update(
        # A run in which no request completed is an error in itself.
        errors=errors + result["socket_errors"] + (0 if requests else 1),
        app_ms=app_ticks * per_request if requests else None,
        db_ms=db_ticks * per_request if requests and database else None,
        srv_ms=(app_ticks + db_ticks) * per_request if requests else None,
        client_ms=client_cpu * 1000 / requests if requests else None,
        other_cores=max(0.0, other_cores),
        command=shlex.join(command).replace(server.base_url, ""),
    )
    return result
