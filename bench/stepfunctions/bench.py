"""Step Functions client benchmark: executions per second of a short workflow through boto3
against `statebox serve`, above the floor of a no-op HTTP server (what boto3 and HTTP cost
with no work behind them). Step Functions Local (a Java jar) and LocalStack (a Docker image)
cannot be installed from the registries this machine reaches, so the floor is the only
comparison.

Run by `cargo xtask bench stepfunctions`, which builds the servers. By hand:

    python3 bench/stepfunctions/bench.py --statebox "target/release/statebox serve" \
        --noop target/release/examples/noop [--n 500]

Workload, per server: a three-state workflow (Pass, Pass with Parameters, Succeed);
  - `start+poll`: StartExecution, then DescribeExecution until it has ended (the floor's
    canned DescribeExecution says SUCCEEDED, so it costs one call there);
  - `sync`: StartSyncExecution of the same workflow as an EXPRESS machine;
  - `burst`: N StartExecution calls back to back, then ListExecutions until none runs
    (the server's throughput when executions queue up behind its driver).
Phases run in chunks alternating between the servers; each figure is the best chunk's,
since other load on the machine only ever adds time. It measures; it does not pass or fail.
"""

import argparse
import json
import os
import queue
import re
import shlex
import subprocess
import tempfile
import threading
import time

import boto3
from botocore.config import Config

LISTENING = re.compile(r"statebox: listening on (http://127\.0\.0\.1:\d+)")
ROLE = "arn:aws:iam::123456789012:role/Bench"
WORKFLOW = json.dumps(
    {
        "StartAt": "Shape",
        "States": {
            "Shape": {"Type": "Pass", "Parameters": {"id.$": "$.id", "kind": "bench"}, "Next": "Tag"},
            "Tag": {"Type": "Pass", "Result": "done", "ResultPath": "$.status", "Next": "Done"},
            "Done": {"Type": "Succeed"},
        },
    }
)


class Process:
    """A server subprocess and its URL."""

    def __init__(self, name, args):
        self.name = name
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
        )
        lines = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.process.stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=60).decode()
        except queue.Empty:
            line = ""
        match = LISTENING.search(line)
        if not match:
            self.stop()
            raise RuntimeError(f"{name} did not start: {line!r}")
        self.url = match.group(1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def client(url):
    session = boto3.session.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1")
    config = Config(retries={"max_attempts": 1}, inject_host_prefix=False, max_pool_connections=4)
    return session.client("stepfunctions", endpoint_url=url, config=config)


class Target:
    def __init__(self, name, url, noop=False):
        self.name, self.noop = name, noop
        self.sfn = client(url)
        self.best = {}

    def setup(self):
        if self.noop:
            self.standard = "arn:aws:states:us-east-1:123456789012:stateMachine:bench"
            self.express = "arn:aws:states:us-east-1:123456789012:stateMachine:bench-express"
            return
        self.standard = self.sfn.create_state_machine(name="bench", definition=WORKFLOW, roleArn=ROLE)["stateMachineArn"]
        self.express = self.sfn.create_state_machine(
            name="bench-express", definition=WORKFLOW, roleArn=ROLE, type="EXPRESS"
        )["stateMachineArn"]

    def timed(self, phase, count, work):
        start = time.perf_counter()
        work()
        per_second = count / (time.perf_counter() - start)
        self.best[phase] = max(self.best.get(phase, 0.0), per_second)


def start_and_poll(target, count):
    def work():
        for i in range(count):
            arn = target.sfn.start_execution(stateMachineArn=target.standard, input=json.dumps({"id": i}))
            arn = arn.get("executionArn", "arn")
            while target.sfn.describe_execution(executionArn=arn).get("status", "SUCCEEDED") == "RUNNING":
                pass

    return work


def sync(target, count):
    def work():
        for i in range(count):
            target.sfn.start_sync_execution(stateMachineArn=target.express, input=json.dumps({"id": i}))

    return work


def burst(target, count):
    def work():
        for i in range(count):
            target.sfn.start_execution(stateMachineArn=target.standard, input=json.dumps({"id": i}))
        while target.sfn.list_executions(stateMachineArn=target.standard, statusFilter="RUNNING", maxResults=1).get(
            "executions"
        ):
            time.sleep(0.001)

    return work


def canned_dir():
    """Floor answers: an ended execution, so the floor's poll loop stops after one call."""
    directory = tempfile.mkdtemp(prefix="statebox-sfn-bench-")
    answers = {
        "StartExecution": {"executionArn": "arn:aws:states:us-east-1:123456789012:execution:bench:x", "startDate": 1.7e9},
        "DescribeExecution": {
            "executionArn": "arn:aws:states:us-east-1:123456789012:execution:bench:x",
            "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:bench",
            "name": "x",
            "status": "SUCCEEDED",
            "startDate": 1.7e9,
            "stopDate": 1.7e9,
            "input": "{\"id\":1}",
            "output": "{\"id\":1,\"kind\":\"bench\",\"status\":\"done\"}",
        },
        "StartSyncExecution": {
            "executionArn": "arn:aws:states:us-east-1:123456789012:express:bench-express:x:y",
            "status": "SUCCEEDED",
            "startDate": 1.7e9,
            "stopDate": 1.7e9,
            "output": "{\"id\":1,\"kind\":\"bench\",\"status\":\"done\"}",
        },
        "ListExecutions": {"executions": []},
    }
    for name, body in answers.items():
        with open(os.path.join(directory, f"{name}.json"), "w") as f:
            json.dump(body, f)
    return directory


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--statebox", required=True, help="command starting statebox serve")
    parser.add_argument("--noop", required=True, help="the no-op server binary")
    parser.add_argument("--n", type=int, default=400, help="executions per phase")
    parser.add_argument("--chunks", type=int, default=4)
    args = parser.parse_args()

    servers = [
        Process("statebox", shlex.split(args.statebox) + ["--port", "0"]),
        Process("floor", [args.noop, "--port", "0", "--canned", canned_dir()]),
    ]
    try:
        targets = [Target("statebox", servers[0].url), Target("floor", servers[1].url, noop=True)]
        for t in targets:
            t.setup()
        chunk = max(1, args.n // args.chunks)
        phases = [("start+poll", start_and_poll), ("sync", sync), ("burst", burst)]
        for _ in range(args.chunks):
            for phase, make in phases:
                for t in targets:
                    t.timed(phase, chunk, make(t, chunk))
        print(f"executions per second, best of {args.chunks} chunks of {chunk} (boto3, one client, sequential):")
        print(f"{'phase':<12}{'statebox':>12}{'floor':>12}{'ms above floor':>18}")
        for phase, _ in phases:
            s, f = targets[0].best[phase], targets[1].best[phase]
            above = (1000.0 / s) - (1000.0 / f)
            print(f"{phase:<12}{s:>12.0f}{f:>12.0f}{above:>18.3f}")
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
