// Every table and item action of the two connector documents (../shared/seeds/002 and 003:
// create, list, describe, delete table; scan; add, upsert, get, update, delete item, with
// condition expressions; query; a raw PartiQL request), done by clicking in the Tables panel.
// Get item, Update item (an update expression) and Delete by key are the "Item by key" form.
import { test, expect } from "@playwright/test";
import { ready, showTable, makeTable, withWorkspace, itemRows, itemRow, definition } from "./helpers.mjs";

const describe = async (page, name) =>
  JSON.parse(await withWorkspace(page, async (ws, name) => ws.dynamodb("DescribeTable", JSON.stringify({ TableName: name })), name)).Table;
const admin = (page) => page.getByRole("region", { name: "Table actions" });

test("create table with keys, indexes, billing, stream and TTL; list it; describe it", async ({ page }) => {
  await ready(page);
  await page.getByRole("tab", { name: "Tables" }).click();
  await admin(page).getByRole("button", { name: "New table" }).click();
  const a = admin(page);
  await a.getByLabel("Table name", { exact: true }).fill("Events");
  await a.getByLabel("Partition key name").fill("device");
  await a.getByLabel("Sort key name").fill("at");
  await a.getByLabel("Sort key type").selectOption("N");
  await a.getByLabel("Billing mode").selectOption("PROVISIONED");
  await a.getByLabel("Read capacity units").fill("7");
  await a.getByLabel("Stream", { exact: true }).selectOption("NEW_AND_OLD_IMAGES");
  await a.getByLabel("TTL attribute").fill("expires");
  await a.getByRole("button", { name: "Add global index" }).click();
  await a.getByLabel("Index 1 name").fill("byKind");
  await a.getByLabel("Index 1 partition key", { exact: true }).fill("kind");
  await a.getByLabel("Index 1 sort key", { exact: true }).fill("at");
  await a.getByLabel("Index 1 sort key type").selectOption("N");
  await a.getByLabel("Index 1 projection").selectOption("INCLUDE");
  await a.getByLabel("Index 1 included attributes").fill("level, message");
  await a.getByRole("button", { name: "Add local index" }).click();
  await a.getByLabel("Index 2 name").fill("byLevel");
  await a.getByLabel("Index 2 sort key", { exact: true }).fill("level");
  await a.getByLabel("Index 2 projection").selectOption("KEYS_ONLY");
  // The request, as the AWS CLI would send it, before it is sent.
  await a.getByText("CreateTable request").click();
  await a.getByRole("button", { name: "AWS CLI" }).click();
  await expect(a.getByLabel("Request", { exact: true })).toContainText("aws dynamodb create-table");
  await a.getByRole("button", { name: "Create table" }).click();

  // Listed, shown, and as asked.
  await expect(page.locator('[data-table="Events"]')).toBeVisible();
  await expect(page.locator('[data-table="Events"]')).toHaveAttribute("aria-pressed", "true");
  const t = await describe(page, "Events");
  expect(t.KeySchema).toEqual([{ AttributeName: "device", KeyType: "HASH" }, { AttributeName: "at", KeyType: "RANGE" }]);
  expect(t.ProvisionedThroughput.ReadCapacityUnits).toBe(7);
  expect(t.StreamSpecification.StreamViewType).toBe("NEW_AND_OLD_IMAGES");
  expect(t.GlobalSecondaryIndexes[0].Projection).toEqual({ ProjectionType: "INCLUDE", NonKeyAttributes: ["level", "message"] });
  expect(t.LocalSecondaryIndexes[0].IndexName).toBe("byLevel");
  const ttl = JSON.parse(await withWorkspace(page, async (ws) => ws.dynamodb("DescribeTimeToLive", JSON.stringify({ TableName: "Events" }))));
  expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: "expires", TimeToLiveStatus: "ENABLED" });

  // Describe: a summary and the JSON.
  await admin(page).getByRole("button", { name: "Describe" }).click();
  await expect(admin(page).locator("dl.summary")).toContainText("device (partition), at (sort)");
  await expect(admin(page).locator("dl.summary")).toContainText("Global index byKind");
  await expect(admin(page).locator("dl.summary")).toContainText("Local index byLevel");
  await expect(admin(page).locator("dl.summary")).toContainText("ENABLED on expires");
  await admin(page).getByText("DescribeTable JSON").click();
  await expect(admin(page).getByLabel("DescribeTable")).toContainText('"TableName": "Events"');

  // The query builder offers the indexes.
  await page.getByLabel("Operation").selectOption("Query");
  await page.getByLabel("Table or index").selectOption("byKind");
  await expect(page.getByLabel("Partition key kind")).toBeVisible();
});

