// Nothing a person did is lost: edits are saved as they are typed and come back after a
// reload with the selected tab and the last run; a page closed in the middle of a run loses
// no acknowledged write and the reopened page works.
import { test, expect } from "@playwright/test";
import {
  ready, saved, status, eventRows, definition, input, runToEnd, showTable, counterLoop, eventCount,
} from "./helpers.mjs";

const PASS = '{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": {"saved": true}, "End": true}}}';

test("edits, the selected tab and the last run survive a reload", async ({ page }) => {
  await ready(page);
  await definition(page).fill(PASS);
  await input(page).fill('{"n": 42}');
  await runToEnd(page, "SUCCEEDED");
  const events = await eventRows(page).count();
  expect(events).toBeGreaterThan(2);
  await page.getByRole("tab", { name: "Tables" }).click();
  await saved(page);

  await ready(page, { reload: true });
  await expect(definition(page)).toHaveValue(PASS);
  await expect(input(page)).toHaveValue('{"n": 42}');
  await expect(page.getByRole("tab", { name: "Tables" })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("tab", { name: "Execution" }).click();
  await expect(status(page)).toHaveAttribute("data-execution-status", "SUCCEEDED");
  await expect(eventRows(page)).toHaveCount(events);
  await expect(eventRows(page).last()).toContainText("ExecutionSucceeded");
});

test("a page closed in the middle of a run loses no acknowledged write", async ({ page, context }) => {
  await ready(page);
  await runToEnd(page, "SUCCEEDED"); // the tutorial writes Orders["001"]
  await definition(page).fill(counterLoop());
  await saved(page);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(status(page)).toHaveText("RUNNING");
  await expect.poll(() => eventCount(page), { timeout: 20_000 }).toBeGreaterThan(100);
  await page.close();

  const again = await context.newPage();
  await ready(again);
  // The saved definition, the earlier run's item and the counter's own writes are there.
  await expect(definition(again)).toHaveValue(counterLoop());
  await showTable(again, "Orders");
  await expect(again.locator('[role=grid][aria-label="Items"] td[title="S: 001"]')).not.toHaveCount(0);
  await expect(again.locator('[role=grid][aria-label="Items"] td[title="S: counter"]')).not.toHaveCount(0);
  // And it works: a run from the reopened page.
  await definition(again).fill(PASS);
  await runToEnd(again, "SUCCEEDED");
});
