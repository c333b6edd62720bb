// The walking skeleton, as a person does it: open the page, run the tutorial workflow,
// see the item, reload, and find the table and the item still there (IndexedDB).
import { test, expect } from "@playwright/test";

async function ready(page) {
  await expect(page.locator("#status")).toHaveText("ready", { timeout: 30_000 });
}

test("runs the tutorial workflow and keeps the item across a reload", async ({ page }) => {
  await page.goto("/");
  await ready(page);
  await expect(page.locator("#tables")).toContainText("Orders (0)");

  await page.click("#run");
  await expect(page.locator("#result-status")).toHaveText("SUCCEEDED");
  const result = JSON.parse(await page.locator("#result-body").textContent());
  expect(result.output.Item).toEqual({ OrderId: { S: "001" }, Status: { S: "Created" } });
  await expect(page.locator("#items")).toContainText('{"S":"001"}');
  await expect(page.locator("#events")).toContainText("TaskSucceeded");
  await expect(page.locator("#events")).toContainText("ExecutionSucceeded");

  await page.reload();
  await ready(page);
  await expect(page.locator("#tables")).toContainText("Orders (1)");
  await expect(page.locator("#items")).toContainText('{"S":"Created"}');
});

test("an invalid definition gets a positioned error, not a crash", async ({ page }) => {
  await page.goto("/");
  await ready(page);
  await page.fill("#definition", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}');
  await page.click("#run");
  await expect(page.locator("#result-status")).toHaveText("INVALID");
  await expect(page.locator("#result-body")).toContainText("Missing");
  // The page still works afterwards.
  await page.fill("#definition", '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}');
  await page.fill("#input", '{"hello": "world"}');
  await page.click("#run");
  await expect(page.locator("#result-status")).toHaveText("SUCCEEDED");
  await expect(page.locator("#result-body")).toContainText("world");
});
