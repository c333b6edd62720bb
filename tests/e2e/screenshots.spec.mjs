// The page as a person sees it: screenshots of the idle page, after a run, during a long
// run and of the Tables panel, saved under test-results/ (look at them after a change).
import { test, expect } from "@playwright/test";
import { ready, status, eventRows, definition, runToEnd, showTable, passLoop } from "./helpers.mjs";

test("screenshots: idle, after a run, during a long run, tables", async ({ page }, info) => {
  await page.setViewportSize({ width: 1360, height: 820 });
  await ready(page);
  await page.screenshot({ path: info.outputPath("1-idle.png") });

  await runToEnd(page, "SUCCEEDED");
  await page.screenshot({ path: info.outputPath("2-after-run.png") });

  await showTable(page, "Orders");
  await page.screenshot({ path: info.outputPath("3-tables.png") });

  await definition(page).fill(passLoop(5998));
  await page.getByRole("button", { name: "Run" }).click();
  await expect.poll(() => eventRows(page).count()).toBeGreaterThan(10);
  await page.screenshot({ path: info.outputPath("4-during-long-run.png") });
  await expect(status(page)).toHaveAttribute("data-execution-status", "SUCCEEDED", { timeout: 60_000 });

  await definition(page).fill("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Missing\"}}}");
  await page.getByRole("button", { name: "Run" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await page.screenshot({ path: info.outputPath("5-alert.png") });
});
