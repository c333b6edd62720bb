"""TransactWriteItems and TransactGetItems through boto3, including cancellation reasons."""

import pytest
from botocore.exceptions import ClientError


def test_transact_write_and_get(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "gone"}})
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "a"}, "v": {"N": "1"}}}},
            {
                "Update": {
                    "TableName": table,
                    "Key": {"pk": {"S": "b"}},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"N": "2"}},
                }
            },
            {"Delete": {"TableName": table, "Key": {"pk": {"S": "gone"}}}},
        ]
    )
    got = ddb.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}},
            {"Get": {"TableName": table, "Key": {"pk": {"S": "b"}}}},
            {"Get": {"TableName": table, "Key": {"pk": {"S": "gone"}}}},
        ]
    )["Responses"]
    assert got[0]["Item"]["v"] == {"N": "1"}
    assert got[1]["Item"]["v"] == {"N": "2"}
    assert "Item" not in got[2]


def test_cancelled_transaction_writes_nothing(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    with pytest.raises(ClientError) as excinfo:
        ddb.transact_write_items(
            TransactItems=[
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": {"pk": {"S": "a"}},
                        "ConditionExpression": "v = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {"Put": {"TableName": table, "Item": {"pk": {"S": "b"}}}},
            ]
        )
    error = excinfo.value.response["Error"]
    assert error["Code"] == "TransactionCanceledException"
    assert error["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[ConditionalCheckFailed, None]"
    )
    reasons = excinfo.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["ConditionalCheckFailed", "None"]
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "b"}})