test("update a table: add and delete a global index, turn TTL on and off", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Users", [{ pk: { S: "u1" }, email: { S: "a@b.c" } }]);
  await showTable(page, "Users");
  await admin(page).getByRole("button", { name: "Indexes" }).click();
  await admin(page).getByLabel("New index name").fill("byEmail");
  await admin(page).getByLabel("New index partition key", { exact: true }).fill("email");
  await admin(page).getByRole("button", { name: "Add index" }).click();
  await expect.poll(async () => (await describe(page, "Users")).GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(["byEmail"]);
  // The builder can query the new index at once.
  await page.getByLabel("Operation").selectOption("Query");
  await page.getByLabel("Table or index").selectOption("byEmail");
  await page.getByLabel("Partition key email").fill("a@b.c");
  await page.getByRole("button", { name: "Query", exact: true }).click();
  await expect(itemRows(page)).toHaveCount(1);

  await admin(page).getByRole("button", { name: "Indexes" }).click();
  page.once("dialog", (d) => d.accept());
  await admin(page).getByRole("button", { name: "Delete index byEmail" }).click();
  await expect.poll(async () => (await describe(page, "Users")).GlobalSecondaryIndexes ?? []).toEqual([]);

  await admin(page).getByRole("button", { name: "Time to live" }).click();
  await admin(page).getByLabel("TTL attribute").fill("expiresAt");
  await admin(page).getByRole("button", { name: "Turn on TTL" }).click();
  const ttl = async () => JSON.parse(await withWorkspace(page, async (ws) => ws.dynamodb("DescribeTimeToLive", JSON.stringify({ TableName: "Users" })))).TimeToLiveDescription.TimeToLiveStatus;
  await expect.poll(ttl).toBe("ENABLED");
  await admin(page).getByRole("button", { name: "Time to live" }).click();
  await expect(admin(page).locator("[data-ttl-status]")).toContainText("ENABLED on expiresAt");
  await admin(page).getByRole("button", { name: "Turn off TTL" }).click();
  await expect.poll(ttl).toBe("DISABLED");
});

test("delete a table only after typing its name", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Scratch", [{ pk: { S: "x" } }]);
  await showTable(page, "Scratch");
  await admin(page).getByRole("button", { name: "Delete…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete table" });
  await expect(dialog.getByRole("button", { name: "Delete table Scratch" })).toBeDisabled();
  await dialog.getByLabel("Table name to delete").fill("Scratc");
  await expect(dialog.getByRole("button", { name: "Delete table Scratch" })).toBeDisabled();
  await dialog.getByLabel("Table name to delete").fill("Scratch");
  await dialog.getByRole("button", { name: "Delete table Scratch" }).click();
  await expect(page.locator('[data-table="Scratch"]')).toHaveCount(0);
  await expect(page.locator('[data-table="Orders"]')).toBeVisible();
});

