"""Requests DynamoDB refuses, through boto3 and by hand: codes and AWS's exact messages."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_of
from test_protocol import post


def refused(call, **request):
    with pytest.raises(ClientError) as excinfo:
        call(**request)
    return error_of(excinfo)


def test_empty_string_key(ddb, table):
    assert refused(ddb.put_item, TableName=table, Item={"pk": {"S": ""}}) == (
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty string value. Key: pk",
    )


def test_item_over_400_kb(ddb, table):
    item = {"pk": {"S": "big"}, "blob": {"S": "x" * (400 * 1024 + 1)}}
    assert refused(ddb.put_item, TableName=table, Item=item) == (
        "ValidationException",
        "Item size has exceeded the maximum allowed size",
    )


def test_more_than_38_digits(ddb, table):
    item = {"pk": {"S": "n"}, "n": {"N": "1" * 39}}
    assert refused(ddb.put_item, TableName=table, Item=item) == (
        "ValidationException",
        "Attempting to store more than 38 significant digits in a Number",
    )


def test_batch_write_with_duplicate_keys(ddb, table):
    puts = [{"PutRequest": {"Item": {"pk": {"S": "same"}}}}] * 2
    assert refused(ddb.batch_write_item, RequestItems={table: puts}) == (
        "ValidationException",
        "Provided list of item keys contains duplicates",
    )


def test_transaction_touching_one_item_twice(ddb, table):
    item = {"pk": {"S": "a"}}
    actions = [
        {"Put": {"TableName": table, "Item": item}},
        {"Delete": {"TableName": table, "Key": item}},
    ]
    assert refused(ddb.transact_write_items, TransactItems=actions) == (
        "ValidationException",
        "Transaction request cannot include multiple operations on one item",
    )


def test_query_without_a_key_condition(ddb, table):
    assert refused(ddb.query, TableName=table) == (
        "ValidationException",
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
    )


def test_update_expression_syntax_error(ddb, table):
    code, message = refused(ddb.update_item, TableName=table, Key={"pk": {"S": "a"}}, UpdateExpression="SET")
    assert code == "ValidationException"
    assert message.startswith("Invalid UpdateExpression: Syntax error")


def test_wrong_json_type_is_a_serialization_error(server):
    response, data = post(server, "DynamoDB_20120810.DescribeTable", b'{"TableName": 5}')
    assert response.status == 400
    assert json.loads(data)["__type"] == "com.amazon.coral.service#SerializationException"


def test_deeply_nested_json_is_refused_cleanly(server):
    body = b'{"TableName": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response, data = post(server, "DynamoDB_20120810.DescribeTable", body)
    assert response.status == 400
    assert json.loads(data)["__type"] == "com.amazon.coral.service#SerializationException"


def test_body_that_is_not_utf8(server):
    response, data = post(server, "DynamoDB_20120810.ListTables", b'{"Limit": "\xff\xfe"}')
    assert response.status == 400
    assert json.loads(data)["__type"] == "com.amazon.coral.service#SerializationException"


def test_tags_of_a_table_that_is_not_there(server, ddb):
    arn = "arn:aws:dynamodb:us-east-1:111122223333:table/nonexistent_table_xyz"
    message = (
        "User: arn:aws:iam::000000000000:root is not authorized to perform: "
        "dynamodb:ListTagsOfResource on resource: " + arn + " because no resource-based "
        "policy allows the dynamodb:ListTagsOfResource action"
    )
    assert refused(ddb.list_tags_of_resource, ResourceArn=arn) == ("AccessDeniedException", message)
    response, data = post(
        server, "DynamoDB_20120810.ListTagsOfResource", json.dumps({"ResourceArn": arn})
    )
    assert response.status == 400
    assert json.loads(data)["__type"] == "com.amazon.coral.service#AccessDeniedException"
    # The same for a missing table of this account, as the SDK suites see it from DynamoDB.
    own = "arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz"
    for call, params in [
        (ddb.list_tags_of_resource, {}),
        (ddb.tag_resource, {"Tags": [{"Key": "k", "Value": "v"}]}),
        (ddb.untag_resource, {"TagKeys": ["k"]}),
    ]:
        assert refused(call, ResourceArn=own, **params)[0] == "AccessDeniedException"


def test_transaction_reading_one_item_twice(ddb, table):
    get = {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}}
    assert refused(ddb.transact_get_items, TransactItems=[get, get]) == (
        "ValidationException",
        "Transaction request cannot include multiple operations on one item",
    )


def test_null_false(ddb, table):
    invalid = "One or more parameter values were invalid: Null attribute value types must have the value of true"
    item = {"pk": {"S": "a"}, "m": {"M": {"n": {"NULL": False}}}}
    assert refused(ddb.put_item, TableName=table, Item=item) == ("ValidationException", invalid)
    assert refused(
        ddb.update_item,
        TableName=table,
        Key={"pk": {"S": "a"}},
        UpdateExpression="SET n = :n",
        ExpressionAttributeValues={":n": {"NULL": False}},
    ) == (
        "ValidationException",
        "ExpressionAttributeValues contains invalid value: " + invalid + " for key :n",
    )


def test_member_errors_reported_together(ddb, table):
    assert refused(
        ddb.put_item,
        TableName=table,
        Item={"pk": {"S": "a"}},
        ReturnValues="X",
        ReturnConsumedCapacity="Y",
    ) == (
        "ValidationException",
        "2 validation errors detected: Value 'X' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
        "Value 'Y' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy "
        "enum value set: [INDEXES, TOTAL, NONE]",
    )
