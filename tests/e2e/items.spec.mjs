// The item browser (Tables panel), clicked through as a person does and read through
// UI.md's names: the `Items` grid with a [role=row][data-key] per item, [data-table], the
// PartiQL statement textbox and Run statement. Types and exact digits must survive.
import { test, expect } from "@playwright/test";
import { ready, saved, showTable, runToEnd, makeTable, withWorkspace, itemRows, itemRow, itemsGrid, definition, counterLoop, status } from "./helpers.mjs";

const BIG = "12345678901234567890123456789012345678";
const pk = (v) => ({ pk: { S: v } });

const typed = [
  { pk: { S: "a" }, n: { N: BIG }, tags: { SS: ["red", "blue"] }, nums: { NS: ["1", "2.5"] },
    blob: { B: "AAEC" }, none: { NULL: true }, ok: { BOOL: true },
    list: { L: [{ S: "1" }, { N: "1" }] }, map: { M: { deep: { BS: ["AQ=="] } } } },
  { pk: { S: "b" }, n: { N: "9" } },
  { pk: { S: "c" }, n: { N: "10" } },
  { pk: { S: "d" }, n: { N: "-0.5" } },
];

async function cell(page, key, column) {
  const row = itemRow(page, key);
  const index = await itemsGrid(page).locator("thead th").evaluateAll(
    (ths, col) => ths.findIndex((th) => th.dataset.column === col), column);
  return row.locator("td").nth(index);
}

test("the grid shows every type as what it is, numbers exactly, and sorts numbers as numbers", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Types", typed);
  await showTable(page, "Types");
  await expect(itemRows(page)).toHaveCount(4);
  const a = pk("a");
  await expect(await cell(page, a, "n")).toHaveAttribute("data-type", "N");
  await expect(await cell(page, a, "n")).toContainText(BIG);
  await expect(await cell(page, a, "tags")).toHaveAttribute("data-type", "SS");
  await expect(await cell(page, a, "tags")).toContainText('{"red", "blue"}');
  await expect(await cell(page, a, "nums")).toHaveAttribute("data-type", "NS");
  await expect(await cell(page, a, "blob")).toHaveAttribute("data-type", "B");
  await expect(await cell(page, a, "blob")).toContainText("AAEC (3 B)");
  await expect(await cell(page, a, "none")).toHaveAttribute("data-type", "NULL");
  await expect(await cell(page, a, "list")).toContainText('["1", 1]');
  await expect(await cell(page, a, "map")).toHaveAttribute("data-type", "M");
  // The header says which types a column holds.
  await expect(itemsGrid(page).locator('th[data-column="n"]')).toContainText("N");

  await itemsGrid(page).locator('th[data-column="n"] button').click();
  const keys = await itemRows(page).evaluateAll((rows) => rows.map((r) => JSON.parse(r.dataset.key).pk.S));
  expect(keys).toEqual(["d", "b", "c", "a"]);
  await expect(itemsGrid(page).locator('th[data-column="n"]')).toHaveAttribute("aria-sort", "ascending");
  await itemsGrid(page).locator('th[data-column="n"] button').click();
  const desc = await itemRows(page).evaluateAll((rows) => rows.map((r) => JSON.parse(r.dataset.key).pk.S));
  expect(desc).toEqual(["a", "c", "b", "d"]);
});

