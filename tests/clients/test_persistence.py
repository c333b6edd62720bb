"""`statebox serve --data DIR`: tables and items survive a restart, even a hard kill and
a torn last line of the commit log."""

import glob
import os
import signal

from conftest import Server, create_table


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
