"""Query and Scan through boto3: key conditions, filters, paging by hand and by paginator."""

import pytest

N_ITEMS = 30


@pytest.fixture
def filled(ddb, sorted_table):
    """`sorted_table` with items sk = 0..N_ITEMS-1 under pk "p", and one under pk "other"."""
    for i in range(N_ITEMS):
        ddb.put_item(
            TableName=sorted_table,
            Item={"pk": {"S": "p"}, "sk": {"N": str(i)}, "even": {"BOOL": i % 2 == 0}},
        )
    ddb.put_item(TableName=sorted_table, Item={"pk": {"S": "other"}, "sk": {"N": "0"}})
    return sorted_table


def query_all(ddb, **request):
    items, pages = [], 0
    while True:
        page = ddb.query(**request)
        pages += 1
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items, pages
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_query_in_sort_key_order(ddb, filled):
    page = ddb.query(
        TableName=filled,
        KeyConditionExpression="pk = :p AND sk BETWEEN :lo AND :hi",
        ExpressionAttributeValues={":p": {"S": "p"}, ":lo": {"N": "5"}, ":hi": {"N": "9"}},
    )
    assert [int(i["sk"]["N"]) for i in page["Items"]] == [5, 6, 7, 8, 9]
    assert page["Count"] == 5
    assert page["ScannedCount"] == 5


def test_query_backwards_with_limit_pages(ddb, filled):
    items, pages = query_all(
        ddb,
        TableName=filled,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "p"}},
        ScanIndexForward=False,
        Limit=7,
    )
    assert [int(i["sk"]["N"]) for i in items] == list(reversed(range(N_ITEMS)))
    assert pages >= N_ITEMS // 7


def test_query_filter_counts_scanned_items(ddb, filled):
    page = ddb.query(
        TableName=filled,
        KeyConditionExpression="pk = :p",
        FilterExpression="even = :t",
        ExpressionAttributeValues={":p": {"S": "p"}, ":t": {"BOOL": True}},
    )
    assert page["Count"] == N_ITEMS // 2
    assert page["ScannedCount"] == N_ITEMS


def test_query_select_count(ddb, filled):
    page = ddb.query(
        TableName=filled,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "p"}},
        Select="COUNT",
    )
    assert page["Count"] == N_ITEMS
    assert "Items" not in page


def test_query_paginator(ddb, filled):
    paginator = ddb.get_paginator("query")
    pages = list(
        paginator.paginate(
            TableName=filled,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "p"}},
            PaginationConfig={"PageSize": 4},
        )
    )
    assert sum(len(p["Items"]) for p in pages) == N_ITEMS
    assert len(pages) >= N_ITEMS // 4


def test_scan_pages_through_everything(ddb, filled):
    seen, request = [], {"TableName": filled, "Limit": 6}
    while True:
        page = ddb.scan(**request)
        seen += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert len(seen) == N_ITEMS + 1
    keys = {(i["pk"]["S"], i["sk"]["N"]) for i in seen}
    assert len(keys) == N_ITEMS + 1


def test_scan_paginator_with_filter(ddb, filled):
    paginator = ddb.get_paginator("scan")
    items = [
        item
        for page in paginator.paginate(
            TableName=filled,
            FilterExpression="attribute_exists(even) AND even = :f",
            ExpressionAttributeValues={":f": {"BOOL": False}},
            PaginationConfig={"PageSize": 5},
        )
        for item in page["Items"]
    ]
    assert len(items) == N_ITEMS // 2
