// The JavaScript module /pkg/statebox.js, driven from pages of dist/ through page.evaluate:
// in-memory and persisted workspaces, persistence across a reload, two pages writing one
// workspace at once, an atomic failed transaction, the step-level API, export/import and
// error messages. /api-example.html (a page with no Yew) loads the module and exposes it as
// window.statebox.
import { test, expect } from "@playwright/test";

const ORDERS = {
  tables: [
    {
      TableName: "Orders",
      KeySchema: [{ AttributeName: "OrderId", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "OrderId", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    },
  ],
  items: { Orders: [{ OrderId: { S: "000" }, Status: { S: "Seeded" } }] },
};

const SAVE_AND_READ = {
  StartAt: "Save",
  States: {
    Save: {
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:putItem",
      Parameters: { TableName: "Orders", Item: { OrderId: { "S.$": "$.id" }, Status: { S: "Created" } } },
      ResultPath: null,
      Next: "Read",
    },
    Read: {
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:getItem",
      Parameters: { TableName: "Orders", Key: { OrderId: { "S.$": "$.id" } } },
      OutputPath: "$.Item",
      End: true,
    },
  },
};

const CALLBACK = {
  StartAt: "Ask",
  States: {
    Ask: {
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
      Parameters: { TableName: "Orders", Item: { OrderId: { S: "cb" }, Token: { "S.$": "$$.Task.Token" } } },
      Next: "Done",
    },
    Done: { Type: "Pass", End: true },
  },
};

/** Opens /api-example.html and waits until the module is loaded. */
async function load(page) {
  await page.goto("/api-example.html");
  await expect(page.locator("#status")).toHaveText("ready", { timeout: 30_000 });
}

/** A workspace name no other test uses. */
const fresh = (what) => `e2e-${what}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

test("an in-memory workspace answers at once: seed, DynamoDB, run", async ({ page }) => {
  await load(page);
  const out = await page.evaluate(
    ({ seed, definition }) => {
      const ws = new window.statebox.Workspace();
      ws.seed(seed);
      const put = ws.dynamodb("PutItem", JSON.stringify({ TableName: "Orders", Item: { OrderId: { S: "p" } } }));
      const run = ws.run(definition, JSON.stringify({ id: "r" }), "{}");
      const scan = ws.dynamodb("Scan", JSON.stringify({ TableName: "Orders" }));
      return { put, run, scan, persisted: ws.persisted };
    },
    { seed: JSON.stringify(ORDERS), definition: JSON.stringify(SAVE_AND_READ) },
  );
  // Plain values, not promises.
  expect(typeof out.run).toBe("string");
  expect(JSON.parse(out.put)).toEqual({});
  expect(JSON.parse(out.run)).toEqual({ status: "SUCCEEDED", output: { OrderId: { S: "r" }, Status: { S: "Created" } } });
  expect(JSON.parse(out.scan).Count).toBe(3);
  expect(out.persisted).toBe(false);
});

test("a persisted workspace keeps an awaited write across a reload", async ({ page }) => {
  const name = fresh("reload");
  await load(page);
  await page.evaluate(
    async ({ name, seed, definition }) => {
      const ws = await window.statebox.Workspace.open(name);
      await ws.seed(seed);
      await ws.run(definition, JSON.stringify({ id: "kept" }), "{}");
      await ws.dynamodb("PutItem", JSON.stringify({ TableName: "Orders", Item: { OrderId: { S: "also" } } }));
    },
    { name, seed: JSON.stringify(ORDERS), definition: JSON.stringify(SAVE_AND_READ) },
  );
  await page.reload();
  await expect(page.locator("#status")).toHaveText("ready", { timeout: 30_000 });
  const keys = await page.evaluate(async (name) => {
    const ws = await window.statebox.Workspace.open(name);
    const scan = JSON.parse(await ws.dynamodb("Scan", JSON.stringify({ TableName: "Orders" })));
    return scan.Items.map((i) => i.OrderId.S).sort();
  }, name);
  expect(keys).toEqual(["000", "also", "kept"]);
});

test("two pages writing one workspace at once lose nothing", async ({ context }) => {
  const name = fresh("two-pages");
  const [a, b] = [await context.newPage(), await context.newPage()];
  await load(a);
  await load(b);
  await a.evaluate(async (name) => {
    const ws = await window.statebox.Workspace.open(name);
    await ws.dynamodb(
      "CreateTable",
      JSON.stringify({
        TableName: "Counters",
        KeySchema: [{ AttributeName: "k", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "k", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    ws.close();
  }, name);
  // Each page: 200 ADDs on one counter and 50 puts of its own keys, interleaved, all at once.
  const write = (page, who) =>
    page.evaluate(
      async ({ name, who }) => {
        const ws = await window.statebox.Workspace.open(name);
        const add = JSON.stringify({
          TableName: "Counters",
          Key: { k: { S: "counter" } },
          UpdateExpression: "ADD n :one",
          ExpressionAttributeValues: { ":one": { N: "1" } },
        });
        const calls = [];
        for (let i = 0; i < 200; i++) {
          calls.push(ws.dynamodb("UpdateItem", add));
          if (i % 4 === 0) {
            const item = { k: { S: `${who}-${i / 4}` } };
            calls.push(ws.dynamodb("PutItem", JSON.stringify({ TableName: "Counters", Item: item })));
          }
        }
        await Promise.all(calls);
        ws.close();
      },
      { name, who },
    );
  await Promise.all([write(a, "a"), write(b, "b")]);
  for (const page of [a, b]) {
    const seen = await page.evaluate(async (name) => {
      const ws = await window.statebox.Workspace.open(name);
      const counter = JSON.parse(
        await ws.dynamodb("GetItem", JSON.stringify({ TableName: "Counters", Key: { k: { S: "counter" } } })),
      );
      const scan = JSON.parse(await ws.dynamodb("Scan", JSON.stringify({ TableName: "Counters" })));
      ws.close();
      return { n: counter.Item.n.N, keys: scan.Items.map((i) => i.k.S) };
    }, name);
    expect(seen.n).toBe("400");
    const expected = ["counter"];
    for (const who of ["a", "b"]) for (let i = 0; i < 50; i++) expected.push(`${who}-${i}`);
    expect(seen.keys.sort()).toEqual(expected.sort());
  }
});

test("a failed TransactWriteItems leaves nothing half-written on disk", async ({ page }) => {
  const name = fresh("transact");
  await load(page);
  const error = await page.evaluate(
    async ({ name, seed }) => {
      const ws = await window.statebox.Workspace.open(name);
      await ws.seed(seed);
      try {
        await ws.dynamodb(
          "TransactWriteItems",
          JSON.stringify({
            TransactItems: [
              { Put: { TableName: "Orders", Item: { OrderId: { S: "new" }, Status: { S: "Half" } } } },
              {
                Update: {
                  TableName: "Orders",
                  Key: { OrderId: { S: "000" } },
                  UpdateExpression: "SET #s = :s",
                  ExpressionAttributeNames: { "#s": "Status" },
                  ExpressionAttributeValues: { ":s": { S: "Changed" }, ":want": { S: "Shipped" } },
                  ConditionExpression: "#s = :want",
                },
              },
            ],
          }),
        );
        return null;
      } catch (e) {
        return e.message;
      }
    },
    { name, seed: JSON.stringify(ORDERS) },
  );
  expect(error).toMatch(/^TransactionCanceledException: /);
  expect(error).toContain("ConditionalCheckFailed");
  await page.reload();
  await expect(page.locator("#status")).toHaveText("ready", { timeout: 30_000 });
  const items = await page.evaluate(async (name) => {
    const ws = await window.statebox.Workspace.open(name);
    return JSON.parse(await ws.dynamodb("Scan", JSON.stringify({ TableName: "Orders" }))).Items;
  }, name);
  expect(items).toEqual([{ OrderId: { S: "000" }, Status: { S: "Seeded" } }]);
});

test("the step-level API: step, history, a task token answered, stop", async ({ page }) => {
  await load(page);
  for (const persisted of [false, true]) {
    const out = await page.evaluate(
      async ({ name, seed, definition }) => {
        const { Workspace } = window.statebox;
        const ws = name ? await Workspace.open(name) : new Workspace();
        await ws.seed(seed);
        const ex = ws.startExecution(definition, "{}", "{}");
        const first = JSON.parse(await ex.step());
        while ((await ex.step()) !== undefined) {}
        const parked = JSON.parse(ex.status()).status;
        const tokens = JSON.parse(ex.pendingTaskTokens());
        const item = JSON.parse(
          await ws.dynamodb("GetItem", JSON.stringify({ TableName: "Orders", Key: { OrderId: { S: "cb" } } })),
        );
        let wrongToken = null;
        try {
          await ex.sendTaskSuccess("not-a-token", "{}");
        } catch (e) {
          wrongToken = e.message;
        }
        await ex.sendTaskSuccess(tokens[0], JSON.stringify({ ok: true }));
        const done = JSON.parse(await ex.runToEnd());
        const history = JSON.parse(ex.history()).map((e) => e.type);

        const other = ws.startExecution(definition, "{}", "{}");
        await other.runToEnd();
        await other.stop();
        const stopped = JSON.parse(other.status()).status;
        const stoppedHistory = JSON.parse(other.history()).map((e) => e.type);
        return { first, parked, tokens, item, wrongToken, done, history, stopped, stoppedHistory };
      },
      { name: persisted ? fresh("steps") : null, seed: JSON.stringify(ORDERS), definition: JSON.stringify(CALLBACK) },
    );
    expect(out.first[0].type).toBe("ExecutionStarted");
    expect(out.parked).toBe("RUNNING");
    expect(out.tokens).toHaveLength(1);
    expect(out.item.Item.Token.S).toBe(out.tokens[0]);
    expect(out.wrongToken).toBeTruthy();
    expect(out.done).toEqual({ status: "SUCCEEDED", output: { ok: true } });
    expect(out.history[0]).toBe("ExecutionStarted");
    expect(out.history).toContain("TaskSucceeded");
    expect(out.history.at(-1)).toBe("ExecutionSucceeded");
    expect(out.stopped).toBe("ABORTED");
    expect(out.stoppedHistory.at(-1)).toBe("ExecutionAborted");
  }
});

test("export then import into a fresh workspace gives the same workspace", async ({ page }) => {
  await load(page);
  const out = await page.evaluate(
    async ({ from, to, seed, definition }) => {
      const { Workspace } = window.statebox;
      const ws = await Workspace.open(from);
      await ws.seed(seed);
      await ws.run(definition, JSON.stringify({ id: "exported" }), "{}");
      const text = await ws.export();
      const persisted = await Workspace.open(to);
      await persisted.import(text);
      const memory = new Workspace();
      await memory.import(text);
      const scan = JSON.stringify({ TableName: "Orders" });
      return {
        text,
        persisted: await persisted.export(),
        memory: await memory.export(),
        scans: [await ws.dynamodb("Scan", scan), await persisted.dynamodb("Scan", scan)],
      };
    },
    { from: fresh("export"), to: fresh("import"), seed: JSON.stringify(ORDERS), definition: JSON.stringify(SAVE_AND_READ) },
  );
  expect(out.persisted).toBe(out.text);
  expect(out.memory).toBe(out.text);
  expect(out.scans[1]).toBe(out.scans[0]);
  expect(JSON.parse(out.scans[0]).Count).toBe(2);
});

test("a bad request throws an Error that names the problem", async ({ page }) => {
  await load(page);
  const errors = await page.evaluate(
    async ({ name, seed }) => {
      const { Workspace } = window.statebox;
      const caught = async (f) => {
        try {
          await f();
          return null;
        } catch (e) {
          return { isError: e instanceof Error, message: e.message };
        }
      };
      const ws = await Workspace.open(name);
      await ws.seed(seed);
      const memory = new Workspace();
      return {
        noTable: await caught(() => ws.dynamodb("GetItem", JSON.stringify({ TableName: "Nope", Key: { OrderId: { S: "1" } } }))),
        badJson: await caught(() => ws.dynamodb("PutItem", "{oops")),
        badAction: await caught(() => memory.dynamodb("Frobnicate", "{}")),
        badDefinition: await caught(() => memory.run('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}', "{}", "{}")),
      };
    },
    { name: fresh("errors"), seed: JSON.stringify(ORDERS) },
  );
  for (const e of Object.values(errors)) expect(e?.isError).toBe(true);
  expect(errors.noTable.message).toMatch(/^ResourceNotFoundException: /);
  expect(errors.badJson.message).toMatch(/request/i);
  expect(errors.badAction.message).toContain("Frobnicate");
  expect(errors.badDefinition.message).toContain("Missing");
});

test("the example page: create the table, put, scan, run, and the items stay after a reload", async ({ page }) => {
  await load(page);
  const click = async (name) => {
    await page.getByRole("button", { name }).click();
    await expect(page.locator("#status")).toHaveText("done");
  };
  await click("Create the table");
  await click("Put an item");
  await click("Run the workflow");
  await expect(page.locator("#output")).toContainText("the workflow wrote this");
  await page.reload();
  await expect(page.locator("#status")).toHaveText("ready", { timeout: 30_000 });
  await click("Scan");
  const scan = JSON.parse((await page.locator("#output").textContent()).replace(/^Scan\n/, ""));
  expect(scan.Count).toBe(3);
});
