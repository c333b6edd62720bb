// The AWS SDK for JavaScript v3 Step Functions client against `statebox serve`: state
// machines, executions polled to their end, histories through the paginator, a callback
// whose token a workflow writes to DynamoDB (read back with the DynamoDB client on the same
// port) answered with SendTaskSuccess, express workflows run synchronously, TestState, and
// typed errors.
//
// Run by `cargo xtask test`; by hand: STATEBOX_BIN=target/debug/statebox node --test tests/clients-js/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  InvalidArn,
  InvalidDefinition,
  ListExecutionsCommand,
  paginateGetExecutionHistory,
  paginateListExecutions,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
  TestStateCommand,
} from "@aws-sdk/client-sfn";
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { clientConfig, startServer, unique } from "./server.mjs";

const ROLE = "arn:aws:iam::123456789012:role/StateboxTest";
const ENDED = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

let server;
let sfn;
let ddb;

before(async () => {
  server = await startServer();
  // StartSyncExecution's `sync-` host prefix cannot go before an IP address.
  sfn = new SFNClient({ ...clientConfig(server.url), disableHostPrefix: true });
  ddb = new DynamoDBClient(clientConfig(server.url));
});

after(() => {
  sfn?.destroy();
  ddb?.destroy();
  server?.stop();
});

const definition = (states) => JSON.stringify({ StartAt: Object.keys(states)[0], States: states });

async function createMachine(states, type = "STANDARD") {
  const created = await sfn.send(
    new CreateStateMachineCommand({ name: unique("sm"), definition: definition(states), roleArn: ROLE, type }),
  );
  return created.stateMachineArn;
}

async function createTable(prefix) {
  const table = unique(prefix);
  await ddb.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return table;
}

async function waitForEnd(executionArn) {
  for (let i = 0; i < 300; i += 1) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (ENDED.has(described.status)) return described;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${executionArn} did not end`);
}

test("state machines are created and described in the configured region's ARNs", async () => {
  const arn = await createMachine({ P: { Type: "Pass", End: true } });
  assert.match(arn, /^arn:aws:states:us-east-1:123456789012:stateMachine:sm-/);
  const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  assert.equal(described.status, "ACTIVE");
  assert.equal(described.type, "STANDARD");
  assert.ok(described.creationDate instanceof Date);
  await assert.rejects(
    sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}-gone` })),
    (e) => e instanceof StateMachineDoesNotExist && e.message === `State Machine Does Not Exist: '${arn}-gone'`,
  );
  await assert.rejects(
    sfn.send(new CreateStateMachineCommand({ name: unique("bad"), roleArn: ROLE, definition: '{"StartAt": "X", "States": {}}' })),
    (e) => e instanceof InvalidDefinition && e.message.startsWith("Invalid State Machine Definition: '"),
  );
});

test("an execution is polled to its end and its history paged", async () => {
  const machine = await createMachine({
    Shape: { Type: "Pass", Parameters: { "v.$": "$.v" }, Next: "Nap" },
    Nap: { Type: "Wait", Seconds: 60, End: true },
  });
  const { executionArn, startDate } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: machine, name: "js-run", input: '{"v": 2}' }),
  );
  assert.ok(startDate instanceof Date);
  const described = await waitForEnd(executionArn);
  assert.equal(described.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(described.output), { v: 2 });
  assert.equal(described.stopDate - described.startDate, 60_000);

  const events = [];
  for await (const page of paginateGetExecutionHistory({ client: sfn, pageSize: 2 }, { executionArn })) {
    events.push(...page.events);
  }
  assert.deepEqual(
    events.map((e) => e.type),
    ["ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"],
  );
  assert.deepEqual(events.map((e) => e.id), [1, 2, 3, 4, 5, 6]);
  assert.ok(events.every((e) => e.timestamp instanceof Date));
  assert.equal(events[1].stateEnteredEventDetails.name, "Shape");

  await assert.rejects(
    sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: "js-run", input: "{}" })),
    ExecutionAlreadyExists,
  );
  await assert.rejects(sfn.send(new DescribeExecutionCommand({ executionArn: machine })), InvalidArn);

  const listed = [];
  for await (const page of paginateListExecutions({ client: sfn, pageSize: 1 }, { stateMachineArn: machine })) {
    listed.push(...page.executions);
  }
  assert.deepEqual(listed.map((e) => e.executionArn), [executionArn]);
  const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine, statusFilter: "RUNNING" }));
  assert.deepEqual(running.executions, []);
});

test("a callback token written to DynamoDB is answered with SendTaskSuccess", async () => {
  const table = await createTable("cb");
  const machine = await createMachine({
    Ask: {
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
      Parameters: { TableName: table, Item: { pk: { S: "job" }, token: { "S.$": "$$.Task.Token" } } },
      ResultPath: "$.reply",
      End: true,
    },
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: '{"job": 1}' }));
  let token;
  for (let i = 0; i < 300 && !token; i += 1) {
    const { Item } = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: "job" } } }));
    token = Item?.token?.S;
    if (!token) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(token, "the workflow wrote its task token");
  assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, "RUNNING");
  await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"ok": true}' }));
  const described = await waitForEnd(executionArn);
  assert.deepEqual(JSON.parse(described.output), { job: 1, reply: { ok: true } });
  await assert.rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })), TaskTimedOut);
});

test("StopExecution aborts a waiting execution", async () => {
  const table = await createTable("stop");
  const machine = await createMachine({
    Hold: {
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
      Parameters: { TableName: table, Item: { pk: { S: "held" }, token: { "S.$": "$$.Task.Token" } } },
      End: true,
    },
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
  const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: "Halt", cause: "by the test" }));
  assert.ok(stopped.stopDate instanceof Date);
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  assert.deepEqual([described.status, described.error, described.cause], ["ABORTED", "Halt", "by the test"]);
});

test("express workflows run synchronously", async () => {
  const machine = await createMachine({ Double: { Type: "Pass", Parameters: { "twice.$": "States.MathAdd($.n, $.n)" }, End: true } }, "EXPRESS");
  const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: machine, input: '{"n": 21}' }));
  assert.equal(result.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(result.output), { twice: 42 });
  assert.ok(result.stopDate instanceof Date);
});

test("TestState runs one state with a mocked result", async () => {
  const state = {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: "f" },
    OutputPath: "$.Payload",
    Next: "After",
  };
  const result = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify(state),
      roleArn: ROLE,
      input: "{}",
      inspectionLevel: "DEBUG",
      mock: { result: JSON.stringify({ Payload: { n: 1 } }) },
    }),
  );
  assert.equal(result.status, "SUCCEEDED");
  assert.equal(result.nextState, "After");
  assert.deepEqual(JSON.parse(result.output), { n: 1 });
  assert.deepEqual(JSON.parse(result.inspectionData.result), { Payload: { n: 1 } });
});
