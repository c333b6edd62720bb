"""The boto3 `dynamodb` resource API: Python types (Decimal, sets, bytes, nested) in and out."""

from decimal import Decimal

from boto3.dynamodb.conditions import Attr, Key


def test_table_put_get_with_python_types(resource, table):
    t = resource.Table(table)
    item = {
        "pk": "a",
        "price": Decimal("19.99"),
        "big": Decimal("12345678901234567890123456789012345678"),
        "tiny": Decimal("-1E-130"),
        "count": 3,
        "tags": {"x", "y"},
        "scores": {Decimal("1"), Decimal("2.5")},
        "blob": b"\x00\xff",
        "nested": {"list": [1, "two", None, True], "map": {"k": "v"}},
    }
    t.put_item(Item=item)
    got = t.get_item(Key={"pk": "a"})["Item"]
    assert got["price"] == Decimal("19.99")
    assert got["big"] == Decimal("12345678901234567890123456789012345678")
    assert got["tiny"] == Decimal("-1E-130")
    assert got["count"] == 3
    assert got["tags"] == {"x", "y"}
    assert got["scores"] == {Decimal("1"), Decimal("2.5")}
    assert got["blob"].value == b"\x00\xff"
    assert got["nested"] == {"list": [Decimal(1), "two", None, True], "map": {"k": "v"}}


def test_table_update_and_conditions(resource, table):
    t = resource.Table(table)
    t.put_item(Item={"pk": "a", "n": 1})
    t.update_item(
        Key={"pk": "a"},
        UpdateExpression="SET n = n + :inc",
        ConditionExpression=Attr("n").eq(1),
        ExpressionAttributeValues={":inc": Decimal("0.5")},
    )
    assert t.get_item(Key={"pk": "a"})["Item"]["n"] == Decimal("1.5")


def test_table_query_with_key_conditions(resource, sorted_table):
    t = resource.Table(sorted_table)
    with t.batch_writer() as batch:
        for i in range(40):
            batch.put_item(Item={"pk": "p", "sk": i, "odd": i % 2 == 1})
    found = t.query(KeyConditionExpression=Key("pk").eq("p") & Key("sk").gte(35))["Items"]
    assert [item["sk"] for item in found] == [35, 36, 37, 38, 39]
    odd = t.scan(FilterExpression=Attr("odd").eq(True))["Items"]
    assert len(odd) == 20
