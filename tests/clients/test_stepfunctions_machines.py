"""Step Functions state machines through boto3: create, describe, update, delete, list with
paging, definition validation with AWS's diagnostics, tags, and AWS's errors."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique
from sfn_helpers import PASS, ROLE, create_machine, definition

BROKEN = definition({"A": {"Type": "Pass", "Next": "B"}})


def test_create_describe_update_delete(sfn):
    name = unique("sm")
    created = sfn.create_state_machine(name=name, definition=PASS, roleArn=ROLE)
    arn = created["stateMachineArn"]
    assert arn == f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}"
    assert created["creationDate"].year >= 2024

    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["name"] == name
    assert described["status"] == "ACTIVE"
    assert described["type"] == "STANDARD"
    assert described["roleArn"] == ROLE
    assert json.loads(described["definition"]) == json.loads(PASS)
    assert described["loggingConfiguration"]["level"] == "OFF"
    assert described["tracingConfiguration"] == {"enabled": False}

    changed = definition({"Q": {"Type": "Pass", "End": True}})
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=changed)
    assert updated["updateDate"] >= created["creationDate"]
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["definition"] == changed
    assert described["revisionId"] == updated["revisionId"]

    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(ClientError) as excinfo:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert error_of(excinfo) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")


def test_create_is_idempotent_for_the_same_machine_only(sfn):
    name = unique("sm")
    first = create_machine(sfn, name=name)
    assert create_machine(sfn, name=name) == first
    with pytest.raises(ClientError) as excinfo:
        create_machine(sfn, text=definition({"X": {"Type": "Succeed"}}), name=name)
    assert error_of(excinfo) == ("StateMachineAlreadyExists", f"State Machine Already Exists: '{first}'")


def test_invalid_definition_lists_every_diagnostic(sfn):
    with pytest.raises(ClientError) as excinfo:
        create_machine(sfn, text=BROKEN)
    code, message = error_of(excinfo)
    assert code == "InvalidDefinition"
    assert message.startswith("Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: ")
    assert "at /States/A/Next" in message

    with pytest.raises(ClientError) as excinfo:
        create_machine(sfn, text="{not json")
    assert error_of(excinfo)[0] == "InvalidDefinition"
    assert "INVALID_JSON_DESCRIPTION" in error_of(excinfo)[1]


def test_validate_state_machine_definition(sfn):
    ok = sfn.validate_state_machine_definition(definition=PASS)
    assert ok["result"] == "OK" and ok["diagnostics"] == []
    bad = sfn.validate_state_machine_definition(definition=BROKEN, type="STANDARD")
    assert bad["result"] == "FAIL"
    first = bad["diagnostics"][0]
    assert first["severity"] == "ERROR"
    assert first["code"] == "MISSING_TRANSITION_TARGET"
    assert first["location"] == "/States/A/Next"
    limited = sfn.validate_state_machine_definition(definition=BROKEN, maxResults=1)
    assert len(limited["diagnostics"]) == 1 and limited["truncated"] is True


def test_names_and_arns_are_checked(sfn):
    with pytest.raises(ClientError) as excinfo:
        create_machine(sfn, name="has space")
    assert error_of(excinfo) == ("InvalidName", "Invalid Name: 'has space'")
    with pytest.raises(ClientError) as excinfo:
        sfn.describe_state_machine(stateMachineArn="not-an-arn")
    assert error_of(excinfo) == ("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: not-an-arn'")
    execution = "arn:aws:states:us-east-1:123456789012:execution:m:e"
    with pytest.raises(ClientError) as excinfo:
        sfn.describe_state_machine(stateMachineArn=execution)
    assert error_of(excinfo) == (
        "InvalidArn",
        "Invalid Arn: 'Resource type not valid in this context: execution'",
    )
    with pytest.raises(ClientError) as excinfo:
        sfn.list_state_machines(maxResults=1001)
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Member must have value less than or equal to 1000" in message


def test_list_state_machines_pages(sfn):
    mine = {create_machine(sfn, name=unique("list")) for _ in range(5)}
    listed = []
    for page in sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 2}):
        assert len(page["stateMachines"]) <= 2
        listed += page["stateMachines"]
    arns = [m["stateMachineArn"] for m in listed]
    assert mine <= set(arns)
    assert len(arns) == len(set(arns))
    entry = next(m for m in listed if m["stateMachineArn"] in mine)
    assert entry["type"] == "STANDARD" and "creationDate" in entry
    with pytest.raises(ClientError) as excinfo:
        sfn.list_state_machines(nextToken="garbage")
    assert error_of(excinfo)[0] == "InvalidToken"


def test_tags(sfn):
    arn = create_machine(sfn, tags=[{"key": "team", "value": "a"}])
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "dev"}, {"key": "team", "value": "b"}])
    tags = sfn.list_tags_for_resource(resourceArn=arn)["tags"]
    assert {t["key"]: t["value"] for t in tags} == {"team": "b", "env": "dev"}
    sfn.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "env", "value": "dev"}]
    missing = arn + "-gone"
    with pytest.raises(ClientError) as excinfo:
        sfn.list_tags_for_resource(resourceArn=missing)
    assert error_of(excinfo) == ("ResourceNotFound", f"Resource not found: '{missing}'")