test("add, upsert, get, update and delete items, with condition expressions", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Stock", [{ pk: { S: "apple" }, sk: { N: "1" }, qty: { N: "5" } }], { range: true });
  await showTable(page, "Stock");
  const editor = page.getByRole("dialog", { name: "Item editor" });

  // Add item only if absent: the second add of the same key fails at the condition.
  await page.getByRole("button", { name: "Create item" }).click();
  await editor.getByLabel("Value of pk").fill("pear");
  await editor.getByLabel("Value of sk").fill("2");
  await editor.getByText(/^Condition \(optional\)/).click();
  await editor.getByLabel("Condition expression").fill("attribute_not_exists(pk)");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(itemRow(page, { pk: { S: "pear" }, sk: { N: "2" } })).toHaveCount(1);
  await page.getByRole("button", { name: "Create item" }).click();
  await editor.getByLabel("Value of pk").fill("pear");
  await editor.getByLabel("Value of sk").fill("2");
  await editor.getByText(/^Condition \(optional\)/).click();
  await editor.getByLabel("Condition expression").fill("attribute_not_exists(pk)");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor.getByRole("alert")).toContainText("ConditionalCheckFailedException");
  await editor.getByRole("button", { name: "Cancel" }).click();

  // Query on the full key (Get item has its own form: the tests below).
  await page.getByLabel("Operation").selectOption("Query");
  await page.getByLabel("Partition key pk").fill("apple");
  await page.getByLabel("Sort key sk", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Query", exact: true }).click();
  await expect(itemRows(page)).toHaveCount(1);

  // Update (upsert) with a condition on the current value.
  await itemRow(page, { pk: { S: "apple" }, sk: { N: "1" } }).getByRole("button").click();
  await editor.getByLabel("Value of qty").fill("4");
  await editor.getByText(/^Condition \(optional\)/).click();
  await editor.getByLabel("Condition expression").fill("qty = :old");
  await editor.getByLabel("Condition values").fill('{":old": {"N": "5"}}');
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor).toHaveCount(0);
  await expect(itemRow(page, { pk: { S: "apple" }, sk: { N: "1" } })).toContainText("4");

  // Delete with a condition that does not hold, then without.
  await itemRow(page, { pk: { S: "apple" }, sk: { N: "1" } }).getByRole("button").click();
  await editor.getByText(/^Condition \(optional\)/).click();
  await editor.getByLabel("Condition expression").fill("qty > :n");
  await editor.getByLabel("Condition values").fill('{":n": {"N": "100"}}');
  await editor.getByRole("button", { name: "Delete item" }).click();
  await expect(editor.getByRole("alert")).toContainText("ConditionalCheckFailedException");
  await editor.getByLabel("Condition expression").fill("");
  await editor.getByRole("button", { name: "Delete item" }).click();
  await expect(itemRows(page)).toHaveCount(0);
  await expect(page.locator('[data-table="Stock"]')).toContainText("(1)");
});

test("scan a table and send a raw PartiQL request", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Notes", [{ pk: { S: "n1" }, text: { S: "hello" } }, { pk: { S: "n2" }, text: { S: "bye" } }]);
  await showTable(page, "Notes");
  await page.getByRole("button", { name: "Scan", exact: true }).click();
  await expect(itemRows(page)).toHaveCount(2);
  await page.getByRole("textbox", { name: "PartiQL statement" }).fill(`UPDATE "Notes" SET text = ? WHERE pk = ?`);
  await page.getByLabel("Statement parameters").fill(`[{"S": "edited"}, {"S": "n2"}]`);
  await page.getByRole("button", { name: "Run statement" }).click();
  await expect(itemRow(page, { pk: { S: "n2" } })).toContainText("edited");
  await page.getByRole("textbox", { name: "PartiQL statement" }).fill(`DELETE FROM "Notes" WHERE pk = 'n1'`);
  await page.getByLabel("Statement parameters").fill("");
  await page.getByRole("button", { name: "Run statement" }).click();
  await expect(itemRows(page)).toHaveCount(1);
});

const byKey = (page) => page.getByRole("region", { name: "Item by key" });
const BIG = "12345678901234567890123456789012345678";