test("paging goes forward and back, and scanned and returned counts are apart", async ({ page }) => {
  await ready(page);
  const items = Array.from({ length: 60 }, (_, i) => ({ pk: { S: `k${String(i).padStart(2, "0")}` }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 } }));
  await makeTable(page, "Many", items.map((it) => ({ ...it, pk: { S: "p" } })), { range: true });
  await showTable(page, "Many");
  await page.getByLabel("Page size").selectOption("25");
  await page.getByRole("button", { name: "Scan", exact: true }).click();
  await expect(itemRows(page)).toHaveCount(25);
  const first = await itemRows(page).first().getAttribute("data-key");
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.locator(".counts")).toContainText("Page 2");
  await expect(itemRows(page)).toHaveCount(25);
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(itemRows(page)).toHaveCount(10);
  await expect(page.getByRole("button", { name: "Next page" })).toBeDisabled();
  await page.getByRole("button", { name: "Previous page" }).click();
  await page.getByRole("button", { name: "Previous page" }).click();
  await expect(page.locator(".counts")).toContainText("Page 1");
  await expect(itemRows(page).first()).toHaveAttribute("data-key", first);

  // A filtered scan: fewer returned than scanned, and a filtered page is not a dead end.
  await page.getByRole("button", { name: "Add filter" }).click();
  await page.getByLabel("Filter 1 attribute").fill("even");
  await page.getByLabel("Filter 1 type").selectOption("BOOL");
  await page.getByLabel("Filter 1 value").fill("true");
  await page.getByRole("button", { name: "Scan", exact: true }).click();
  await expect(page.locator(".counts")).toHaveAttribute("data-scanned", "25");
  await expect(page.locator(".counts")).toHaveAttribute("data-returned", "13");
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.locator(".counts")).toHaveAttribute("data-returned", "12");

  // A query with a sort-key condition, descending; the request as CLI and Task.
  await page.getByRole("button", { name: "Remove filter 1" }).click();
  await page.getByLabel("Operation").selectOption("Query");
  await page.getByLabel("Partition key pk").fill("p");
  await page.getByLabel("Sort key sk condition").selectOption("BETWEEN");
  await page.getByLabel("Sort key sk", { exact: true }).fill("10");
  await page.getByLabel("Sort key sk upper bound").fill("14");
  await page.getByText("Descending").click();
  await page.getByRole("button", { name: "Query", exact: true }).click();
  await expect(itemRows(page)).toHaveCount(5);
  await expect(itemRows(page).first()).toHaveAttribute("data-key", JSON.stringify({ pk: { S: "p" }, sk: { N: "14" } }));
  await page.getByText("Query request").click();
  await page.getByRole("button", { name: "AWS CLI" }).click();
  await expect(page.getByLabel("Request", { exact: true })).toContainText("aws dynamodb query");
  await expect(page.getByLabel("Request", { exact: true })).toContainText("--no-scan-index-forward");
  await page.getByRole("button", { name: "Task state" }).click();
  await expect(page.getByLabel("Request", { exact: true })).toContainText("arn:aws:states:::aws-sdk:dynamodb:query");
  await page.getByRole("button", { name: "Add to workflow" }).click();
  await page.getByRole("tab", { name: "Execution" }).click();
  await expect(page.getByRole("textbox", { name: "Definition", exact: true })).toHaveValue(/Query Many/);
});

test("select many and delete them at once", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Bulk", Array.from({ length: 8 }, (_, i) => ({ pk: { S: `i${i}` } })));
  await showTable(page, "Bulk");
  await expect(itemRows(page)).toHaveCount(8);
  for (const k of ["i1", "i3", "i5"]) await page.getByLabel(`Select ${JSON.stringify(pk(k))}`).check();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Delete selected (3)" }).click();
  await expect(itemRows(page)).toHaveCount(5);
  await expect(itemRow(page, pk("i3"))).toHaveCount(0);
  await expect(page.locator('[data-table="Bulk"]')).toContainText("(5)");
  await page.getByLabel("Select all items").check();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Delete selected (5)" }).click();
  await expect(itemRows(page)).toHaveCount(0);
});

