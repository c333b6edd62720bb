"""Fixtures for the client tests: a running `statebox serve` and boto3 clients aimed at it.

The server command is `$STATEBOX_SERVER_EXAMPLE --port 0` when that is set (the example
binary of the statebox-server crate), otherwise `$STATEBOX_BIN serve --port 0`.
"""

import os
import queue
import re
import signal
import subprocess
import tempfile
import threading
import uuid

import boto3
import pytest
from botocore.config import Config

LISTENING = re.compile(r"^statebox: listening on (http://127\.0\.0\.1:(\d+))$")
START_TIMEOUT = 60


def server_command():
    example = os.environ.get("STATEBOX_SERVER_EXAMPLE")
    if example:
        return [example]
    binary = os.environ.get("STATEBOX_BIN")
    if binary:
        return [binary, "serve"]
    raise RuntimeError("set STATEBOX_BIN (the statebox binary) or STATEBOX_SERVER_EXAMPLE")


class Server:
    """One server process: `url`, `port`, and `stop()`."""

    def __init__(self, data_dir=None, extra=()):
        args = server_command() + ["--port", "0"]
        if data_dir is not None:
            args += ["--data", str(data_dir)]
        args += list(extra)
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL
        )
        lines = queue.Queue()
        threading.Thread(
            target=lambda: lines.put(self.process.stdout.readline()), daemon=True
        ).start()
        try:
            line = lines.get(timeout=START_TIMEOUT).decode().rstrip("\n")
        except queue.Empty:
            self.stop()
            raise RuntimeError(f"{args} printed nothing in {START_TIMEOUT}s: {self.errors()}")
        match = LISTENING.match(line)
        if not match:
            self.stop()
            raise RuntimeError(f"{args} printed {line!r}, not the listening line: {self.errors()}")
        self.url, self.port = match.group(1), int(match.group(2))

    def errors(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()

    def client(self, service="dynamodb"):
        config = SFN_CONFIG if service == "stepfunctions" else CONFIG
        return session().client(service, endpoint_url=self.url, config=config)

    def resource(self):
        return session().resource("dynamodb", endpoint_url=self.url, config=CONFIG)


CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
# StartSyncExecution's host prefix (`sync-`) cannot go before an IP address: as with Step
# Functions Local, clients aimed at a local endpoint turn it off.
SFN_CONFIG = CONFIG.merge(Config(inject_host_prefix=False))


def session():
    return boto3.session.Session(
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        region_name="us-east-1",
    )


@pytest.fixture(scope="session")
def server():
    running = Server()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def ddb(server):
    return server.client()


@pytest.fixture(scope="session")
def streams(server):
    return server.client("dynamodbstreams")


@pytest.fixture(scope="session")
def sfn(server):
    return server.client("stepfunctions")


@pytest.fixture(scope="session")
def resource(server):
    return server.resource()


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_table(client, name, hash_key=("pk", "S"), range_key=None, **extra):
    """Creates a pay-per-request table and returns its name."""
    keys = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    attrs = [{"AttributeName": hash_key[0], "AttributeType": hash_key[1]}]
    if range_key:
        keys.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        attrs.append({"AttributeName": range_key[0], "AttributeType": range_key[1]})
    client.create_table(
        TableName=name,
        KeySchema=keys,
        AttributeDefinitions=attrs,
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    return name


@pytest.fixture
def table(ddb):
    """A fresh table keyed by `pk` (S) only."""
    return create_table(ddb, unique())


@pytest.fixture
def sorted_table(ddb):
    """A fresh table keyed by `pk` (S) and `sk` (N)."""
    return create_table(ddb, unique(), range_key=("sk", "N"))


def error_of(excinfo):
    """(Code, Message) of a botocore ClientError, as an application reads them."""
    error = excinfo.value.response["Error"]
    return error["Code"], error.get("Message")
