"""DynamoDB client benchmark: the same boto3 workload against statebox, dynalite and a
no-op HTTP server (the floor: what boto3 and HTTP cost with no work behind them).

Run by `cargo xtask bench dynamodb`, which builds and installs the servers. By hand:

    python3 bench/dynamodb/bench.py --statebox "target/release/statebox serve" \
        --dynalite target/bench-dynamodb/node_modules/dynalite/cli.js \
        --noop target/release/examples/noop [--n 10000]

Workload, per server, in one process: N sequential PutItem and GetItem of small items in one
partition; one Query and one Scan reading all N (every page), through boto3 and again by
plain HTTP (no client parsing); N items by BatchWriteItem, 25 per call. Phases run in chunks that rotate between the servers (load on a shared machine
falls on all alike); each figure is the best chunk's cost per call, since other load on the
machine only ever adds time. Prints per-call cost above the
floor and the ratio statebox/dynalite.
It measures; it does not pass or fail.
"""

import argparse
import http.client
import json
import os
import queue
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time

import boto3
from botocore.config import Config

LISTENING = re.compile(r"statebox: listening on (http://127\.0\.0\.1:\d+)")
PAYLOAD = "twenty bytes of data"


class Process:
    """A server subprocess and its URL."""

    def __init__(self, name, args, url=None, cpus=None):
        """`cpus`: the CPUs the server may run on (all of them when None)."""
        self.name = name
        self.process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        if url is None:
            lines = queue.Queue()
            threading.Thread(target=lambda: lines.put(self.process.stdout.readline()), daemon=True).start()
            try:
                line = lines.get(timeout=60).decode()
            except queue.Empty:
                line = ""
            match = LISTENING.search(line)
            if not match:
                self.stop()
                raise RuntimeError(f"{name}: no listening line from {args} (got {line!r})")
            url = match.group(1)
        self.url = url
        wait_for_port(url)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(url, timeout=30):
    host, port = url.rsplit("/", 1)[-1].split(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {url}")


def client(url):
    session = boto3.session.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-east-1"
    )
    config = Config(retries={"max_attempts": 1}, read_timeout=120)
    return session.client("dynamodb", endpoint_url=url, config=config)


def create(ddb, name, noop):
    if noop:
        return
    ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})


def item(i):
    return {"pk": {"S": "p"}, "sk": {"N": str(i)}, "payload": {"S": PAYLOAD}}


