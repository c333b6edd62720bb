"""Step Functions versions and aliases through boto3: publish on create and update, list,
run a version and an alias (weighted routing), and the conflict of deleting a version an
alias routes to; they survive a restart with `--data`."""

import json
import signal

import pytest
from botocore.exceptions import ClientError

from conftest import Server, error_of, unique
from sfn_helpers import create_machine, definition, wait_for_end


def result_of(value):
    return definition({"P": {"Type": "Pass", "Result": value, "End": True}})


def test_versions_and_aliases(sfn):
    name = unique("ver")
    created = sfn.create_state_machine(
        name=name, definition=result_of(1), roleArn="arn:aws:iam::123456789012:role/R", publish=True
    )
    v1 = created["stateMachineVersionArn"]
    assert v1 == created["stateMachineArn"] + ":1"
    v2 = sfn.update_state_machine(
        stateMachineArn=created["stateMachineArn"], definition=result_of(2), publish=True, versionDescription="two"
    )["stateMachineVersionArn"]
    assert v2.endswith(":2")
    listed = sfn.list_state_machine_versions(stateMachineArn=created["stateMachineArn"])["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in listed] == [v2, v1]
    assert sfn.describe_state_machine(stateMachineArn=v2)["description"] == "two"

    run = wait_for_end(sfn, sfn.start_execution(stateMachineArn=v1)["executionArn"])
    assert json.loads(run["output"]) == 1
    assert run["stateMachineVersionArn"] == v1

    alias = sfn.create_state_machine_alias(
        name="live",
        routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 50}, {"stateMachineVersionArn": v2, "weight": 50}],
    )["stateMachineAliasArn"]
    assert alias == created["stateMachineArn"] + ":live"
    outputs = set()
    for _ in range(30):
        done = wait_for_end(sfn, sfn.start_execution(stateMachineArn=alias)["executionArn"])
        assert done["stateMachineAliasArn"] == alias
        outputs.add(json.loads(done["output"]))
    assert outputs == {1, 2}, "both versions get executions"

    with pytest.raises(ClientError) as excinfo:
        sfn.delete_state_machine_version(stateMachineVersionArn=v1)
    assert error_of(excinfo)[0] == "ConflictException"
    sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[{"stateMachineVersionArn": v2, "weight": 100}])
    sfn.delete_state_machine_version(stateMachineVersionArn=v1)
    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["routingConfiguration"] == [{"stateMachineVersionArn": v2, "weight": 100}]
    aliases = sfn.list_state_machine_aliases(stateMachineArn=created["stateMachineArn"])["stateMachineAliases"]
    assert [a["stateMachineAliasArn"] for a in aliases] == [alias]


def test_versions_and_aliases_survive_restarts(tmp_path):
    first = Server(data_dir=tmp_path)
    try:
        sfn = first.client("stepfunctions")
        machine = create_machine(sfn, text=result_of("a"), name="kept", publish=True)
        sfn.create_state_machine_alias(name="prod", routingConfiguration=[{"stateMachineVersionArn": machine + ":1", "weight": 100}])
    finally:
        first.stop(signal.SIGKILL)
    second = Server(data_dir=tmp_path)
    try:
        sfn = second.client("stepfunctions")
        done = wait_for_end(sfn, sfn.start_execution(stateMachineArn=machine + ":prod")["executionArn"])
        assert (json.loads(done["output"]), done["stateMachineVersionArn"]) == ("a", machine + ":1")
        v2 = sfn.publish_state_machine_version(stateMachineArn=machine)["stateMachineVersionArn"]
        assert v2 == machine + ":1", "nothing changed since version 1"
    finally:
        second.stop()
