"""Item operations through boto3: put, get, update, delete, with conditions."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique

CONDITION_FAILED = ("ConditionalCheckFailedException", "The conditional request failed")


def test_put_get_round_trip(ddb, table):
    item = {
        "pk": {"S": "a"},
        "n": {"N": "12.50"},
        "b": {"B": b"\x00\x01"},
        "ok": {"BOOL": True},
        "nothing": {"NULL": True},
        "list": {"L": [{"S": "x"}, {"N": "1"}]},
        "map": {"M": {"inner": {"S": "y"}}},
        "ss": {"SS": ["q", "p"]},
    }
    assert "Attributes" not in ddb.put_item(TableName=table, Item=item)
    got = ddb.get_item(TableName=table, Key={"pk": {"S": "a"}}, ConsistentRead=True)["Item"]
    assert got["n"] == {"N": "12.5"}
    assert got["b"] == {"B": b"\x00\x01"}
    assert got["map"] == {"M": {"inner": {"S": "y"}}}
    assert sorted(got["ss"]["SS"]) == ["p", "q"]


def test_get_missing_item_has_no_item(ddb, table):
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "nope"}})


def test_get_with_projection(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "x": {"S": "1"}, "y": {"S": "2"}})
    got = ddb.get_item(
        TableName=table,
        Key={"pk": {"S": "a"}},
        ProjectionExpression="#x",
        ExpressionAttributeNames={"#x": "x"},
    )["Item"]
    assert got == {"x": {"S": "1"}}


def test_put_returns_old_values(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    old = ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "2"}}, ReturnValues="ALL_OLD")
    assert old["Attributes"] == {"pk": {"S": "a"}, "v": {"N": "1"}}


def test_conditional_put(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}}, ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(TableName=table, Item={"pk": {"S": "a"}}, ConditionExpression="attribute_not_exists(pk)")
    assert error_of(excinfo) == CONDITION_FAILED
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # boto3 maps the code to a modeled exception class.
    assert isinstance(excinfo.value, ddb.exceptions.ConditionalCheckFailedException)


def test_update_item_expressions(ddb, table):
    key = {"pk": {"S": "a"}}
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "count": {"N": "1"}, "gone": {"S": "x"}})
    updated = ddb.update_item(
        TableName=table,
        Key=key,
        UpdateExpression="SET #c = #c + :one, tags = list_append(if_not_exists(tags, :empty), :t) REMOVE gone",
        ExpressionAttributeNames={"#c": "count"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":empty": {"L": []}, ":t": {"L": [{"S": "new"}]}},
        ReturnValues="ALL_NEW",
    )["Attributes"]
    assert updated == {"pk": {"S": "a"}, "count": {"N": "2"}, "tags": {"L": [{"S": "new"}]}}


def test_update_creates_missing_item(ddb, table):
    ddb.update_item(
        TableName=table,
        Key={"pk": {"S": "new"}},
        UpdateExpression="ADD visits :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    got = ddb.get_item(TableName=table, Key={"pk": {"S": "new"}})["Item"]
    assert got == {"pk": {"S": "new"}, "visits": {"N": "1"}}


def test_conditional_update_fails(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    with pytest.raises(ClientError) as excinfo:
        ddb.update_item(
            TableName=table,
            Key={"pk": {"S": "a"}},
            UpdateExpression="SET v = :two",
            ConditionExpression="v = :zero",
            ExpressionAttributeValues={":two": {"N": "2"}, ":zero": {"N": "0"}},
        )
    assert error_of(excinfo) == CONDITION_FAILED
    got = ddb.get_item(TableName=table, Key={"pk": {"S": "a"}})["Item"]
    assert got["v"] == {"N": "1"}


def test_delete_item_with_condition(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    with pytest.raises(ClientError) as excinfo:
        ddb.delete_item(
            TableName=table,
            Key={"pk": {"S": "a"}},
            ConditionExpression="v > :v",
            ExpressionAttributeValues={":v": {"N": "5"}},
        )
    assert error_of(excinfo) == CONDITION_FAILED
    deleted = ddb.delete_item(TableName=table, Key={"pk": {"S": "a"}}, ReturnValues="ALL_OLD")
    assert deleted["Attributes"]["v"] == {"N": "1"}
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "a"}})


def test_item_on_missing_table(ddb):
    with pytest.raises(ClientError) as excinfo:
        ddb.get_item(TableName=unique("missing"), Key={"pk": {"S": "a"}})
    code, message = error_of(excinfo)
    assert code == "ResourceNotFoundException"
    assert message.startswith("Requested resource not found")


def test_key_that_does_not_match_the_schema(ddb, table):
    with pytest.raises(ClientError) as excinfo:
        ddb.get_item(TableName=table, Key={"other": {"S": "a"}})
    assert error_of(excinfo) == ("ValidationException", "The provided key element does not match the schema")
