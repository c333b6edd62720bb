"""Less common operations through boto3: PartiQL, UpdateTable, TTL, tags, limits, and the
old item returned with a failed condition."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_of


def test_failed_condition_can_return_the_item(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(
            TableName=table,
            Item={"pk": {"S": "a"}},
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert error_of(excinfo) == ("ConditionalCheckFailedException", "The conditional request failed")
    assert excinfo.value.response["Item"] == {"pk": {"S": "a"}, "v": {"N": "1"}}


def test_partiql_statements(ddb, table):
    ddb.execute_statement(Statement=f"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'v': 1}}")
    got = ddb.execute_statement(
        Statement=f'SELECT * FROM "{table}" WHERE pk = ?', Parameters=[{"S": "a"}]
    )["Items"]
    assert got == [{"pk": {"S": "a"}, "v": {"N": "1"}}]


def test_time_to_live_settings(ddb, table):
    ddb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    described = ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert described == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


def test_tags(ddb, table):
    arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "core"}])
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "core"}]


def test_update_table_adds_an_index(ddb, table):
    ddb.update_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "by-g",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            }
        ],
    )
    indexes = ddb.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"]
    assert [i["IndexName"] for i in indexes] == ["by-g"]


def test_describe_limits(ddb):
    limits = ddb.describe_limits()
    assert limits["TableMaxWriteCapacityUnits"] > 0


def test_batch_get_over_100_keys_is_rejected(ddb, table):
    keys = [{"pk": {"S": f"k{i}"}} for i in range(101)]
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_get_item(RequestItems={table: {"Keys": keys}})
    assert error_of(excinfo)[0] == "ValidationException"
