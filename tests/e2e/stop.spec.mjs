// Stop ends a run at once: status ABORTED, the events end with ExecutionAborted, and the
// page takes the next run.
import { test, expect } from "@playwright/test";
import { ready, status, eventRows, definition, runToEnd, counterLoop, eventCount } from "./helpers.mjs";

test("Stop on a long-running loop gives ABORTED", async ({ page }) => {
  await ready(page);
  await definition(page).fill(counterLoop());
  const stop = page.getByRole("button", { name: "Stop" });
  await expect(stop).toBeDisabled();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(status(page)).toHaveText("RUNNING");
  await expect(stop).toBeEnabled();
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeDisabled();
  await expect.poll(() => eventCount(page), { timeout: 20_000 }).toBeGreaterThan(50);
  const clicked = Date.now();
  await stop.click();
  await expect(status(page)).toHaveAttribute("data-execution-status", "ABORTED", { timeout: 5_000 });
  const took = Date.now() - clicked;
  console.log(`Stop to ABORTED: ${took} ms`);
  expect(took).toBeLessThan(2_000);
  await expect(stop).toBeDisabled();
  // The events table follows the end of the list, so the last row is the abort.
  await expect(eventRows(page).last()).toContainText("ExecutionAborted");
  await expect(page.getByLabel("Result")).toContainText("ABORTED");

  await definition(page).fill('{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}');
  await runToEnd(page, "SUCCEEDED");
});
