// Import and export through the Tables panel: a table to and from DynamoDB JSON lines and
// CSV, every table to and from the workspace-seed format; types and digits survive.
import { test, expect } from "@playwright/test";
import { ready, showTable, makeTable, withWorkspace, itemRows } from "./helpers.mjs";
import { readFile } from "node:fs/promises";

const BIG = "12345678901234567890123456789012345678";
const items = [
  { pk: { S: "a" }, n: { N: BIG }, tags: { SS: ["x", "y"] }, nums: { NS: ["1", "2.5"] }, blob: { B: "AAEC" },
    bins: { BS: ["AQ=="] }, none: { NULL: true }, ok: { BOOL: false }, empty: { S: "" },
    m: { M: { l: { L: [{ S: "q,\"uote\"" }, { N: "-0.001" }] } } } },
  { pk: { S: "b" }, n: { S: "text in a number column" } },
];
const sortSets = (item) => JSON.parse(JSON.stringify(item, (k, v) => (["SS", "NS", "BS"].includes(k) ? [...v].sort() : v)));
const scan = async (page, table) => {
  const out = JSON.parse(await withWorkspace(page, async (ws, t) => ws.dynamodb("Scan", JSON.stringify({ TableName: t })), table));
  return out.Items.map(sortSets).sort((a, b) => a.pk.S.localeCompare(b.pk.S));
};
const panel = (page) => page.getByRole("region", { name: "Import and export" });

async function exported(page, name) {
  const [download] = await Promise.all([page.waitForEvent("download"), panel(page).getByRole("button", { name }).click()]);
  return readFile(await download.path(), "utf8");
}

test("a table to JSON lines and CSV and back, every type and digit kept", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Src", items);
  await makeTable(page, "FromJson", []);
  await makeTable(page, "FromCsv", []);
  await showTable(page, "Src");
  await page.getByText("Import and export").click();
  const jsonl = await exported(page, "Export JSON lines");
  expect(jsonl.trim().split("\n")).toHaveLength(2);
  expect(jsonl).toContain(`{"N":"${BIG}"}`);
  const csv = await exported(page, "Export CSV");
  expect(csv.split("\r\n")[0]).toContain("n (N)");
  expect(csv).toContain(BIG);

  await showTable(page, "FromJson");
  await panel(page).getByLabel("Import format").selectOption("jsonl");
  await panel(page).getByLabel("Import text").fill(jsonl);
  await panel(page).getByRole("button", { name: "Import into FromJson" }).click();
  await expect(panel(page).getByRole("status")).toContainText("Imported 2 items into FromJson.");
  await expect(itemRows(page)).toHaveCount(2);
  expect(await scan(page, "FromJson")).toEqual(await scan(page, "Src"));

  await showTable(page, "FromCsv");
  await panel(page).getByLabel("Import file").setInputFiles({ name: "src.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(panel(page).getByLabel("Import format")).toHaveValue("csv");
  await expect(panel(page).getByLabel("Import text")).toHaveValue(/n \(N\)/);
  await panel(page).getByRole("button", { name: "Import into FromCsv" }).click();
  await expect(panel(page).getByRole("status")).toContainText("Imported 2 items");
  expect(await scan(page, "FromCsv")).toEqual(await scan(page, "Src"));

  // Bad input says where, and nothing half-understood is written.
  await panel(page).getByLabel("Import text").fill("pk (S),n (N)\r\nz,12\r\nw,twelve\r\n");
  await panel(page).getByRole("button", { name: "Import into FromCsv" }).click();
  await expect(panel(page).getByRole("alert")).toContainText("Row 3, column n: \"twelve\" is not a number");
  expect(await scan(page, "FromCsv")).toHaveLength(2);
});

test("every table to the workspace-seed format and back", async ({ page }) => {
  await ready(page);
  await makeTable(page, "Keep", items);
  await showTable(page, "Keep");
  await page.getByText("Import and export").click();
  const seed = JSON.parse(await exported(page, "Export all tables (seed)"));
  expect(seed.tables.map((t) => t.TableName).sort()).toEqual(["Keep", "Orders"]);
  expect(seed.items.Keep.find((i) => i.pk.S === "a").n).toEqual({ N: BIG });
  const before = await scan(page, "Keep");

  await withWorkspace(page, async (ws) => { await ws.dynamodb("DeleteTable", JSON.stringify({ TableName: "Keep" })); });
  await expect(page.locator('[data-table="Keep"]')).toHaveCount(0);
  // The panel stays open on the table shown now (Orders).
  await panel(page).getByLabel("Import format").selectOption("seed");
  seed.tables = seed.tables.filter((t) => t.TableName === "Keep");
  delete seed.items.Orders;
  await panel(page).getByLabel("Import text").fill(JSON.stringify(seed));
  await panel(page).getByRole("button", { name: "Import into the workspace" }).click();
  await expect(page.locator('[data-table="Keep"]')).toBeVisible();
  expect(await scan(page, "Keep")).toEqual(before);
});
