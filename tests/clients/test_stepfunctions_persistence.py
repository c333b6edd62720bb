"""`statebox serve --data DIR` keeps Step Functions too: state machines (with tags and
updates) and executions with their whole history survive a restart, even a hard kill; an
execution running when the server stopped comes back ABORTED, saying why."""

import json
import signal

import pytest
from botocore.exceptions import ClientError

from conftest import Server, create_table, error_of
from sfn_helpers import PASS, create_machine, definition, history, wait_for_end, wait_until


def test_machines_and_executions_survive_restarts(tmp_path):
    first = Server(data_dir=tmp_path)
    try:
        sfn, ddb = first.client("stepfunctions"), first.client()
        machine = create_machine(sfn, name="kept", tags=[{"key": "k", "value": "v"}])
        gone = create_machine(sfn, name="gone")
        sfn.delete_state_machine(stateMachineArn=gone)
        done = sfn.start_execution(stateMachineArn=machine, name="done", input='{"a": 1}')["executionArn"]
        before = wait_for_end(sfn, done)
        events_before = history(sfn, done)
        sfn.update_state_machine(stateMachineArn=machine, definition=PASS.replace('"P"', '"Q"'))

        create_table(ddb, "waiting")
        waits = definition(
            {
                "Hold": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
                    "Parameters": {"TableName": "waiting", "Item": {"pk": {"S": "t"}, "token": {"S.$": "$$.Task.Token"}}},
                    "End": True,
                }
            }
        )
        holder = create_machine(sfn, name="holder", text=waits)
        held = sfn.start_execution(stateMachineArn=holder, name="held")["executionArn"]
        wait_until(lambda: ddb.get_item(TableName="waiting", Key={"pk": {"S": "t"}}).get("Item"))
    finally:
        first.stop(signal.SIGKILL)

    second = Server(data_dir=tmp_path)
    try:
        sfn = second.client("stepfunctions")
        described = sfn.describe_state_machine(stateMachineArn=machine)
        assert '"Q"' in described["definition"]
        assert sfn.list_tags_for_resource(resourceArn=machine)["tags"] == [{"key": "k", "value": "v"}]
        with pytest.raises(ClientError) as excinfo:
            sfn.describe_state_machine(stateMachineArn=gone)
        assert error_of(excinfo)[0] == "StateMachineDoesNotExist"

        after = sfn.describe_execution(executionArn=done)
        for key in ["status", "input", "output", "startDate", "stopDate", "name"]:
            assert after[key] == before[key], key
        assert history(sfn, done) == events_before
        assert sfn.describe_state_machine_for_execution(executionArn=done)["definition"] == PASS
        listed = sfn.list_executions(stateMachineArn=machine)["executions"]
        assert [e["executionArn"] for e in listed] == [done]
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=machine, name="done")
        assert error_of(excinfo)[0] == "ExecutionAlreadyExists"

        cut = sfn.describe_execution(executionArn=held)
        assert cut["status"] == "ABORTED"
        assert "stopped while this execution was running" in cut["cause"]
        assert [e["type"] for e in history(sfn, held)] == ["ExecutionStarted", "ExecutionAborted"]

        again = sfn.start_execution(stateMachineArn=machine, name="again", input="{}")["executionArn"]
        assert wait_for_end(sfn, again)["status"] == "SUCCEEDED"
    finally:
        second.stop()

    third = Server(data_dir=tmp_path)
    try:
        sfn = third.client("stepfunctions")
        names = [e["name"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]]
        assert names == ["again", "done"]
        assert json.loads(sfn.describe_execution(executionArn=done)["output"]) == json.loads(before["output"])
    finally:
        third.stop()