test("the editor keeps types through form, DynamoDB JSON and plain JSON; errors show at the field", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Edit", [typed[0]]);
  await showTable(page, "Edit");
  await itemRow(page, pk("a")).getByRole("button").click();
  const editor = page.getByRole("dialog", { name: "Item editor" });
  await expect(editor.getByLabel("Value of n", { exact: true })).toHaveValue(BIG);
  await editor.getByLabel("Value of ok").fill("false");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor).toHaveCount(0);
  const stored = await withWorkspace(page, async (ws) => ws.dynamodb("GetItem", JSON.stringify({ TableName: "Edit", Key: { pk: { S: "a" } } })));
  const item = JSON.parse(stored).Item;
  expect(item.n).toEqual({ N: BIG });
  expect(item.ok).toEqual({ BOOL: false });
  expect(item.tags.SS.sort()).toEqual(["blue", "red"]);
  expect(item.blob).toEqual({ B: "AAEC" });
  expect(item.map).toEqual({ M: { deep: { BS: ["AQ=="] } } });

  // Plain JSON: a warning first; unchanged attributes keep their types; changing a set asks.
  await itemRow(page, pk("a")).getByRole("button").click();
  await editor.getByRole("button", { name: "Plain JSON" }).click();
  await expect(editor.getByRole("note")).toContainText("tags: the set (SS) would become a list");
  await expect(editor.getByRole("note")).toContainText(`n: the number ${BIG} would become`);
  const plain = JSON.parse(await editor.getByLabel("Item (plain JSON)").inputValue());
  plain.tags = ["green"];
  await editor.getByLabel("Item (plain JSON)").fill(JSON.stringify(plain));
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor.getByRole("alert")).toContainText("Saving this would lose type information");
  await editor.getByRole("button", { name: "Save anyway" }).click();
  await expect(editor).toHaveCount(0);
  const after = JSON.parse(await withWorkspace(page, async (ws) => ws.dynamodb("GetItem", JSON.stringify({ TableName: "Edit", Key: { pk: { S: "a" } } })))).Item;
  expect(after.tags).toEqual({ L: [{ S: "green" }] });
  expect(after.n).toEqual({ N: BIG });
  expect(after.nums.NS.sort()).toEqual(["1", "2.5"]);

  // Create with a key of the wrong type: the engine's error at the key's field.
  await page.getByRole("button", { name: "Create item" }).click();
  await editor.getByLabel("Type of pk").selectOption("N");
  await editor.getByLabel("Value of pk").fill("7");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor.locator('[data-attribute="pk"] [role=alert]')).toContainText(/Type mismatch|type/i);
  // An empty set: at its field.
  await editor.getByLabel("Type of pk").selectOption("S");
  await editor.getByRole("button", { name: "Add attribute" }).click();
  await editor.getByLabel("Name of attribute 2").fill("s");
  await editor.getByLabel("Type of s", { exact: true }).selectOption("SS");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(editor.locator('[data-attribute="s"] [role=alert]')).toBeVisible();
  await editor.getByLabel("Value of s", { exact: true }).fill("x\ny");
  await editor.getByRole("button", { name: "DynamoDB JSON" }).click();
  await expect(editor.getByLabel("Item (DynamoDB JSON)")).toHaveValue(/"SS": \[\s*"x",\s*"y"\s*\]/);
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(itemRows(page)).toHaveCount(2);

  // Duplicate under a new key, then delete the original.
  await itemRow(page, pk("7")).getByRole("button").click();
  await editor.getByRole("button", { name: "Duplicate item" }).click();
  await editor.getByLabel("Value of pk").fill("8");
  await editor.getByRole("button", { name: "Save item" }).click();
  await expect(itemRow(page, pk("8"))).toHaveCount(1);
  await itemRow(page, pk("7")).getByRole("button").click();
  await editor.getByRole("button", { name: "Delete item" }).click();
  await expect(itemRow(page, pk("7"))).toHaveCount(0);
  await expect(itemRows(page)).toHaveCount(2);
});

test("PartiQL statements with ? parameters, a results grid and a history", async ({ page }) => {
  await ready(page);
  await showTable(page, "Orders");
  const statement = page.getByRole("textbox", { name: "PartiQL statement" });
  const run = page.getByRole("button", { name: "Run statement" });
  await statement.fill(`INSERT INTO "Orders" VALUE {'OrderId': ?, 'Total': ?}`);
  await page.getByLabel("Statement parameters").fill(JSON.stringify([{ S: "p1" }, { N: BIG }]));
  await run.click();
  await expect(itemRow(page, { OrderId: { S: "p1" } })).toHaveCount(1);
  await expect(page.locator('[data-table="Orders"]')).toContainText("(1)");
  await statement.fill(`SELECT * FROM "Orders" WHERE OrderId = ?`);
  await page.getByLabel("Statement parameters").fill(JSON.stringify([{ S: "p1" }]));
  await run.click();
  const results = page.locator('[role=grid][aria-label="Statement results"] [role=row][data-key]');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText(BIG);
  await statement.fill(`SELEC nonsense`);
  await page.getByLabel("Statement parameters").fill("");
  await run.click();
  await expect(page.getByRole("region", { name: "PartiQL console" }).getByRole("alert")).toBeVisible();
  await page.getByText(/History \(3\)/).click();
  await page.getByRole("list", { name: "Statement history" }).getByRole("button").filter({ hasText: "INSERT" }).click();
  await expect(statement).toHaveValue(/INSERT INTO/);
});

