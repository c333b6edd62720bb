"""Helpers for the Step Functions client tests: definitions, state machines, polling."""

import json
import time

from conftest import unique

ROLE = "arn:aws:iam::123456789012:role/StateboxTest"
ENDED = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


def definition(states, start=None):
    """A definition's JSON text from its states (the first one starts unless `start`)."""
    return json.dumps({"StartAt": start or next(iter(states)), "States": states})


PASS = definition({"P": {"Type": "Pass", "Result": {"done": True}, "ResultPath": "$.out", "End": True}})


def create_machine(sfn, text=PASS, kind="STANDARD", name=None, **extra):
    """Creates a state machine and returns its ARN."""
    return sfn.create_state_machine(
        name=name or unique("sm"), definition=text, roleArn=ROLE, type=kind, **extra
    )["stateMachineArn"]


def wait_until(check, timeout=15.0, delay=0.05):
    """Polls `check()` until it returns something truthy; returns it."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout}s")
        time.sleep(delay)


def wait_for_end(sfn, execution_arn, timeout=15.0):
    """Polls DescribeExecution, as an application waits for an execution, until it ends."""

    def ended():
        described = sfn.describe_execution(executionArn=execution_arn)
        return described if described["status"] in ENDED else None

    return wait_until(ended, timeout)


def history(sfn, execution_arn, **extra):
    """Every history event, through the paginator."""
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn, **extra)
    return [event for page in pages for event in page["events"]]
