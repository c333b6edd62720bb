"""Step Functions executions through boto3: start and poll, histories in AWS's shape (paging,
reverse order, without data), listing with a status filter, stop, express workflows run
synchronously, and a workflow reaching the DynamoDB tables on the same port."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import create_table, error_of, unique
from sfn_helpers import PASS, ROLE, create_machine, definition, history, wait_for_end

CHAIN = definition(
    {
        "First": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Last"},
        "Last": {"Type": "Pass", "Result": "done", "ResultPath": "$.status", "End": True},
    }
)


def test_start_poll_and_describe(sfn):
    machine = create_machine(sfn, text=CHAIN)
    started = sfn.start_execution(stateMachineArn=machine, name="first-run", input='{"n": 7}')
    arn = started["executionArn"]
    assert arn == machine.replace(":stateMachine:", ":execution:") + ":first-run"
    described = wait_for_end(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert described["name"] == "first-run"
    assert described["stateMachineArn"] == machine
    assert json.loads(described["input"]) == {"n": 7}
    assert json.loads(described["output"]) == {"n": 7, "status": "done"}
    # The hour-long Wait passed on the server's virtual clock.
    assert (described["stopDate"] - described["startDate"]).total_seconds() == pytest.approx(3600)
    meta = sfn.describe_execution(executionArn=arn, includedData="METADATA_ONLY")
    assert "input" not in meta and "output" not in meta
    assert meta["inputDetails"] == {"included": False}


def test_history_has_aws_shape(sfn):
    machine = create_machine(sfn, text=CHAIN)
    arn = sfn.start_execution(stateMachineArn=machine, input='{"n": 1}')["executionArn"]
    wait_for_end(sfn, arn)
    events = history(sfn, arn)
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "WaitStateEntered",
        "WaitStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["id"] for e in events] == list(range(1, 9))
    assert [e["previousEventId"] for e in events] == list(range(0, 8))
    started = events[0]["executionStartedEventDetails"]
    assert json.loads(started["input"]) == {"n": 1}
    assert started["roleArn"] == ROLE
    assert events[1]["stateEnteredEventDetails"]["name"] == "First"
    assert json.loads(events[2]["stateExitedEventDetails"]["output"]) == {"n": 1}
    assert json.loads(events[-1]["executionSucceededEventDetails"]["output"]) == {"n": 1, "status": "done"}

    newest_first = sfn.get_execution_history(executionArn=arn, reverseOrder=True, maxResults=3)
    assert [e["id"] for e in newest_first["events"]] == [8, 7, 6]
    rest = sfn.get_execution_history(
        executionArn=arn, reverseOrder=True, maxResults=3, nextToken=newest_first["nextToken"]
    )
    assert [e["id"] for e in rest["events"]] == [5, 4, 3]

    bare = sfn.get_execution_history(executionArn=arn, includeExecutionData=False)["events"]
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert bare[1]["stateEnteredEventDetails"]["name"] == "First"


def test_list_executions_filters_and_pages(sfn):
    machine = create_machine(sfn, text=PASS)
    fails = create_machine(sfn, text=definition({"F": {"Type": "Fail", "Error": "Oops", "Cause": "on purpose"}}))
    arns = [sfn.start_execution(stateMachineArn=machine, name=f"run-{i}")["executionArn"] for i in range(5)]
    failed = sfn.start_execution(stateMachineArn=fails)["executionArn"]
    for arn in arns:
        wait_for_end(sfn, arn)
    described = wait_for_end(sfn, failed)
    assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Oops", "on purpose")

    pages = list(
        sfn.get_paginator("list_executions").paginate(
            stateMachineArn=machine, PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["executions"]) for p in pages] == [2, 2, 1]
    listed = [e["executionArn"] for p in pages for e in p["executions"]]
    assert listed == list(reversed(arns)), "newest first"
    assert {e["status"] for p in pages for e in p["executions"]} == {"SUCCEEDED"}
    assert sfn.list_executions(stateMachineArn=machine, statusFilter="FAILED")["executions"] == []
    only = sfn.list_executions(stateMachineArn=fails, statusFilter="FAILED")["executions"]
    assert [e["executionArn"] for e in only] == [failed]


def test_execution_errors(sfn):
    machine = create_machine(sfn, text=PASS)
    arn = sfn.start_execution(stateMachineArn=machine, name="once", input="{}")["executionArn"]
    wait_for_end(sfn, arn)
    with pytest.raises(ClientError) as excinfo:
        sfn.start_execution(stateMachineArn=machine, name="once", input="{}")
    assert error_of(excinfo) == ("ExecutionAlreadyExists", f"Execution Already Exists: '{arn}'")
    with pytest.raises(ClientError) as excinfo:
        sfn.start_execution(stateMachineArn=machine, input="{oops")
    assert error_of(excinfo)[0] == "InvalidExecutionInput"
    with pytest.raises(ClientError) as excinfo:
        sfn.start_execution(stateMachineArn=machine, name="bad/name")
    assert error_of(excinfo) == ("InvalidName", "Invalid Name: 'bad/name'")
    missing = arn + "-gone"
    with pytest.raises(ClientError) as excinfo:
        sfn.describe_execution(executionArn=missing)
    assert error_of(excinfo) == ("ExecutionDoesNotExist", f"Execution Does Not Exist: '{missing}'")
    with pytest.raises(ClientError) as excinfo:
        sfn.get_execution_history(executionArn=machine)
    assert error_of(excinfo)[0] == "InvalidArn"
    gone = machine + "-gone"
    with pytest.raises(ClientError) as excinfo:
        sfn.start_execution(stateMachineArn=gone)
    assert error_of(excinfo) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{gone}'")


def test_stop_execution(sfn, ddb):
    table = create_table(ddb, unique())
    waits = definition(
        {
            "Hold": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
                "Parameters": {"TableName": table, "Item": {"pk": {"S": "t"}, "token": {"S.$": "$$.Task.Token"}}},
                "End": True,
            }
        }
    )
    machine = create_machine(sfn, text=waits)
    arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    stopped = sfn.stop_execution(executionArn=arn, error="Halt", cause="by the test")
    described = sfn.describe_execution(executionArn=arn)
    assert (described["status"], described["error"], described["cause"]) == ("ABORTED", "Halt", "by the test")
    assert described["stopDate"] == stopped["stopDate"]
    assert history(sfn, arn)[-1]["type"] == "ExecutionAborted"


def test_describe_state_machine_for_execution_keeps_the_definition_it_ran(sfn):
    machine = create_machine(sfn, text=PASS)
    arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    wait_for_end(sfn, arn)
    sfn.update_state_machine(stateMachineArn=machine, definition=CHAIN)
    ran = sfn.describe_state_machine_for_execution(executionArn=arn)
    assert ran["stateMachineArn"] == machine
    assert ran["definition"] == PASS
    assert ran["roleArn"] == ROLE


def test_express_runs_synchronously(sfn):
    express = create_machine(sfn, text=CHAIN, kind="EXPRESS")
    result = sfn.start_sync_execution(stateMachineArn=express, name="sync-1", input='{"n": 3}')
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"n": 3, "status": "done"}
    assert ":express:" in result["executionArn"]
    assert result["stateMachineArn"] == express
    assert result["billingDetails"]["billedDurationInMilliseconds"] >= 100

    failing = create_machine(sfn, text=definition({"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}), kind="EXPRESS")
    result = sfn.start_sync_execution(stateMachineArn=failing)
    assert (result["status"], result["error"], result["cause"]) == ("FAILED", "E", "c")

    standard = create_machine(sfn, text=PASS)
    with pytest.raises(ClientError) as excinfo:
        sfn.start_sync_execution(stateMachineArn=standard)
    assert error_of(excinfo)[0] == "StateMachineTypeNotSupported"
    with pytest.raises(ClientError) as excinfo:
        sfn.list_executions(stateMachineArn=express)
    assert error_of(excinfo)[0] == "StateMachineTypeNotSupported"


def test_a_workflow_writes_dynamodb_items_the_dynamodb_client_reads(sfn, ddb):
    table = create_table(ddb, unique())
    writes = definition(
        {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": table, "Item": {"pk": {"S.$": "$.id"}, "total": {"N.$": "States.Format('{}', $.total)"}}},
                "ResultPath": None,
                "Next": "Get",
            },
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                "Parameters": {"TableName": table, "Key": {"pk": {"S.$": "$.id"}}},
                "ResultSelector": {"total.$": "$.Item.total.N"},
                "End": True,
            },
        }
    )
    ddb.put_item(TableName=table, Item={"pk": {"S": "seeded"}, "total": {"N": "1"}})
    machine = create_machine(sfn, text=writes)
    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"id": "order-1", "total": 42}))["executionArn"]
    described = wait_for_end(sfn, arn)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"total": "42"}
    item = ddb.get_item(TableName=table, Key={"pk": {"S": "order-1"}})["Item"]
    assert item == {"pk": {"S": "order-1"}, "total": {"N": "42"}}
    types = [e["type"] for e in history(sfn, arn)]
    assert types[1:5] == ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded"]

    missing = create_machine(sfn, text=writes.replace(table, "NoSuchTable"))
    failed = wait_for_end(sfn, sfn.start_execution(stateMachineArn=missing, input='{"id": "x", "total": 1}')["executionArn"])
    assert failed["status"] == "FAILED"
    assert failed["error"] == "DynamoDB.ResourceNotFoundException"


def test_redrive_runs_again_from_the_failed_state(sfn, ddb):
    table = unique("redrive")
    writes = definition(
        {
            "Prepare": {"Type": "Pass", "Parameters": {"id": "r-1"}, "Next": "Put"},
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": table, "Item": {"pk": {"S.$": "$.id"}}},
                "End": True,
            },
        }
    )
    machine = create_machine(sfn, text=writes)
    arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    failed = wait_for_end(sfn, arn)
    assert failed["status"] == "FAILED"
    assert failed["redriveStatus"] == "REDRIVABLE"
    events_before = len(history(sfn, arn))

    create_table(ddb, table)
    redriven = sfn.redrive_execution(executionArn=arn)
    described = wait_for_end(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert described["redriveCount"] == 1
    assert described["redriveDate"] == redriven["redriveDate"]
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "r-1"}})["Item"] == {"pk": {"S": "r-1"}}
    events = history(sfn, arn)
    redrive_event = events[events_before]
    assert redrive_event["type"] == "ExecutionRedriven"
    assert redrive_event["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert events[events_before + 1]["stateEnteredEventDetails"]["name"] == "Put"
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    with pytest.raises(ClientError) as excinfo:
        sfn.redrive_execution(executionArn=arn)
    assert error_of(excinfo)[0] == "ExecutionNotRedrivable"
