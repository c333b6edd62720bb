// Several tabs on one workspace: a run in one page writes an item that the other page's
// Tables panel shows without a reload.
import { test, expect } from "@playwright/test";
import { ready, runToEnd, showTable } from "./helpers.mjs";

test("a write in one page shows in the other page's Tables panel", async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await ready(a);
  await ready(b);
  await showTable(b, "Orders");
  await expect(b.locator('[data-table="Orders"]')).toContainText("Orders (0)");

  await runToEnd(a, "SUCCEEDED");
  await expect(b.locator('[data-table="Orders"]')).toContainText("Orders (1)", { timeout: 10_000 });
  await expect(b.locator(`[role=grid][aria-label="Items"] [role=row][data-key='{"OrderId":{"S":"001"}}']`)).toHaveCount(1);
});
