"""The wire protocol itself, spoken by hand (http.client) and checked through boto3:
headers, error shapes, health check, and the server's bounds on misbehaving clients."""

import http.client
import json
import socket
import time
import zlib

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique

SIGNED = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00"


def post(server, target, body, auth=SIGNED, content_type="application/x-amz-json-1.0"):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    if auth is not None:
        headers["Authorization"] = auth
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def test_success_has_aws_headers(server):
    response, data = post(server, "DynamoDB_20120810.ListTables", b"{}")
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/x-amz-json-1.0"
    assert int(response.getheader("x-amz-crc32")) == zlib.crc32(data)
    assert len(response.getheader("x-amzn-RequestId")) == 52
    assert "TableNames" in json.loads(data)


def test_unknown_operation(server):
    response, data = post(server, "DynamoDB_20120810.Frobnicate", b"{}")
    assert response.status == 400
    assert json.loads(data) == {"__type": "com.amazon.coral.service#UnknownOperationException"}
    assert int(response.getheader("x-amz-crc32")) == zlib.crc32(data)


def test_missing_target(server):
    response, data = post(server, None, b"{}")
    assert json.loads(data) == {"__type": "com.amazon.coral.service#UnknownOperationException"}


def test_bad_json(server):
    response, data = post(server, "DynamoDB_20120810.ListTables", b'{"Limit": ')
    assert response.status == 400
    assert json.loads(data) == {"__type": "com.amazon.coral.service#SerializationException"}


def test_missing_authentication(server):
    response, data = post(server, "DynamoDB_20120810.ListTables", b"{}", auth=None)
    assert response.status == 400
    assert json.loads(data) == {
        "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
        "message": "Request is missing Authentication Token",
    }


def test_not_json_content_type(server):
    response, data = post(server, "DynamoDB_20120810.ListTables", b"{}", content_type="text/plain")
    assert response.status == 404
    assert data == b"<UnknownOperationException/>\n"


def test_engine_errors_keep_the_dynamodb_namespace(server):
    body = json.dumps({"TableName": unique("missing")}).encode()
    response, data = post(server, "DynamoDB_20120810.DescribeTable", body)
    assert response.status == 400
    error = json.loads(data)
    assert error["__type"] == "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
    assert error["message"].startswith("Requested resource not found")


def test_validation_errors_use_the_validate_namespace(server, table):
    body = json.dumps({"TableName": table, "Key": {"nope": {"S": "x"}}}).encode()
    response, data = post(server, "DynamoDB_20120810.GetItem", body)
    error = json.loads(data)
    assert error["__type"] == "com.amazon.coral.validate#ValidationException"
    assert error["message"] == "The provided key element does not match the schema"


def test_boto3_reads_codes_and_messages(ddb):
    with pytest.raises(ClientError) as excinfo:
        ddb.describe_table(TableName=unique("missing"))
    code, message = error_of(excinfo)
    assert code == "ResourceNotFoundException"
    assert message.startswith("Requested resource not found")
    metadata = excinfo.value.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 400
    assert len(metadata["RequestId"]) == 52


def test_health_check(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.status == 200
    assert response.read() == b"healthy: statebox"


def test_streams_api_is_routed(server):
    response, data = post(server, "DynamoDBStreams_20120810.ListStreams", b"{}")
    error = json.loads(data)
    assert response.status == 200, error
    assert "Streams" in error


def raw(server, payload, read_timeout=10):
    with socket.create_connection(("127.0.0.1", server.port), timeout=read_timeout) as s:
        s.sendall(payload)
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def test_malformed_http_gets_400(server):
    assert raw(server, b"\x16\x03\x01\x02\x00garbage\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def test_huge_body_is_refused_before_it_is_read(server):
    head = b"POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 999999999\r\n\r\n"
    assert raw(server, head).startswith(b"HTTP/1.1 413 ")


def test_huge_head_is_refused(server):
    head = b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n"
    assert raw(server, head).startswith(b"HTTP/1.1 431 ")


def test_a_stalled_client_does_not_block_others(server, ddb):
    stalled = socket.create_connection(("127.0.0.1", server.port))
    stalled.sendall(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
    try:
        started = time.monotonic()
        ddb.list_tables(Limit=1)
        assert time.monotonic() - started < 5
    finally:
        stalled.close()


def test_keep_alive_serves_many_requests_on_one_connection(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    for _ in range(20):
        connection.request(
            "POST",
            "/",
            body=b"{}",
            headers={
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
                "Authorization": SIGNED,
            },
        )
        response = connection.getresponse()
        response.read()
        assert response.status == 200
    connection.close()


def test_parallel_clients_all_land(server, table):
    from concurrent.futures import ThreadPoolExecutor

    def writer(worker):
        client = server.client()  # one connection pool per thread
        for i in range(25):
            client.put_item(TableName=table, Item={"pk": {"S": f"w{worker}-{i}"}})
        return worker

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sorted(pool.map(writer, range(8))) == list(range(8))
    count = server.client().scan(TableName=table, Select="COUNT")["Count"]
    assert count == 8 * 25
