"""Task tokens through boto3: a `.waitForTaskToken` task writes its token to a DynamoDB
table, the test reads it back with the DynamoDB client, the execution stays RUNNING until
SendTaskSuccess / SendTaskFailure answers it; SendTaskHeartbeat; AWS's token errors. Also
the real clock (`--clock real`) and Step Functions Local's MockConfigFile (`--mock-config`,
`#TestCase`)."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import Server, create_table, error_of, unique
from sfn_helpers import create_machine, definition, history, wait_for_end, wait_until


def callback_machine(sfn, table, catch=False):
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
        "Parameters": {
            "TableName": table,
            "Item": {"pk": {"S.$": "$$.Execution.Name"}, "token": {"S.$": "$$.Task.Token"}},
        },
        "ResultPath": "$.answer",
        "HeartbeatSeconds": 60,
        "End": True,
    }
    if catch:
        task["Catch"] = [{"ErrorEquals": ["Rejected"], "ResultPath": "$.rejected", "Next": "Handled"}]
        return create_machine(sfn, text=definition({"Ask": task, "Handled": {"Type": "Pass", "End": True}}, "Ask"))
    return create_machine(sfn, text=definition({"Ask": task}))


def token_of(ddb, table, name):
    """The token the execution `name` wrote, once it is there."""

    def read():
        item = ddb.get_item(TableName=table, Key={"pk": {"S": name}}).get("Item")
        return item and item["token"]["S"]

    return wait_until(read)


def test_callback_answered_with_send_task_success(sfn, ddb):
    table = create_table(ddb, unique())
    machine = callback_machine(sfn, table)
    arn = sfn.start_execution(stateMachineArn=machine, name="cb-ok", input='{"order": 1}')["executionArn"]
    token = token_of(ddb, table, "cb-ok")
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    assert [e["type"] for e in history(sfn, arn)][-1] == "TaskSubmitted"
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output='{"approved": true}')
    described = wait_for_end(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"order": 1, "answer": {"approved": True}}
    succeeded = [e for e in history(sfn, arn) if e["type"] == "TaskSucceeded"][0]
    assert json.loads(succeeded["taskSucceededEventDetails"]["output"]) == {"approved": True}

    with pytest.raises(ClientError) as excinfo:
        sfn.send_task_success(taskToken=token, output="{}")
    assert error_of(excinfo)[0] == "TaskTimedOut"


def test_callback_answered_with_send_task_failure(sfn, ddb):
    table = create_table(ddb, unique())
    machine = callback_machine(sfn, table, catch=True)
    arn = sfn.start_execution(stateMachineArn=machine, name="cb-no", input="{}")["executionArn"]
    token = token_of(ddb, table, "cb-no")
    sfn.send_task_failure(taskToken=token, error="Rejected", cause="not today")
    described = wait_for_end(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["rejected"] == {"Error": "Rejected", "Cause": "not today"}
    failed = [e for e in history(sfn, arn) if e["type"] == "TaskFailed"][0]["taskFailedEventDetails"]
    assert (failed["error"], failed["cause"]) == ("Rejected", "not today")


def test_token_errors(sfn, ddb):
    with pytest.raises(ClientError) as excinfo:
        sfn.send_task_success(taskToken="not-a-token", output="{}")
    assert error_of(excinfo) == ("InvalidToken", "Invalid Token: 'Invalid token'")
    table = create_table(ddb, unique())
    machine = callback_machine(sfn, table)
    sfn.start_execution(stateMachineArn=machine, name="cb-bad", input="{}")
    token = token_of(ddb, table, "cb-bad")
    with pytest.raises(ClientError) as excinfo:
        sfn.send_task_success(taskToken=token, output="{not json")
    assert error_of(excinfo)[0] == "InvalidOutput"


def test_real_clock_keeps_a_wait_running():
    server = Server(extra=["--clock", "real"])
    try:
        sfn = server.client("stepfunctions")
        machine = create_machine(
            sfn,
            text=definition({"Nap": {"Type": "Wait", "Seconds": 1, "Next": "Done"}, "Done": {"Type": "Succeed"}}),
        )
        arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
        assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
        described = wait_for_end(sfn, arn, timeout=10)
        assert described["status"] == "SUCCEEDED"
        assert (described["stopDate"] - described["startDate"]).total_seconds() >= 1
    finally:
        server.stop()


MOCKS = {
    "StateMachines": {
        "Orders": {
            "TestCases": {
                "HappyPath": {"Charge": "Charged"},
                "Declined": {"Charge": "Declines"},
            }
        }
    },
    "MockedResponses": {
        "Charged": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": True}}}},
        "Declines": {"0": {"Throw": {"Error": "Card.Declined", "Cause": "insufficient funds"}}},
    },
}


def test_mock_config_test_cases(tmp_path):
    mocks = tmp_path / "mocks.json"
    mocks.write_text(json.dumps(MOCKS))
    server = Server(extra=["--mock-config", str(mocks)])
    try:
        sfn = server.client("stepfunctions")
        machine = create_machine(
            sfn,
            name="Orders",
            text=definition(
                {
                    "Charge": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::lambda:invoke",
                        "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                        "OutputPath": "$.Payload",
                        "End": True,
                    }
                }
            ),
        )
        happy = sfn.start_execution(stateMachineArn=machine + "#HappyPath")["executionArn"]
        assert happy.startswith(machine.replace(":stateMachine:", ":execution:"))
        described = wait_for_end(sfn, happy)
        assert json.loads(described["output"]) == {"charged": True}
        declined = wait_for_end(sfn, sfn.start_execution(stateMachineArn=machine + "#Declined")["executionArn"])
        assert (declined["status"], declined["error"]) == ("FAILED", "Card.Declined")
        with pytest.raises(ClientError) as excinfo:
            sfn.start_execution(stateMachineArn=machine + "#Nope")
        assert error_of(excinfo)[0] == "ValidationException"
        assert "Nope" in error_of(excinfo)[1]
    finally:
        server.stop()
