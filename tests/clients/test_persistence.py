"""`statebox serve --data DIR`: tables, items, stream records and client request tokens
survive a restart, even a hard kill and a torn last line of the commit log."""

import glob
import json
import os
import signal

import pytest
from botocore.exceptions import ClientError

from conftest import Server, create_table, error_of


def kept_keys(ddb):
    """The sort keys (of 0..10 and 100) present in table `kept`, read one GetItem at a time."""
    present = []
    for sk in list(range(11)) + [100]:
        key = {"pk": {"S": "p"}, "sk": {"N": str(sk)}}
        if "Item" in ddb.get_item(TableName="kept", Key=key):
            present.append(sk)
    return present


def test_data_survives_restarts(tmp_path):
    first = Server(data_dir=tmp_path)
    try:
        ddb = first.client()
        create_table(ddb, "kept", range_key=("sk", "N"))
        for i in range(10):
            ddb.put_item(TableName="kept", Item={"pk": {"S": "p"}, "sk": {"N": str(i)}})
        ddb.delete_item(TableName="kept", Key={"pk": {"S": "p"}, "sk": {"N": "3"}})
        create_table(ddb, "dropped")
        ddb.delete_table(TableName="dropped")
    finally:
        first.stop(signal.SIGKILL)

    second = Server(data_dir=tmp_path)
    try:
        ddb = second.client()
        assert "dropped" not in ddb.list_tables()["TableNames"]
        assert kept_keys(ddb) == [0, 1, 2, 4, 5, 6, 7, 8, 9]
        ddb.put_item(TableName="kept", Item={"pk": {"S": "p"}, "sk": {"N": "100"}})
    finally:
        second.stop()

    # A crash in the middle of an append leaves a torn last line: it is dropped, the rest kept.
    [log] = glob.glob(os.path.join(tmp_path, "commits-*.jsonl"))
    with open(log, "ab") as f:
        f.write(b'{"changes":[{"kind":"PutItem","table":"kept","it')

    third = Server(data_dir=tmp_path)
    try:
        ddb = third.client()
        assert kept_keys(ddb) == [0, 1, 2, 4, 5, 6, 7, 8, 9, 100]
        assert "cut-short" in third.errors()
    finally:
        third.stop()


def stream_records(server, arn, iterator_type="TRIM_HORIZON", **position):
    """The records of the one shard of stream `arn`, from `iterator_type`."""
    streams = server.client("dynamodbstreams")
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn,
        ShardId=shards[0]["ShardId"],
        ShardIteratorType=iterator_type,
        **position,
    )["ShardIterator"]
    return streams.get_records(ShardIterator=iterator)["Records"]


def test_stream_records_and_client_tokens_survive_restarts(tmp_path):
    transaction = {
        "TransactItems": [{"Put": {"TableName": "streamed", "Item": {"pk": {"S": "t"}}}}],
        "ClientRequestToken": "restart-token-1",
    }
    first = Server(data_dir=tmp_path)
    try:
        ddb = first.client()
        create_table(
            ddb,
            "streamed",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        arn = ddb.describe_table(TableName="streamed")["Table"]["LatestStreamArn"]
        ddb.put_item(TableName="streamed", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
        ddb.put_item(TableName="streamed", Item={"pk": {"S": "a"}, "v": {"N": "2"}})
        ddb.transact_write_items(**transaction)
        before = stream_records(first, arn)
        assert [r["eventName"] for r in before] == ["INSERT", "MODIFY", "INSERT"]
    finally:
        first.stop(signal.SIGKILL)

    second = Server(data_dir=tmp_path)
    try:
        ddb = second.client()
        assert stream_records(second, arn) == before
        # The retry is answered from the remembered token: the item is not written again.
        ddb.put_item(TableName="streamed", Item={"pk": {"S": "t"}, "v": {"N": "9"}})
        ddb.transact_write_items(**transaction)
        item = ddb.get_item(TableName="streamed", Key={"pk": {"S": "t"}})["Item"]
        assert item["v"] == {"N": "9"}
        changed = dict(transaction)
        changed["TransactItems"] = [
            {"Put": {"TableName": "streamed", "Item": {"pk": {"S": "u"}}}}
        ]
        with pytest.raises(ClientError) as excinfo:
            ddb.transact_write_items(**changed)
        assert error_of(excinfo)[0] == "IdempotentParameterMismatchException"
        after = stream_records(
            second,
            arn,
            "AFTER_SEQUENCE_NUMBER",
            SequenceNumber=before[-1]["dynamodb"]["SequenceNumber"],
        )
        assert [r["eventName"] for r in after] == ["MODIFY"]
        assert after[0]["dynamodb"]["SequenceNumber"] > before[-1]["dynamodb"]["SequenceNumber"]
    finally:
        second.stop()

    # Compacted into the snapshot, they are still there.
    third = Server(data_dir=tmp_path)
    try:
        # Everything is in the snapshot now: its log holds nothing yet.
        [log] = glob.glob(os.path.join(tmp_path, "commits-*.jsonl"))
        assert os.path.getsize(log) == 0
        with open(os.path.join(tmp_path, "snapshot.json"), encoding="utf-8") as f:
            snapshot = json.load(f)["snapshot"]
        assert len(snapshot["streams"]["streamed"]) == 4
        assert [t["token"] for t in snapshot["tokens"]] == ["restart-token-1"]
        assert stream_records(third, arn)[:3] == before
        assert len(stream_records(third, arn)) == 4
    finally:
        third.stop()