def read_all(call, request):
    """Every page of a Query or Scan: (items, pages)."""
    items = pages = 0
    while True:
        page = call(**request)
        pages += 1
        items += len(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return items, pages
        request = dict(request, ExclusiveStartKey=page["LastEvaluatedKey"])


CHUNKS = 40
REPEATS = 7


class Target:
    """One server under test: its client and what it measured, phase by phase."""

    def __init__(self, name, url, noop=False):
        self.name, self.noop, self.url = name, noop, url
        self.ddb = client(url)
        self.samples = {}  # phase -> list of (seconds, calls)
        self.failed = {}  # phase -> error text
        self.notes = {}

    def setup(self):
        create(self.ddb, "bench", self.noop)
        create(self.ddb, "batch", self.noop)
        for i in range(20):  # warm the connection and both code paths
            self.ddb.put_item(TableName="bench", Item=item(-1 - i))
            self.ddb.get_item(TableName="bench", Key={"pk": {"S": "p"}, "sk": {"N": str(-1 - i)}})
        if not self.noop:
            for i in range(20):
                self.ddb.delete_item(TableName="bench", Key={"pk": {"S": "p"}, "sk": {"N": str(-1 - i)}})

    def timed(self, phase, work):
        """Runs `work()` (which returns its call count) unless this phase already failed."""
        if phase in self.failed:
            return
        started = time.perf_counter()
        try:
            calls = work()
        except Exception as error:  # an unsupported operation is reported, not fatal
            self.failed[phase] = str(error).split(": ", 1)[-1][:90]
            return
        self.samples.setdefault(phase, []).append((time.perf_counter() - started, calls))

    def per_call_us(self, phase):
        """The cost per call in the least disturbed chunk (the minimum over chunks: on a
        shared machine, other load only ever adds time), or None if the phase failed."""
        if phase in self.failed or phase not in self.samples:
            return None
        return min(seconds * 1e6 / calls for seconds, calls in self.samples[phase])


def puts(target, first, last):
    for i in range(first, last):
        target.ddb.put_item(TableName="bench", Item=item(i))
    return last - first


def gets(target, first, last):
    for i in range(first, last):
        target.ddb.get_item(TableName="bench", Key={"pk": {"S": "p"}, "sk": {"N": str(i)}})
    return last - first


def query_all(target):
    items, pages = read_all(target.ddb.query, QUERY)
    target.notes["Query (all)"] = f"{items} items, {pages} page(s)"
    return 1


def scan_all(target):
    items, pages = read_all(target.ddb.scan, {"TableName": "bench"})
    target.notes["Scan (all)"] = f"{items} items, {pages} page(s)"
    return 1


def raw_read_all(target, operation, request):
    """Every page of a Query or Scan by hand, without boto3's parsing: the server's cost."""
    pages = 0
    while True:
        status, body = raw_call(target.url, operation, request)
        pages += 1
        if status != 200:
            raise RuntimeError(f"{operation} answered {status}: {body[:200]!r}")
        # The client's JSON parse of a large page (~12 ms for 10,000 items in Python) would
        # drown the servers' cost in its noise: a page is parsed only when it may hold a
        # LastEvaluatedKey, the same test for every target (the floor's canned page has none).
        if b'"LastEvaluatedKey"' not in body:
            return 1
        key = json.loads(body).get("LastEvaluatedKey")
        if key is None:
            return 1
        request = dict(request, ExclusiveStartKey=key)


def batch_writes(target, first, last):
    calls = 0
    for start in range(first, last, 25):
        left = {"batch": [{"PutRequest": {"Item": item(i)}} for i in range(start, min(start + 25, last))]}
        while left:
            left = target.ddb.batch_write_item(RequestItems=left).get("UnprocessedItems") or {}
            calls += 1
    return calls


QUERY = {
    "TableName": "bench",
    "KeyConditionExpression": "pk = :p",
    "ExpressionAttributeValues": {":p": {"S": "p"}},
}


def raw_call(url, operation, request):
    """One request by hand, returning the response body's bytes."""
    host, port = url.rsplit("/", 1)[-1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"DynamoDB_20120810.{operation}",
        "X-Amz-Date": "20240101T000000Z",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=00",
    }
    connection.request("POST", "/", body=json.dumps(request), headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def can_responses(targets, directory, requests):
    """Writes a real response (for Query and Scan, the first page) to each of `requests`
    where the no-op server answers them from, so that the floor parses as many bytes as the
    servers send."""
    for operation, request in requests:
        for target in targets:
            if target.noop:
                continue
            status, body = raw_call(target.url, operation, request)
            if status == 200:
                page = json.loads(body)
                page.pop("LastEvaluatedKey", None)
                with open(os.path.join(directory, f"{operation}.json"), "w") as f:
                    json.dump(page, f, separators=(",", ":"))
                break


def interleaved(targets, n, canned_dir):
    """Runs every phase on every target in chunks that rotate between targets, so that
    background load on a shared machine falls on all of them alike."""
    bounds = [(n * c // CHUNKS, n * (c + 1) // CHUNKS) for c in range(CHUNKS)]
    phases = [
        ("PutItem", [lambda t, b=b: puts(t, *b) for b in bounds]),
        ("GetItem", [lambda t, b=b: gets(t, *b) for b in bounds]),
        ("Query (all)", [query_all] * REPEATS),
        ("Scan (all)", [scan_all] * REPEATS),
        ("Query raw HTTP", [lambda t: raw_read_all(t, "Query", QUERY)] * REPEATS),
        ("Scan raw HTTP", [lambda t: raw_read_all(t, "Scan", {"TableName": "bench"})] * REPEATS),
        ("BatchWriteItem", [lambda t, b=b: batch_writes(t, *b) for b in bounds]),
    ]
    canned = {
        "GetItem": [("GetItem", {"TableName": "bench", "Key": {"pk": {"S": "p"}, "sk": {"N": "0"}}})],
        "Query (all)": [("Query", QUERY), ("Scan", {"TableName": "bench"})],
    }
    for phase, chunks in phases:
        if phase in canned:
            can_responses(targets, canned_dir, canned[phase])
        for index, work in enumerate(chunks):
            shift = index % len(targets)
            for target in targets[shift:] + targets[:shift]:
                target.timed(phase, lambda: work(target))
    return [phase for phase, _ in phases]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statebox", required=True, help="command that serves statebox, e.g. 'statebox serve'")
    parser.add_argument("--dynalite", required=True, help="path of dynalite's cli.js")
    parser.add_argument("--noop", required=True, help="path of the no-op server binary")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--only", choices=["statebox", "dynalite"], help="measure one server (and the floor)")
    options = parser.parse_args()

    print(f"DynamoDB benchmark: n={options.n}, boto3 {boto3.__version__}, python {sys.version.split()[0]}")
    processes = []
    canned_dir = tempfile.mkdtemp(prefix="statebox-bench-")
    try:
        floor_server = Process("noop", [options.noop, "--port", "0", "--canned", canned_dir])
        processes.append(floor_server)
        targets = [Target("floor", floor_server.url, noop=True)]
        if options.only != "dynalite":
            server = Process("statebox", shlex.split(options.statebox) + ["--port", "0"])
            processes.append(server)
            targets.append(Target("statebox", server.url))
        if options.only != "statebox":
            port = free_port()
            args = ["node", options.dynalite, "--port", str(port), "--host", "127.0.0.1", "--createTableMs", "0"]
            server = Process("dynalite", args, url=f"http://127.0.0.1:{port}")
            processes.append(server)
            targets.append(Target("dynalite", server.url))
        for target in targets:
            target.setup()
        phases = interleaved(targets, options.n, canned_dir)
    finally:
        for process in processes:
            process.stop()
    report(targets, phases)


def report(targets, phases):
    floor, measured = targets[0], targets[1:]
    print()
    print(f"cost per call in microseconds, best of {CHUNKS} chunks (above the floor in brackets):")
    print(f"{'operation':<16}{'floor':>10}" + "".join(f"{t.name:>24}" for t in measured) + "   note")
    for phase in phases:
        base = floor.per_call_us(phase)
        row = f"{phase:<16}{base:>10.0f}"
        notes = []
        for target in measured:
            cost = target.per_call_us(phase)
            if cost is None:
                row += f"{'unsupported':>24}"
                notes.append(f"{target.name}: {target.failed.get(phase, '')}")
            else:
                row += f"{cost:>12.0f} (+{cost - base:>8.0f})"
                if phase in target.notes:
                    notes.append(f"{target.name}: {target.notes[phase]}")
        print(row + "   " + "; ".join(notes))
    if [t.name for t in measured] == ["statebox", "dynalite"]:
        statebox, dynalite = measured
        print()
        print("cost above the floor, statebox / dynalite (target <= 0.2):")
        for phase in phases:
            base = floor.per_call_us(phase)
            ours, theirs = statebox.per_call_us(phase), dynalite.per_call_us(phase)
            if ours is None or theirs is None:
                print(f"  {phase:<16} n/a (not supported by both)")
                continue
            ratio = (ours - base) / (theirs - base) if theirs > base else float("nan")
            print(f"  {phase:<16} statebox {ours - base:>9.1f}us  dynalite {theirs - base:>9.1f}us  ratio {ratio:.3f}")
        print("(GetItem, Query/Scan: the floor is the no-op server answering with a real response (for")
        print(" Query/Scan one call reads all pages, the floor's is the first page), so it includes the")
        print(" client's parsing of the same bytes.")
        print(" 'raw HTTP' reads the same pages without boto3 and without parsing them (but for")
        print(" LastEvaluatedKey): the servers' own cost, far less noisy.)")


if __name__ == "__main__":
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    main()
