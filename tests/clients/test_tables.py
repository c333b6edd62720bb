"""Table operations through boto3: create, describe, list (with paging), delete."""

import pytest
from botocore.exceptions import ClientError

from conftest import create_table, error_of, unique


def test_create_describe_delete(ddb):
    name = unique()
    created = ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]
    assert created["TableName"] == name
    assert created["KeySchema"][0] == {"AttributeName": "pk", "KeyType": "HASH"}

    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    described = ddb.describe_table(TableName=name)["Table"]
    assert described["TableStatus"] == "ACTIVE"
    assert described["ItemCount"] == 0
    assert described["TableArn"].endswith(f":table/{name}")
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    deleted = ddb.delete_table(TableName=name)["TableDescription"]
    assert deleted["TableName"] == name
    with pytest.raises(ClientError) as excinfo:
        ddb.describe_table(TableName=name)
    code, message = error_of(excinfo)
    assert code == "ResourceNotFoundException"
    assert message.startswith("Requested resource not found")


def test_create_existing_table_is_in_use(ddb, table):
    with pytest.raises(ClientError) as excinfo:
        create_table(ddb, table)
    assert error_of(excinfo) == ("ResourceInUseException", f"Table already exists: {table}")


def test_list_tables_pages_in_name_order(ddb):
    names = sorted(create_table(ddb, unique("list")) for _ in range(5))
    listed = []
    page = ddb.list_tables(Limit=2)
    listed += page["TableNames"]
    while "LastEvaluatedTableName" in page:
        page = ddb.list_tables(Limit=2, ExclusiveStartTableName=page["LastEvaluatedTableName"])
        assert len(page["TableNames"]) <= 2
        listed += page["TableNames"]
    assert listed == sorted(listed)
    assert set(names) <= set(listed)


def test_list_tables_paginator(ddb):
    names = {create_table(ddb, unique("pag")) for _ in range(3)}
    paginator = ddb.get_paginator("list_tables")
    listed = [n for page in paginator.paginate(PaginationConfig={"PageSize": 1}) for n in page["TableNames"]]
    assert names <= set(listed)


def test_delete_missing_table(ddb):
    with pytest.raises(ClientError) as excinfo:
        ddb.delete_table(TableName=unique("missing"))
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_create_table_validation(ddb):
    with pytest.raises(ClientError) as excinfo:
        ddb.create_table(
            TableName=unique(),
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    assert error_of(excinfo)[0] == "ValidationException"
