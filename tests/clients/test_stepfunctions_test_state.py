"""TestState through boto3: one state run once, at each inspection level, with a mocked or
a real (DynamoDB) Task result; Choice's next state, Catch, and Retry reported RETRIABLE."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import create_table, error_of, unique
from sfn_helpers import ROLE, definition

PASS_STATE = {
    "Type": "Pass",
    "InputPath": "$.order",
    "Parameters": {"id.$": "$.id", "fixed": 1},
    "ResultPath": "$.shaped",
    "Next": "After",
}

TASK = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "f", "Payload.$": "$"},
    "ResultSelector": {"body.$": "$.Payload"},
    "ResultPath": "$.result",
    "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 3.0}],
    "Catch": [{"ErrorEquals": ["Broken"], "ResultPath": "$.caught", "Next": "Recover"}],
    "Next": "Done",
}


def test_info_and_debug_levels(sfn):
    args = dict(definition=json.dumps(PASS_STATE), roleArn=ROLE, input=json.dumps({"order": {"id": 5}}))
    info = sfn.test_state(**args)
    assert info["status"] == "SUCCEEDED"
    assert info["nextState"] == "After"
    assert json.loads(info["output"]) == {"order": {"id": 5}, "shaped": {"id": 5, "fixed": 1}}
    assert "inspectionData" not in info

    debug = sfn.test_state(inspectionLevel="DEBUG", **args)["inspectionData"]
    assert json.loads(debug["input"]) == {"order": {"id": 5}}
    assert json.loads(debug["afterInputPath"]) == {"id": 5}
    assert json.loads(debug["afterParameters"]) == {"id": 5, "fixed": 1}
    trace = sfn.test_state(inspectionLevel="TRACE", **args)
    assert trace["status"] == "SUCCEEDED" and "inspectionData" in trace


def test_mocked_task_results(sfn):
    args = dict(definition=json.dumps(TASK), roleArn=ROLE, input='{"x": 1}', inspectionLevel="DEBUG")
    ok = sfn.test_state(mock={"result": json.dumps({"Payload": {"sum": 3}})}, **args)
    assert ok["status"] == "SUCCEEDED" and ok["nextState"] == "Done"
    assert json.loads(ok["output"]) == {"x": 1, "result": {"body": {"sum": 3}}}
    data = ok["inspectionData"]
    assert json.loads(data["result"]) == {"Payload": {"sum": 3}}
    assert json.loads(data["afterResultSelector"]) == {"body": {"sum": 3}}

    retry = sfn.test_state(mock={"errorOutput": {"error": "Throttled", "cause": "slow down"}}, **args)
    assert (retry["status"], retry["error"], retry["cause"]) == ("RETRIABLE", "Throttled", "slow down")
    assert retry["inspectionData"]["errorDetails"] == {"retryIndex": 0, "retryBackoffIntervalSeconds": 2}
    later = sfn.test_state(
        mock={"errorOutput": {"error": "Throttled", "cause": "c"}},
        stateConfiguration={"retrierRetryCount": 1},
        **args,
    )
    assert later["inspectionData"]["errorDetails"]["retryBackoffIntervalSeconds"] == 6
    spent = sfn.test_state(
        mock={"errorOutput": {"error": "Throttled", "cause": "c"}},
        stateConfiguration={"retrierRetryCount": 3},
        **args,
    )
    assert spent["status"] == "FAILED"

    caught = sfn.test_state(mock={"errorOutput": {"error": "Broken", "cause": "oops"}}, **args)
    assert (caught["status"], caught["nextState"]) == ("CAUGHT_ERROR", "Recover")
    assert json.loads(caught["output"])["caught"] == {"Error": "Broken", "Cause": "oops"}
    assert caught["inspectionData"]["errorDetails"] == {"catchIndex": 0}

    failed = sfn.test_state(mock={"errorOutput": {"error": "Other", "cause": "no handler"}}, **args)
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Other", "no handler")
    assert "output" not in failed and "nextState" not in failed


def test_choice_and_a_state_of_a_whole_machine(sfn):
    whole = definition(
        {
            "Route": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}],
                "Default": "Small",
            },
            "Big": {"Type": "Succeed"},
            "Small": {"Type": "Succeed"},
        }
    )
    big = sfn.test_state(definition=whole, stateName="Route", roleArn=ROLE, input='{"n": 11}')
    assert (big["status"], big["nextState"]) == ("SUCCEEDED", "Big")
    small = sfn.test_state(definition=whole, stateName="Route", roleArn=ROLE, input='{"n": 1}')
    assert small["nextState"] == "Small"


def test_a_real_task_writes_dynamodb(sfn, ddb):
    table = create_table(ddb, unique())
    put = {
        "Type": "Task",
        "Resource": "arn:aws:states:::dynamodb:putItem",
        "Parameters": {"TableName": table, "Item": {"pk": {"S.$": "$.id"}}},
        "End": True,
    }
    result = sfn.test_state(definition=json.dumps(put), roleArn=ROLE, input='{"id": "tested"}')
    assert result["status"] == "SUCCEEDED"
    assert "nextState" not in result
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "tested"}})["Item"] == {"pk": {"S": "tested"}}


def test_invalid_state_definitions(sfn):
    with pytest.raises(ClientError) as excinfo:
        sfn.test_state(definition='{"Type": "Pass", "Next": 3}', roleArn=ROLE)
    assert error_of(excinfo)[0] == "InvalidDefinition"
    with pytest.raises(ClientError) as excinfo:
        sfn.test_state(definition="{not json", roleArn=ROLE)
    assert error_of(excinfo)[0] == "InvalidDefinition"
    with pytest.raises(ClientError) as excinfo:
        sfn.test_state(definition=json.dumps(PASS_STATE), roleArn=ROLE, input="{bad")
    assert error_of(excinfo)[0] == "InvalidExecutionInput"