test("items a run writes show up in place, highlighted", async ({ page }) => {
  await ready(page);
  await showTable(page, "Orders");
  await expect(itemRows(page)).toHaveCount(0);
  await runToEnd(page, "SUCCEEDED");
  await page.getByRole("tab", { name: "Tables" }).click();
  await expect(itemRows(page)).toHaveCount(1);
  // Another copy of the workspace (as another tab) changes the item: it updates in place.
  const key = await itemRows(page).first().getAttribute("data-key");
  await withWorkspace(page, async (ws, key) => {
    await ws.dynamodb("UpdateItem", JSON.stringify({ TableName: "Orders", Key: JSON.parse(key),
      UpdateExpression: "SET Touched = :t", ExpressionAttributeValues: { ":t": { S: "elsewhere" } } }));
  }, key);
  await expect(itemRows(page).first()).toContainText("elsewhere", { timeout: 10_000 });
  await expect(itemRows(page).first()).toHaveAttribute("data-changed", "true");
});

test("a running workflow's writes update the grid while it runs", async ({ page }) => {
  await ready(page);
  await definition(page).fill(counterLoop());
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(status(page)).toHaveAttribute("data-execution-status", "RUNNING");
  await page.getByRole("tab", { name: "Tables" }).click();
  const row = itemRow(page, { OrderId: { S: "counter" } });
  await expect(row).toHaveCount(1, { timeout: 10_000 });
  const hits = async () => Number((await row.locator('td[data-type="N"]').first().textContent()).replace(/\D/g, ""));
  const first = await hits();
  // While it runs, the row shows a newer count (the highlight of a changed row is checked
  // in the test above, where nothing else races it).
  await expect.poll(hits, { timeout: 10_000 }).toBeGreaterThan(first);
  // Stop it (unless it already hit the 25,000-event cap).
  const stop = page.getByRole("button", { name: "Stop" });
  if (await stop.isEnabled()) await stop.click({ timeout: 5_000 }).catch(() => {});
  await page.getByRole("tab", { name: "Execution" }).click();
  await expect(status(page)).toHaveAttribute("data-execution-status", /ABORTED|FAILED/, { timeout: 10_000 });
});

test("a large table is windowed: few rows on the page, every row reachable", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Big", Array.from({ length: 1000 }, (_, i) => ({ pk: { S: `r${String(i).padStart(4, "0")}` }, n: { N: String(i) } })));
  await showTable(page, "Big");
  await page.getByRole("button", { name: "Load all" }).click();
  await expect(page.locator(".counts")).toHaveAttribute("data-returned", "1000");
  const shown = await itemRows(page).count();
  expect(shown).toBeGreaterThan(5);
  expect(shown).toBeLessThan(100);
  // Sorting covers all 1,000, not the rows in view.
  await itemsGrid(page).locator('th[data-column="n"] button').click();
  await itemsGrid(page).locator('th[data-column="n"] button').click();
  await expect(itemRows(page).first()).toHaveAttribute("data-key", JSON.stringify(pk("r0999")));
  await page.locator(".grid-scroll").first().evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(itemRow(page, pk("r0000"))).toHaveCount(1);
});

