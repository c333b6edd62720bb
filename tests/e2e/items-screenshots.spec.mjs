// The item browser as a person sees it: the tables list and the grid with every type, the
// item editor in its three views, the query builder with paging and its request, a sort of
// one page, the Item by key form, the PartiQL console with its history, and import and
// export, saved under test-results/ (look at them after a change).
import { test, expect } from "@playwright/test";
import { ready, showTable, makeTable, itemRows, itemRow } from "./helpers.mjs";

const BIG = "12345678901234567890123456789012345678";

test("screenshots: items grid, editor views, query builder, PartiQL", async ({ page }, info) => {
  await page.setViewportSize({ width: 1360, height: 900 });
  await ready(page);
  const items = [
    { pk: { S: "order#1" }, total: { N: BIG }, tags: { SS: ["gift", "rush"] }, qty: { NS: ["1", "2.5"] },
      photo: { B: "iVBORw0KGgo=" }, note: { NULL: true }, paid: { BOOL: true },
      lines: { L: [{ S: "sku-1" }, { N: "3" }] }, address: { M: { city: { S: "Lyon" }, zip: { S: "69001" } } } },
  ].concat(Array.from({ length: 40 }, (_, i) => ({ pk: { S: `order#${i + 2}` }, total: { N: String(i * 7.25) }, paid: { BOOL: i % 3 === 0 } })));
  await makeTable(page, "Shop", items);
  await showTable(page, "Shop");
  await expect(itemRows(page).first()).toBeVisible();
  await page.screenshot({ path: info.outputPath("1-items-grid.png") });

  const admin = page.getByRole("region", { name: "Table actions" });
  await admin.getByRole("button", { name: "Describe" }).click();
  await admin.screenshot({ path: info.outputPath("1b-describe.png") });
  await admin.getByRole("button", { name: "New table" }).click();
  await admin.getByLabel("Table name", { exact: true }).fill("Events");
  await admin.getByRole("button", { name: "Add global index" }).click();
  await admin.getByLabel("Index 1 name").fill("byKind");
  await admin.getByLabel("Index 1 partition key", { exact: true }).fill("kind");
  await admin.screenshot({ path: info.outputPath("1c-new-table.png") });
  await admin.getByRole("button", { name: "New table" }).click();

  await itemRow(page, { pk: { S: "order#1" } }).getByRole("button").click();
  const editor = page.getByRole("dialog", { name: "Item editor" });
  await editor.scrollIntoViewIfNeeded();
  await editor.screenshot({ path: info.outputPath("2-editor-form.png") });
  await editor.getByRole("button", { name: "DynamoDB JSON" }).click();
  await editor.screenshot({ path: info.outputPath("3-editor-json.png") });
  await editor.getByRole("button", { name: "Plain JSON" }).click();
  await editor.screenshot({ path: info.outputPath("4-editor-plain.png") });
  await editor.getByRole("button", { name: "Cancel" }).click();

  await page.getByLabel("Operation").selectOption("Query");
  await page.getByLabel("Partition key pk").fill("order#1");
  await page.getByRole("button", { name: "Add filter" }).click();
  await page.getByLabel("Filter 1 attribute").fill("paid");
  await page.getByLabel("Filter 1 type").selectOption("BOOL");
  await page.getByLabel("Filter 1 value").fill("true");
  await page.getByRole("button", { name: "Query", exact: true }).click();
  await page.getByText("Query request").click();
  await page.getByRole("button", { name: "AWS CLI" }).click();
  await page.screenshot({ path: info.outputPath("5-query.png") });

  // Paging: a scan of 10 a page, on its second page, sorted within it.
  await page.getByRole("button", { name: "Remove filter 1" }).click();
  await page.getByLabel("Operation").selectOption("Scan");
  await page.getByLabel("Page size").selectOption("10");
  await page.getByRole("button", { name: "Scan", exact: true }).click();
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.locator(".counts")).toContainText("Page 2");
  await page.locator('[role=grid][aria-label="Items"] th[data-column="total"] button').click();
  await expect(page.locator("[data-sort-scope]")).toBeVisible();
  await page.screenshot({ path: info.outputPath("5b-paging-sort.png") });

  const byKey = page.getByRole("region", { name: "Item by key" });
  await byKey.getByLabel("Item key pk", { exact: true }).fill("order#1");
  await byKey.getByLabel("Attributes to get").fill("total, tags");
  await byKey.getByRole("button", { name: "Get item" }).click();
  await expect(editor).toBeVisible();
  await byKey.getByText("GetItem request").click();
  await byKey.getByRole("button", { name: "AWS CLI" }).click();
  await byKey.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("5c-get-item.png") });
  await editor.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("textbox", { name: "PartiQL statement" }).fill(`SELECT * FROM "Shop" WHERE paid = ?`);
  await page.getByLabel("Statement parameters").fill(`[{"BOOL": true}]`);
  await page.getByRole("button", { name: "Run statement" }).click();
  const console_ = page.getByRole("region", { name: "PartiQL console" });
  await console_.scrollIntoViewIfNeeded();
  await expect(console_.locator("[data-statement-count]")).toBeVisible();
  await page.getByRole("textbox", { name: "PartiQL statement" }).fill(`UPDATE "Shop" SET note = ? WHERE pk = ?`);
  await page.getByLabel("Statement parameters").fill(`[{"S": "call first"}, {"S": "order#2"}]`);
  await page.getByRole("button", { name: "Run statement" }).click();
  await console_.getByText(/^History/).click();
  await console_.screenshot({ path: info.outputPath("6-partiql.png") });

  await page.getByText("Import and export", { exact: true }).click();
  const transfer = page.getByRole("region", { name: "Import and export" });
  await transfer.getByLabel("Import text").fill(`{"Item": {"pk": {"S": "order#99"}, "total": {"N": "${BIG}"}}}`);
  await transfer.scrollIntoViewIfNeeded();
  await transfer.screenshot({ path: info.outputPath("7-import-export.png") });
});
