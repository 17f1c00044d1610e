"""The CPU time and memory of processes, and what the machine is, read from Linux's /proc."""

from __future__ import annotations

import os
import platform
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def process_ticks(pid: int, *, children: bool = False) -> int | None:
    """utime+stime of a process (plus its reaped children's), in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After "(comm)": state is fields[0], so utime..cstime are fields[11:15].
    values = [int(v) for v in fields[11:15]]
    return sum(values) if children else values[0] + values[1]


def child_pids(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as file:
            return [int(p) for p in file.read().split()]
    except OSError:
        pass
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def postgres_backends(database: str) -> list[int]:
    """PIDs of local PostgreSQL backends connected to `database` (by process title)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                title = file.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.append(int(entry))
    return pids


def wait_idle(pids: list[int], *, limit: float = 120) -> None:
    """Wait until these processes stop using CPU (at most `limit` seconds)."""
    deadline = time.monotonic() + limit
    last = sum(process_ticks(pid) or 0 for pid in pids)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = sum(process_ticks(pid) or 0 for pid in pids)
        if now - last <= 1:
            return
        last = now


def machine_busy_ticks() -> int:
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return values[0] + values[1] + values[2] + values[5] + values[6] + values[7]


def machine_info() -> dict:
    cpu_model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as file:
            for line in file:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_gib = None
    try:
        with open("/proc/meminfo") as file:
            for line in file:
                if line.startswith("MemTotal:"):
                    memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "arch": platform.machine(),
        "cpu_model": cpu_model,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "kernel": f"{platform.system()} {platform.release()}",
    }


# ---------------------------------------------------------------- the database


def worker_rss_kib(pids: list[int]) -> dict[str, int]:
    """Private (anonymous) resident memory of each gunicorn worker, from /proc.

    Not the whole resident size: SQLite's memory-mapped database file counts
    there too, and grows as pages of the file are read, without any leak.
    """
    sizes = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("RssAnon:"):
                        sizes[str(pid)] = int(line.split()[1])
        except OSError:
            continue
    return sizes
