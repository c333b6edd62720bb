"""BatchWriteItem and BatchGetItem through boto3."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_of


def test_batch_write_then_batch_get(ddb, table):
    puts = [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}, "v": {"N": str(i)}}}} for i in range(25)]
    result = ddb.batch_write_item(RequestItems={table: puts})
    assert result["UnprocessedItems"] == {}

    keys = [{"pk": {"S": f"k{i}"}} for i in range(0, 25, 2)] + [{"pk": {"S": "missing"}}]
    got = ddb.batch_get_item(RequestItems={table: {"Keys": keys}})
    assert got["UnprocessedKeys"] == {}
    values = sorted(int(item["v"]["N"]) for item in got["Responses"][table])
    assert values == list(range(0, 25, 2))


def test_batch_write_deletes(ddb, table):
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    ddb.batch_write_item(
        RequestItems={
            table: [
                {"DeleteRequest": {"Key": {"pk": {"S": "a"}}}},
                {"PutRequest": {"Item": {"pk": {"S": "b"}}}},
            ]
        }
    )
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "a"}})
    assert "Item" in ddb.get_item(TableName=table, Key={"pk": {"S": "b"}})


def test_batch_write_over_25_is_rejected(ddb, table):
    puts = [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}}}} for i in range(26)]
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={table: puts})
    assert error_of(excinfo)[0] == "ValidationException"