test("the PartiQL history survives a reload, keeps the last 50 and runs again by a click", async ({ page }) => {
  await ready(page);
  await showTable(page, "Orders");
  const statement = page.getByRole("textbox", { name: "PartiQL statement" });
  const params = page.getByLabel("Statement parameters");
  const run = page.getByRole("button", { name: "Run statement" });
  const count = page.getByRole("region", { name: "PartiQL console" }).locator("[data-statement-count]");
  await statement.fill(`INSERT INTO "Orders" VALUE {'OrderId': ?, 'Total': ?}`);
  await params.fill(JSON.stringify([{ S: "h1" }, { N: BIG }]));
  await run.click();
  await expect(itemRow(page, { OrderId: { S: "h1" } })).toHaveCount(1);
  for (let i = 0; i < 51; i++) {
    await statement.fill(`SELECT * FROM "Orders" WHERE OrderId = 'k${i}'`);
    await params.fill("");
    await run.click();
    await expect(run).toBeEnabled();
  }
  await statement.fill(`SELECT * FROM "Orders" WHERE OrderId = ?`);
  await params.fill(JSON.stringify([{ S: "h1" }]));
  await run.click();
  await expect(count).toHaveAttribute("data-statement-count", "1");
  await saved(page);

  await ready(page, { reload: true });
  await page.getByRole("tab", { name: "Tables" }).click();
  await page.getByText(/^History \(50\)$/).click();
  const history = page.getByRole("list", { name: "Statement history" });
  await expect(history.getByRole("listitem")).toHaveCount(50);
  // Newest first, with its parameters; the oldest three (the INSERT, k0, k1) fell off the end.
  await expect(history.getByRole("listitem").first()).toContainText(`WHERE OrderId = ?`);
  await expect(history.getByRole("listitem").first()).toContainText(`[{"S":"h1"}]`);
  await expect(history.getByRole("listitem").nth(1)).toContainText(`'k50'`);
  await expect(history.getByRole("listitem").last()).toContainText(`'k2'`);
  await expect(history).not.toContainText("INSERT");
  // Run again, straight from the history: the statement and its parameters run.
  await history.getByRole("button", { name: "Run again: SELECT * FROM \"Orders\" WHERE OrderId = ?" }).click();
  await expect(count).toHaveAttribute("data-statement-count", "1");
  const results = page.locator('[role=grid][aria-label="Statement results"] [role=row][data-key]');
  await expect(results.first()).toContainText(BIG);
  await expect(statement).toHaveValue(`SELECT * FROM "Orders" WHERE OrderId = ?`);
  // Clicking an entry puts it back in the console without running it.
  await history.getByRole("listitem").nth(1).getByRole("button").first().click();
  await expect(statement).toHaveValue(`SELECT * FROM "Orders" WHERE OrderId = 'k50'`);
  await expect(params).toHaveValue("");
});

test("sorting says what it covers; after Load all it covers every page, numbers as exact decimals", async ({ page }) => {
  await ready(page);
  const n = (i) => ({ r003: "99999999999999999999999999999999999998", r119: "99999999999999999999999999999999999999",
    r060: "-99999999999999999999999999999999999999", r010: "0.00000000000000000000000000000000000001" })[`r${String(i).padStart(3, "0")}`] ?? String(i);
  await makeTable(page, "Nums", Array.from({ length: 120 }, (_, i) => ({ pk: { S: `r${String(i).padStart(3, "0")}` }, n: { N: n(i) } })));
  await showTable(page, "Nums");
  await expect(page.locator(".counts")).toHaveAttribute("data-returned", "50");
  const sortN = () => itemsGrid(page).locator('th[data-column="n"] button').click();
  const note = page.locator("[data-sort-scope]");
  await sortN();
  await sortN(); // descending
  // One page of three is loaded: the note says the sort covers this page only.
  await expect(note).toHaveAttribute("data-sort-scope", "page");
  await expect(note).toContainText("Sorted 50 of 120 items (this page only): Load all to sort everything.");
  const firstPage = await itemRows(page).evaluateAll((rows) => rows.map((r) => JSON.parse(r.dataset.key).pk.S));
  expect(firstPage).toHaveLength(50);
  await page.getByRole("button", { name: "Load all" }).click();
  await expect(page.locator(".counts")).toHaveAttribute("data-returned", "120");
  await expect(note).toHaveAttribute("data-sort-scope", "all");
  await expect(note).toContainText("Sorted all 120 items of the result.");
  // The 38-digit neighbours are told apart (a double holds them as the same number), and
  // items of the later pages take their places.
  await expect(itemRows(page).nth(0)).toHaveAttribute("data-key", JSON.stringify({ pk: { S: "r119" } }));
  await expect(itemRows(page).nth(1)).toHaveAttribute("data-key", JSON.stringify({ pk: { S: "r003" } }));
  await expect(itemRows(page).nth(2)).toHaveAttribute("data-key", JSON.stringify({ pk: { S: "r118" } }));
  expect(firstPage.includes("r119") && firstPage.includes("r118")).toBe(false);
  await sortN(); // off
  await sortN(); // ascending
  await expect(itemRows(page).nth(0)).toHaveAttribute("data-key", JSON.stringify({ pk: { S: "r060" } }));
  await expect(itemRows(page).nth(1)).toHaveAttribute("data-key", JSON.stringify({ pk: { S: "r000" } }));
  await expect(itemRows(page).nth(2)).toHaveAttribute("data-key", JSON.stringify({ pk: { S: "r010" } }));
  await expect(itemRows(page).nth(3)).toHaveAttribute("data-key", JSON.stringify({ pk: { S: "r001" } }));
});

