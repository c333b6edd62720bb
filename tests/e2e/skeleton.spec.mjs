// The walking skeleton, as a person does it: open the page, run the tutorial workflow,
// see its events and the item it wrote, reload, and find the table and the item still there.
import { test, expect } from "@playwright/test";
import { ready, status, eventRows, definition, input, runToEnd, showTable } from "./helpers.mjs";

test("runs the tutorial workflow and keeps the item across a reload", async ({ page }) => {
  await ready(page);
  await expect(page.getByRole("banner")).toContainText("Statebox");
  await expect(page.getByRole("banner")).toContainText("default");
  await expect(page.getByRole("button", { name: "Stop" })).toBeDisabled();
  await page.getByRole("tab", { name: "Tables" }).click();
  await expect(page.locator('[data-table="Orders"]')).toContainText("Orders (0)");

  await runToEnd(page, "SUCCEEDED");
  await expect(page.getByRole("tab", { name: "Execution" })).toHaveAttribute("aria-selected", "true");
  await expect(status(page)).toHaveText("SUCCEEDED");
  const result = JSON.parse(await page.getByLabel("Result").textContent());
  expect(result.output.Item).toEqual({ OrderId: { S: "001" }, Status: { S: "Created" } });
  await expect(eventRows(page).first()).toHaveAttribute("data-event-id", "1");
  await expect(eventRows(page).first()).toContainText("ExecutionStarted");
  await expect(page.locator('table[aria-label="Events"]')).toContainText("TaskSucceeded");
  await expect(eventRows(page).last()).toContainText("ExecutionSucceeded");
  await expect(page.getByRole("button", { name: "Stop" })).toBeDisabled();

  await showTable(page, "Orders");
  await expect(page.locator('[data-table="Orders"]')).toContainText("Orders (1)");
  await expect(page.locator('[role=grid][aria-label="Items"] td[title="S: 001"]')).not.toHaveCount(0);

  await ready(page, { reload: true });
  await expect(page.locator('[data-table="Orders"]')).toContainText("Orders (1)");
  await expect(page.locator('[role=grid][aria-label="Items"] td[title="S: Created"]')).not.toHaveCount(0);
});

test("an invalid definition gets a message that says where, not a crash", async ({ page }) => {
  await ready(page);
  await definition(page).fill('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}');
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Missing");
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeEnabled();
  // The page still works afterwards.
  await definition(page).fill('{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}');
  await input(page).fill('{"hello": "world"}');
  await runToEnd(page, "SUCCEEDED");
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.getByLabel("Result")).toContainText("world");
});

test("bad input JSON is an alert", async ({ page }) => {
  await ready(page);
  await input(page).fill("{not json");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText(/input/i);
  await expect(status(page)).toHaveCount(0);
});