test("get item by key: typed key, projection, consistent read; exact types in the editor; the request", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Stock", [
    { pk: { S: "apple" }, sk: { N: "1" }, qty: { N: "5" }, price: { N: BIG }, tags: { SS: ["fruit", "red"] }, img: { B: "AAEC" } },
    { pk: { S: "apple" }, sk: { N: "2" }, qty: { N: "7" } },
  ], { range: true });
  await showTable(page, "Stock");
  const form = byKey(page);
  const editor = page.getByRole("dialog", { name: "Item editor" });
  // The form names the table's key attributes with their types.
  await expect(form).toContainText("pk (S)");
  await expect(form).toContainText("sk (N)");
  await form.getByLabel("Item key pk", { exact: true }).fill("apple");
  await form.getByLabel("Item key sk", { exact: true }).fill("1");
  await form.getByRole("button", { name: "Get item" }).click();
  await expect(editor).toBeVisible();
  await expect(editor.getByLabel("Value of price")).toHaveValue(BIG);
  await expect(editor.getByLabel("Type of tags")).toHaveValue("SS");
  await expect(editor.getByLabel("Type of img")).toHaveValue("B");
  await editor.getByRole("button", { name: "DynamoDB JSON" }).click();
  const json = JSON.parse(await editor.getByLabel("Item (DynamoDB JSON)").inputValue());
  expect(json.price).toEqual({ N: BIG });
  expect(json.tags.SS.sort()).toEqual(["fruit", "red"]);
  expect(json.img).toEqual({ B: "AAEC" });
  // The item got is editable: a save keeps every type.
  await editor.getByRole("button", { name: "Form" }).click();
  await editor.getByLabel("Value of qty").fill("6");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor).toHaveCount(0);
  const after = JSON.parse(await withWorkspace(page, async (ws) => ws.dynamodb("GetItem", JSON.stringify({ TableName: "Stock", Key: { pk: { S: "apple" }, sk: { N: "1" } } })))).Item;
  expect(after).toMatchObject({ qty: { N: "6" }, price: { N: BIG }, img: { B: "AAEC" } });

  // No such key: said so, no editor.
  await form.getByLabel("Item key sk", { exact: true }).fill("3");
  await form.getByRole("button", { name: "Get item" }).click();
  await expect(form.getByRole("status")).toContainText("No item has the key");
  await expect(editor).toHaveCount(0);
  // A key of the wrong type is refused before it is sent.
  await form.getByLabel("Item key sk", { exact: true }).fill("one");
  await form.getByRole("button", { name: "Get item" }).click();
  await expect(form.getByRole("alert")).toContainText("Key sk");

  // A projection with a consistent read: only those attributes, shown but not saved.
  await form.getByLabel("Item key sk", { exact: true }).fill("2");
  await form.getByLabel("Attributes to get").fill("qty, sk");
  await form.getByLabel("Consistent read").check();
  await form.getByRole("button", { name: "Get item" }).click();
  await expect(editor.locator("[data-projected]")).toBeVisible();
  await expect(editor.getByLabel("Value of qty")).toHaveValue("7");
  await expect(editor.getByLabel("Value of pk")).toHaveCount(0);
  await expect(editor.getByRole("button", { name: "Save item" })).toBeDisabled();
  await editor.getByRole("button", { name: "Cancel" }).click();

  // The request as the AWS CLI sends it and as a Task state of the workflow.
  await form.getByText("GetItem request").click();
  await form.getByRole("button", { name: "AWS CLI" }).click();
  const request = form.getByLabel("Item request", { exact: true });
  await expect(request).toContainText("aws dynamodb get-item");
  await expect(request).toContainText("--consistent-read");
  await expect(request).toContainText("--projection-expression");
  await form.getByRole("button", { name: "Task state" }).click();
  await expect(request).toContainText("arn:aws:states:::aws-sdk:dynamodb:getItem");
  await form.getByRole("button", { name: "Add to workflow" }).click();
  await expect(definition(page)).toHaveValue(/aws-sdk:dynamodb:getItem/);
});