test("a run started on this page updates the grid in place and highlights what it wrote", async ({ page }) => {
  await ready(page);
  await withWorkspace(page, async (ws) => {
    await ws.dynamodb("PutItem", JSON.stringify({ TableName: "Orders", Item: { OrderId: { S: "counter" }, Hits: { N: "0" } } }));
  });
  await showTable(page, "Orders");
  // The grid as the person left it: page size 25.
  await page.getByLabel("Page size").selectOption("25");
  await page.getByRole("button", { name: "Scan", exact: true }).click();
  const counter = itemRow(page, { OrderId: { S: "counter" } });
  await expect(counter).toHaveCount(1);
  await expect(counter).not.toHaveAttribute("data-changed", "true");
  await definition(page).fill(JSON.stringify({
    StartAt: "Init",
    States: {
      Init: { Type: "Pass", Result: { i: 0 }, Next: "Put" },
      Put: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", ResultPath: null, Next: "Bump",
        Parameters: { TableName: "Orders", Item: { OrderId: { "S.$": "States.Format('live-{}', $.i)" }, "Round": { "N.$": "States.Format('{}', $.i)" } } } },
      Bump: { Type: "Task", Resource: "arn:aws:states:::dynamodb:updateItem", ResultPath: null, Next: "Count",
        Parameters: { TableName: "Orders", Key: { OrderId: { S: "counter" } }, UpdateExpression: "ADD Hits :one", ExpressionAttributeValues: { ":one": { N: "1" } } } },
      Count: { Type: "Pass", Parameters: { "i.$": "States.MathAdd($.i, 1)" }, Next: "Check" },
      Check: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThan: 1000000, Next: "Put" }], Default: "Done" },
      Done: { Type: "Succeed" },
    },
  }));
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(status(page)).toHaveAttribute("data-execution-status", "RUNNING");
  await page.getByRole("tab", { name: "Tables" }).click();
  // The existing item updated in place, highlighted, and new items appear highlighted too,
  // in the grid as it was left (page size 25), with no Scan clicked. (The run may reach the
  // history's 25,000-event cap within seconds, so this does not rely on it still running;
  // "a running workflow's writes update the grid while it runs" watches a count rise.)
  const stop = page.getByRole("button", { name: "Stop" });
  await expect(counter).toHaveAttribute("data-changed", "true", { timeout: 10_000 });
  const hits = async () => Number((await counter.locator('td[data-column="Hits"]').textContent()).replace(/\D/g, ""));
  expect(await hits()).toBeGreaterThan(0);
  await expect(itemRow(page, { OrderId: { S: "live-0" } })).toHaveAttribute("data-changed", "true");
  await expect(page.getByLabel("Page size")).toHaveValue("25");
  await expect(itemRows(page)).toHaveCount(25);
  await expect(page.locator('[role=grid][aria-label="Items"] [role=row][data-changed="true"]')).toHaveCount(25);
  if (await stop.isEnabled()) await stop.click({ timeout: 5_000 }).catch(() => {});
  await page.getByRole("tab", { name: "Execution" }).click();
  await expect(status(page)).toHaveAttribute("data-execution-status", /ABORTED|FAILED/, { timeout: 10_000 });
});
