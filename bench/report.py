"""A run's results: tables on the terminal, every measurement as JSON, sections of Markdown."""

from __future__ import annotations

import json
import re
import shlex
import statistics
import textwrap
from pathlib import Path

from .common import REFERENCES, log
from .database import DATABASE_TITLES


def percent_range(values: list[float], digits: int = 3) -> str:
    if not values:
        return "-"
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.{digits}f}"
    return f"{median:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def fmt(value: float | None, width: int, digits: int) -> str:
    return f"{'–':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def describe_memory(memory: dict) -> str:
    before, after = memory["before_kib"], memory["after_kib"]
    parts = []
    for pid, start in before.items():
        end = after.get(pid)
        if end is None:
            parts.append(f"{start / 1024:.1f} MiB -> (restarted)")
        else:
            growth = (end - start) / 1024
            parts.append(f"{start / 1024:.1f} -> {end / 1024:.1f} MiB ({growth:+.1f})")
    return (
        f"Worker private memory (RssAnon) over {memory['requests']:,} measured requests: "
        + "; ".join(parts)
    )


def table(group_result: dict, *, database_column: bool) -> list[str]:
    """The rows of a group; traffic groups show new URLs and the CPU ratio, not × hello."""
    traffic = group_result.get("traffic", False)
    baselines = group_result.get("baselines", {})
    header = ["page", "URL", "req/s", "p50 ms", "p99 ms", "errors", "srv ms"]
    if database_column:
        header.append("db ms")
    if traffic:
        header += ["new URLs", "× template", "× template, CPU"]
        if baselines:
            header += ["× without edits", "× without edits, CPU", "saves"]
    else:
        header += ["× hello", "× template"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in group_result["summary"]:
        url = f"`{row['url']}`"
        if "rps" not in row:
            cells = [row["label"], url, f"HTTP {row['status']}, not measured"]
            cells += ["–"] * (len(header) - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            continue
        cells = [
            row["label"],
            url,
            percent_range(row["rps"], 1),
            fmt(row["p50_ms"], 0, 1),
            fmt(row["p99_ms"], 0, 1),
            str(row["errors"]),
            fmt(row["srv_ms"], 0, 2),
        ]
        if database_column:
            cells.append(fmt(row["db_ms"], 0, 2))
        if traffic:
            share = row.get("fresh_share")
            cells.append("–" if share is None else f"{share:.0%}")
            if row["label"] == "template":
                cells += ["1", "1"]
            else:
                cells += [percent_range(row["x_template"]), percent_range(row["x_template_cpu"])]
            if baselines:
                baseline = baselines.get(row["label"])
                cells.append(percent_range(row[f"x_{baseline}"]) if baseline else "–")
                cells.append(percent_range(row[f"x_{baseline}_cpu"]) if baseline else "–")
                cells.append(str(row["saves"]) if "saves" in row else "–")
        else:
            cells += [
                "1" if row["label"] == reference else percent_range(row[f"x_{reference}"])
                for reference in REFERENCES
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def print_summary(result: dict) -> None:
    meta = result["meta"]
    log(
        f"\n{DATABASE_TITLES[result['database']]}, {meta['counts']['articles']:,} articles: "
        f"median over {meta['load']['rounds']} rounds (min–max)"
    )
    for group in result["groups"]:
        log(f"\n{group['title']}")
        for line in table(group, database_column=result["database"] == "postgres"):
            log(line)


def section_key(result: dict, label: str | None = None) -> str:
    """Which section of the Markdown a result replaces: same database, size and label."""
    key = f"{result['database']}-{result['articles']}"
    slug = re.sub(r"[^a-z0-9]+", "-", (label or "").lower()).strip("-")
    return f"{key}-{slug}" if slug else key


OUTPUT_OPTIONS = ("--out", "--note", "--label", "--json", "--from-json")


def measurement_command(command: str) -> str:
    """The command line without the options that only choose where results go."""
    words, kept = shlex.split(command), []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in OUTPUT_OPTIONS:
            skip = True
        elif not word.startswith(tuple(f"{option}=" for option in OUTPUT_OPTIONS)):
            kept.append(word)
    return shlex.join(kept)


def markdown_section(result: dict, *, note: str | None, label: str | None) -> str:
    meta = result["meta"]
    machine, versions, counts, load = (meta[k] for k in ("machine", "versions", "counts", "load"))
    title = DATABASE_TITLES[result["database"]]
    key = section_key(result, label)
    reference = (
        load["rounds"] >= 3
        and load["duration"] >= 15
        and load["connections"] == 16
        and load["workers"] == 2
        and machine["cores"] == 2
    )
    lines = [
        f"<!-- bench:begin {key} -->",
        f"## {title}, {counts['articles']:,} articles" + (f": {label}" if label else ""),
        "",
    ]
    if note:
        lines += [note, ""]
    if not reference:
        lines += [
            "Not the reference conditions (2 cores, 2 workers, 16 connections, 3 rounds of "
            "15 s or more): compare these ratios only with each other.",
            "",
        ]
    lines += [
        f"Measured {meta['date']} with `{measurement_command(meta['command'])}`.",
        "",
        "| | |",
        "|---|---|",
        f"| machine | {machine['arch']}, {machine['cpu_model']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, {machine['kernel']} |",
        f"| software | Python {versions['python']}, Django {versions['django']}, "
        f"{versions['database']}, gunicorn {versions['gunicorn']}, {versions['wrk']} |",
        f"| data | {counts['articles']:,} articles ({counts['published']:,} published and "
        f"live), {counts['contributors']:,} contributors, {counts['countries']} countries, "
        f"{counts['frameworks']} frameworks, {counts['summits']} summits |",
        f"| server | gunicorn, {load['workers']} sync workers, `bench.settings` (the "
        f"project's settings, DEBUG off, {meta['settings']['cache']} page cache, "
        f"CONN_MAX_AGE {meta['settings']['conn_max_age']}) |",
        f"| load | `wrk -t{load['threads']} -c{load['connections']} -d{load['duration']}s "
        f"--latency`, pinned with `taskset -c {load['client_cpus'] or '-'}`, "
        f"{load['warmup']} s warm-up before each run, interleaved rounds: {load['rounds']} |",
        "",
    ]
    for group in result["groups"]:
        lines += [f"### {group['title']}", ""]
        lines += table(group, database_column=result["database"] == "postgres")
        disturbed = [r for r in group["runs"] if r["other_cores"] > 0.1]
        lines.append("")
        if group.get("traffic"):
            lines += [traffic_note(group), ""]
        if group.get("memory"):
            lines += [describe_memory(group["memory"]).replace("->", "→") + ".", ""]
        if disturbed:
            worst = max(r["other_cores"] for r in disturbed)
            lines += [
                f"{len(disturbed)} of {len(group['runs'])} runs shared the machine with other "
                f"work (up to {worst:.2f} cores): the server-CPU column is the steadier figure.",
                "",
            ]
    lines.append(f"<!-- bench:end {key} -->")
    return "\n".join(lines) + "\n"


def traffic_note(group: dict) -> str:
    """What a traffic group's columns mean, and what the editor did."""
    text = (
        "Every run starts just after an editor's save of a standfirst, so no page is kept "
        "from before it (lists, counts and other articles' cards are, as a save of text "
        "leaves them); "
        "*new URLs* is the share of requests asking for a URL not asked for before in "
        "their run; *× template, CPU* is template's srv ms divided by the row's."
    )
    for row in group["summary"]:
        if row.get("saves"):
            text += (
                f" While `{row['label']}` was measured, the editor saved {row['saves']} times "
                f"({row['late_saves']} later than planned), {fmt(row['editor_ms'], 0, 1)} ms "
                "of CPU a save in its own process and database connection, not counted in "
                "srv ms; *× without edits* compares its req/s with the same traffic without "
                "edits, round by round, and *× without edits, CPU* its srv ms."
            )
    return text


DOC_HEADER = """\
# Performance

How fast the journal serves its pages, measured with `bench/run` (see
`bench/README.md`). Each section below is one run on one database and one
archive size; `bench/run --out docs/performance.md` replaces the section of
the same database, size and `--label`, or adds it at the end.

Only ratios measured in the same run count: req/s depends on the machine and
on what else it is doing, a page's ratio to the `hello` and `template`
reference views much less.

"""


def write_markdown(path: Path, results: list[dict], *, note: str | None, label: str | None) -> None:
    text = path.read_text() if path.exists() else DOC_HEADER
    for result in results:
        key = section_key(result, label)
        section = markdown_section(result, note=note, label=label)
        pattern = re.compile(
            rf"<!-- bench:begin {re.escape(key)} -->.*?<!-- bench:end {re.escape(key)} -->\n?",
            re.DOTALL,
        )
        match = pattern.search(text)
        if match:
            text = text[: match.start()] + section + text[match.end() :]
        else:
            text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# ---------------------------------------------------------------- main


def report(args, results: list[dict], *, json_path: Path | None) -> int:
    """Write the JSON and Markdown of finished databases; 1 when a URL had errors."""
    if not results:
        return 0
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps({"results": results}, indent=1, default=str) + "\n")
        log(f"\nMeasurements: {json_path}")
    if args.out:
        write_markdown(args.out, results, note=args.note, label=args.label)
        log(f"Markdown: {args.out}")
    errors = [
        f"{result['database']} {row['label']}"
        for result in results
        for group in result["groups"]
        for row in group["summary"]
        if row["status"] != 200 or row.get("errors")
    ]
    if errors:
        log(textwrap.fill("Errors on: " + ", ".join(errors), width=100))
        return 1
    return 0