test("update item by key with an update expression and a condition; upsert; delete by key", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Stock", [{ pk: { S: "apple" }, sk: { N: "1" }, qty: { N: "5" }, price: { N: BIG } }], { range: true });
  await showTable(page, "Stock");
  const form = byKey(page);
  const editor = page.getByRole("dialog", { name: "Item editor" });
  await form.getByLabel("Item action").selectOption("UpdateItem");
  await form.getByLabel("Item key pk", { exact: true }).fill("apple");
  await form.getByLabel("Item key sk", { exact: true }).fill("1");
  await form.getByLabel("Update expression").fill("SET #q = #q - :one ADD tags :t");
  await form.getByLabel("Update or delete condition").fill("#q >= :one");
  await form.getByLabel("Expression attribute values").fill('{":one": {"N": "1"}, ":t": {"SS": ["sale"]}}');
  await form.getByLabel("Expression attribute names").fill('{"#q": "qty"}');
  await form.getByRole("button", { name: "Update item" }).click();
  // The new item opens in the editor and the grid shows it.
  await expect(editor.getByLabel("Value of qty")).toHaveValue("4");
  await expect(editor.getByLabel("Type of tags")).toHaveValue("SS");
  await expect(editor.getByLabel("Value of price")).toHaveValue(BIG);
  await editor.getByRole("button", { name: "Cancel" }).click();
  await expect(itemRow(page, { pk: { S: "apple" }, sk: { N: "1" } })).toContainText("4");

  // A condition that does not hold: the engine's error, nothing changed.
  await form.getByLabel("Update or delete condition").fill("#q > :one");
  await form.getByLabel("Expression attribute values").fill('{":one": {"N": "100"}, ":t": {"SS": ["x"]}}');
  await form.getByRole("button", { name: "Update item" }).click();
  await expect(form.getByRole("alert")).toContainText("ConditionalCheckFailedException");
  await expect(itemRow(page, { pk: { S: "apple" }, sk: { N: "1" } })).toContainText("4");

  // The request, before it is sent again.
  await form.getByText("UpdateItem request").click();
  await expect(form.getByLabel("Item request", { exact: true })).toContainText('"UpdateExpression": "SET #q = #q - :one ADD tags :t"');

  // Update of an absent key adds the item (upsert).
  await form.getByLabel("Item key pk", { exact: true }).fill("kiwi");
  await form.getByLabel("Item key sk", { exact: true }).fill("3");
  await form.getByLabel("Update expression").fill("SET qty = :n");
  await form.getByLabel("Update or delete condition").fill("");
  await form.getByLabel("Expression attribute values").fill('{":n": {"N": "0.10"}}');
  await form.getByLabel("Expression attribute names").fill("");
  await form.getByRole("button", { name: "Update item" }).click();
  await expect(itemRow(page, { pk: { S: "kiwi" }, sk: { N: "3" } })).toHaveCount(1);
  await editor.getByRole("button", { name: "Cancel" }).click();

  // Delete by key, with a condition; a second delete finds nothing.
  await form.getByLabel("Item action").selectOption("DeleteItem");
  await form.getByLabel("Update or delete condition").fill("attribute_exists(qty)");
  await form.getByLabel("Expression attribute values").fill("");
  await form.getByRole("button", { name: "Delete by key" }).click();
  await expect(form.getByRole("status")).toContainText("Deleted the item");
  await expect(itemRow(page, { pk: { S: "kiwi" }, sk: { N: "3" } })).toHaveCount(0);
  await form.getByLabel("Update or delete condition").fill("");
  await form.getByRole("button", { name: "Delete by key" }).click();
  await expect(form.getByRole("status")).toContainText("nothing was deleted");
  await expect(itemRows(page)).toHaveCount(1);
  await expect(page.locator('[data-table="Stock"]')).toContainText("(1)");
});
