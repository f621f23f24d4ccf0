#!/usr/bin/env python3
"""Helpers of bench/run_wire.sh (see bench/README.md, "Wire protocol").

  wire_report.py pgbench-log PREFIX --warmup S --duration S --workload W --connections N
                 [--mode M] [--exit-status N] [--pgbench-output FILE]
      Reads pgbench's per-transaction logs (-l --log-prefix PREFIX) and prints one JSON record
      like lyt_wire_bench's: queries completed in the window [first completion + warmup,
      + duration] (run pgbench with -T warmup + duration + 1), qps, nearest-rank p50/p99.
  wire_report.py report RESULTS.jsonl MACHINE.json
      Prints the Markdown report of all records (one JSON object per line).
"""
import argparse
import glob
import json
import math
import re
import sys


def percentile(sorted_values, q):
    rank = max(1, min(len(sorted_values), math.ceil(q * len(sorted_values))))
    return sorted_values[rank - 1]


def pgbench_log(args):
    # Each line: client_id transaction_no time script_no time_epoch time_us [...]; `time` is the
    # latency in microseconds (or "failed" / "skipped"), time_epoch.time_us the completion time.
    samples, failed = [], 0
    for path in glob.glob(glob.escape(args.prefix) + ".*"):
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) < 6:
                    continue
                if not fields[2].isdigit():
                    failed += 1
                    continue
                done = int(fields[4]) + int(fields[5]) / 1e6
                samples.append((done, int(fields[2])))
    record = {"system": "postgresql", "workload": args.workload, "connections": args.connections}
    if args.mode:
        record["mode"] = args.mode
    if samples:
        # pgbench -T runs a second longer than warm-up + duration (its clock also covers connecting);
        # the window still ends at the last completion should it end sooner.
        begin = min(done for done, _ in samples) + args.warmup
        end = min(begin + args.duration, max(done for done, _ in samples))
        lat = sorted(us for done, us in samples if begin <= done < end)
        seconds = max(end - begin, 1e-9)
        record.update(seconds=round(seconds, 3), queries=len(lat), qps=round(len(lat) / seconds, 1))
        if lat:
            record.update(p50_us=float(percentile(lat, 0.5)), p99_us=float(percentile(lat, 0.99)),
                          mean_us=round(sum(lat) / len(lat), 1), max_us=float(lat[-1]))
    else:
        record.update(seconds=0, queries=0, qps=0)
    record["errors"] = failed
    if args.exit_status:
        record["errors"] += 1
        record["first_error"] = f"pgbench exited with status {args.exit_status}"
    if args.pgbench_output:
        with open(args.pgbench_output) as f:
            text = f.read()
        m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", text)
        if m:
            record["pgbench_tps"] = float(m.group(1))
        m = re.search(r"(ERROR|FATAL|error):? .*", text)
        if m and "first_error" not in record:
            record["first_error"] = m.group(0)[:300]
    print(json.dumps(record))


def fmt_num(value, digits=3):
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def fmt_ratio(a, b):
    if not a or not b:
        return "—"
    r = a / b
    return f"{r:.2f}x" if r < 10 else f"{r:.1f}x"


