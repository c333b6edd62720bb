// The item browser as a person sees it: the grid with every type, the item editor in its
// three views, the query builder with its request, and the PartiQL console, saved under
// test-results/ (look at them after a change).
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

  await page.getByRole("textbox", { name: "PartiQL statement" }).fill(`SELECT * FROM "Shop" WHERE paid = ?`);
  await page.getByLabel("Statement parameters").fill(`[{"BOOL": true}]`);
  await page.getByRole("button", { name: "Run statement" }).click();
  const console_ = page.getByRole("region", { name: "PartiQL console" });
  await console_.scrollIntoViewIfNeeded();
  await expect(console_.locator("[data-statement-count]")).toBeVisible();
  await console_.screenshot({ path: info.outputPath("6-partiql.png") });
});
