"""DynamoDB server load benchmark: statebox serve and dynalite under many connections, driven
by the server crate's `load` example (raw keep-alive HTTP/1.1, no SDK in the way).

Run by `cargo xtask bench dynamodb` after bench.py. By hand:

    python3 bench/dynamodb/load.py --statebox "target/release/statebox serve" \
        --dynalite target/bench-dynamodb/node_modules/dynalite/cli.js \
        --load target/release/examples/load [--clients 64] [--seconds 5] [--idle 10000]

The server and the load run on separate halves of the machine's CPUs (on 2 cores: one
each), so that the figures are the server's capacity and not how the kernel shares a
core between 64 client threads and the server's threads; `--shared-cpus` lets them
share every CPU instead.

Two parts, each server in a fresh process per part:
- small requests: GetItem of one small item and PutItem of small items from C concurrent
  keep-alive clients for S seconds (after a second of warm-up): requests per second, p50
  and p99 latency, and the ratios statebox / dynalite;
- idle connections: N connections each answered one ListTables and left open; how many the
  server answered and still holds, requests on new connections meanwhile (latency), and the
  server's memory per idle connection (VmRSS after minus before, over the connections held).

It measures; it does not pass or fail (a failed measurement is printed as such).
"""

import argparse
import json
import os
import shlex
import subprocess
import sys

from bench import Process, free_port

SERVERS = ["statebox", "dynalite"]


def cpu_halves(shared):
    """The CPUs for the server and for the load: disjoint halves, or None to share all."""
    cpus = sorted(os.sched_getaffinity(0))
    if shared or len(cpus) < 2:
        return None, None
    half = len(cpus) // 2
    return set(cpus[:half]), set(cpus[half:])


def start(name, options):
    cpus = options.server_cpus
    if name == "statebox":
        return Process("statebox", shlex.split(options.statebox) + ["--port", "0"], cpus=cpus)
    port = free_port()
    args = ["node", options.dynalite, "--port", str(port), "--host", "127.0.0.1", "--createTableMs", "0"]
    return Process("dynalite", args, url=f"http://127.0.0.1:{port}", cpus=cpus)


def load(options, mode, url, *extra):
    """Runs the load example; its JSON report, or {"error": ...}."""
    args = [options.load, mode, "--url", url, *map(str, extra)]
    cpus = options.load_cpus
    try:
        done = subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip() or f"exit {done.returncode}")[-200:]}
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        return {"error": f"no report from the load example (got {done.stdout[-200:]!r})"}


def measure(name, options, part):
    try:
        server = start(name, options)
    except Exception as error:  # a server that does not start is reported, not fatal
        return {"error": str(error)}
    try:
        if part == "idle":
            return load(options, "idle", server.url, "--n", options.idle, "--pid", server.process.pid)
        return load(options, part, server.url, "--clients", options.clients, "--seconds", options.seconds)
    finally:
        server.stop()


def cell(report, key, scale=1.0, digits=0):
    value = report.get(key)
    if value is None:
        return "n/a"
    return f"{value / scale:,.{digits}f}"


def ratio(reports, key):
    ours, theirs = (reports.get(name, {}).get(key) for name in SERVERS)
    if not ours or not theirs:
        return ""
    return f"{ours / theirs:.2f}"


def table(title, rows, reports, with_ratio):
    names = [name for name in SERVERS if name in reports]
    print(f"\n{title}")
    header = f"  {'':<34}" + "".join(f"{name:>14}" for name in names)
    print(header + (f"{'statebox/dynalite':>20}" if with_ratio else ""))
    for label, key, scale, digits in rows:
        line = f"  {label:<34}" + "".join(f"{cell(reports[n], key, scale, digits):>14}" for n in names)
        if with_ratio:
            line += f"{ratio(reports, key):>20}"
        print(line)
    for name in names:
        if "error" in reports[name]:
            print(f"  {name}: failed: {reports[name]['error']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statebox", required=True, help="command that serves statebox, e.g. 'statebox serve'")
    parser.add_argument("--dynalite", required=True, help="path of dynalite's cli.js")
    parser.add_argument("--load", required=True, help="path of the server crate's load example")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--idle", type=int, default=10_000)
    parser.add_argument("--only", choices=SERVERS, help="measure one server")
    parser.add_argument("--shared-cpus", action="store_true",
                        help="let the server and the load share every CPU")
    options = parser.parse_args()
    options.server_cpus, options.load_cpus = cpu_halves(options.shared_cpus)
    servers = [options.only] if options.only else SERVERS
    both = len(servers) == 2

    print(f"\n== load: {options.clients} keep-alive clients, {options.seconds:g} s per operation; "
          f"{options.idle:,} idle connections")
    if options.server_cpus:
        print(f"   server on CPU(s) {sorted(options.server_cpus)}, load on CPU(s) {sorted(options.load_cpus)}")
    else:
        print("   server and load share every CPU")
    for operation, mode in [("GetItem", "get"), ("PutItem", "put")]:
        reports = {name: measure(name, options, mode) for name in servers}
        rows = [
            ("requests per second", "rps", 1, 0),
            ("p50 latency (ms)", "p50_us", 1000, 2),
            ("p99 latency (ms)", "p99_us", 1000, 2),
            ("errors", "errors", 1, 0),
        ]
        table(f"{operation}, small item, {options.clients} concurrent keep-alive clients:", rows, reports, both)

    reports = {name: measure(name, options, "idle") for name in servers}
    rows = [
        ("answered (then left idle)", "answered", 1, 0),
        ("refused (answered non-200)", "refused", 1, 0),
        ("failed (no answer)", "failed", 1, 0),
        ("still open 1 s later", "open_after_1s", 1, 0),
        ("still open at the end", "open_at_end", 1, 0),
        ("new-connection requests ok", "probes_ok", 1, 0),
        ("new-connection requests failed", "probes_failed", 1, 0),
        ("new-connection p50 (ms)", "probe_p50_us", 1000, 2),
        ("new-connection p99 (ms)", "probe_p99_us", 1000, 2),
        ("server RSS before (MB)", "rss_before_kb", 1024, 1),
        ("server RSS with them (MB)", "rss_after_kb", 1024, 1),
        ("memory per idle connection (KB)", "bytes_per_idle_connection", 1024, 1),
    ]
    table(f"{options.idle:,} idle keep-alive connections (each after one ListTables):", rows, reports, False)
    for name in servers:
        refusals = reports[name].get("refusals")
        if refusals:
            print(f"  {name} refusals: " + "; ".join(f"{count} x {what!r}" for what, count in refusals.items()))


if __name__ == "__main__":
    main()
    sys.exit(0)