def run_table(records, workload, pg_mode, title):
    lyt = {r["connections"]: r for r in records if r["system"] == "lytdb" and r["workload"] == workload}
    pg = {r["connections"]: r for r in records
          if r["system"] == "postgresql" and r["workload"] == workload and r.get("mode", "") == pg_mode}
    if not lyt and not pg:
        return []
    lines = [f"### {title}", "",
             "| connections | LytDB qps | PostgreSQL qps | qps ratio | LytDB p50 µs | PostgreSQL p50 µs | "
             "LytDB p99 µs | PostgreSQL p99 µs | errors (LytDB / PG) | other CPU % (LytDB / PG) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for n in sorted(set(lyt) | set(pg)):
        a, b = lyt.get(n, {}), pg.get(n, {})
        lines.append(
            f"| {n} | {fmt_num(a.get('qps'))} | {fmt_num(b.get('qps'))} | {fmt_ratio(a.get('qps'), b.get('qps'))} "
            f"| {fmt_num(a.get('p50_us'))} | {fmt_num(b.get('p50_us'))} | {fmt_num(a.get('p99_us'))} "
            f"| {fmt_num(b.get('p99_us'))} | {a.get('errors', '—')} / {b.get('errors', '—')} "
            f"| {a.get('other_cpu_pct', '—')} / {b.get('other_cpu_pct', '—')} |")
    errors = [r for r in list(lyt.values()) + list(pg.values()) if r.get("first_error")]
    for r in errors:
        lines.append(f"\n{r['system']} at {r['connections']} connections: first error `{r['first_error']}`")
    return lines + [""]


def scale_section(records):
    lines = []
    for r in (r for r in records if r["workload"] == "scale"):
        grow = (r["rss_after_kib"] - r["rss_before_kib"]) if r["rss_before_kib"] >= 0 else None
        per_conn = f"{grow / max(1, r['idle_opened']):.1f} KiB" if grow is not None else "—"
        lines += [
            f"### Connection scale (LytDB): {r['busy']} busy connections, {r['idle']} idle", "",
            "| | qps | p50 µs | p99 µs | errors |", "| --- | ---: | ---: | ---: | ---: |",
            f"| {r['busy']} busy, no idle | {fmt_num(r['without_idle_qps'])} | {fmt_num(r['without_idle_p50_us'])} "
            f"| {fmt_num(r['without_idle_p99_us'])} | {r['without_idle_errors']} |",
            f"| {r['busy']} busy + {r['idle_opened']} idle | {fmt_num(r['with_idle_qps'])} "
            f"| {fmt_num(r['with_idle_p50_us'])} | {fmt_num(r['with_idle_p99_us'])} | {r['with_idle_errors']} |",
            "",
            f"- idle connections opened: {r['idle_opened']} of {r['idle']} in {r['open_idle_s']:.1f} s "
            f"(failed: {r['idle_failed']}; busy connections failed: {r['busy_failed']}); answering a PING "
            f"after the second run: {r['idle_alive']}",
            f"- lytdb VmRSS: {r['rss_before_kib'] / 1024:.1f} MiB before the idle connections, "
            f"{r['rss_after_kib'] / 1024:.1f} MiB after opening them, {r['rss_end_kib'] / 1024:.1f} MiB after the "
            f"second run: {per_conn} per idle connection",
            f"- other processes took {r.get('other_cpu_pct', '—')}% of the machine's CPU time during this measurement",
        ]
        if r.get("first_error"):
            lines.append(f"- first error: `{r['first_error']}`")
        lines.append("")
    return lines


def report(args):
    with open(args.results) as f:
        records = [json.loads(line) for line in f if line.strip()]
    with open(args.machine) as f:
        machine = json.load(f)
    lines = ["# Wire benchmark: lytdb vs PostgreSQL", ""]
    lines += [f"- {k}: {v}" for k, v in machine.items()]
    lines += ["", "qps = queries completed per second in the measured window; p50/p99 = per-query latency "
              "seen by the client (µs); qps ratio = LytDB / PostgreSQL (above 1: LytDB faster); other CPU % = share of "
              "the machine's CPU time taken by processes other than the servers and clients during the run "
              "(above ~10%: disturbed).", ""]
    lines += run_table(records, "select", "", "Point SELECT by primary key (prepared)")
    pg_modes = sorted({r.get("mode", "") for r in records if r["system"] == "postgresql" and r["workload"] == "insert"})
    for mode in pg_modes:
        label = {"sync_off": "PostgreSQL with synchronous_commit=off",
                 "sync_on": "PostgreSQL with its default synchronous_commit=on (fsync per commit)"}.get(mode, mode)
        lines += run_table(records, "insert", mode, f"Single-row INSERT (prepared), {label}")
    lines += scale_section(records)
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pgbench-log")
    p.add_argument("prefix")
    p.add_argument("--warmup", type=float, required=True)
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--workload", required=True)
    p.add_argument("--connections", type=int, required=True)
    p.add_argument("--mode", default="")
    p.add_argument("--exit-status", type=int, default=0)
    p.add_argument("--pgbench-output")
    r = sub.add_parser("report")
    r.add_argument("results")
    r.add_argument("machine")
    args = parser.parse_args()
    pgbench_log(args) if args.command == "pgbench-log" else report(args)


if __name__ == "__main__":
    sys.exit(main())
