"""Secondary indexes through boto3: a GSI and an LSI, queried and scanned."""

from conftest import unique


def test_query_a_global_secondary_index(ddb):
    name = unique("gsi")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"},
            {"AttributeName": "at", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-status",
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": "at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(6):
        item = {"pk": {"S": f"o{i}"}, "at": {"N": str(10 - i)}}
        if i != 5:  # an item without the index key is not in the index
            item["status"] = {"S": "open" if i % 2 else "done"}
        ddb.put_item(TableName=name, Item=item)
    found = ddb.query(
        TableName=name,
        IndexName="by-status",
        KeyConditionExpression="#s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "open"}},
    )["Items"]
    assert [i["pk"]["S"] for i in found] == ["o3", "o1"]
    assert ddb.scan(TableName=name, IndexName="by-status", Select="COUNT")["Count"] == 5


def test_query_a_local_secondary_index(ddb):
    name = unique("lsi")
    ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "price", "AttributeType": "N"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "by-price",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "price", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for sk, price in [("a", "30"), ("b", "10"), ("c", "20")]:
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": sk}, "price": {"N": price}, "x": {"S": "y"}})
    found = ddb.query(
        TableName=name,
        IndexName="by-price",
        KeyConditionExpression="pk = :p AND price > :min",
        ExpressionAttributeValues={":p": {"S": "p"}, ":min": {"N": "15"}},
    )["Items"]
    assert [i["sk"]["S"] for i in found] == ["c", "a"]
    assert all("x" not in i for i in found)
