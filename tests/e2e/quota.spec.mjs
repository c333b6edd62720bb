// A full storage quota: the browser's quota for the origin is lowered (Chromium DevTools
// protocol, Storage.overrideQuotaForOrigin) so IndexedDB writes throw QuotaExceededError.
// The page says so in a role=alert message, and the data stays consistent after a reload.
import { test, expect } from "@playwright/test";
import { ready, saved, definition, runToEnd, showTable } from "./helpers.mjs";

const FIRST = '{"StartAt": "First", "States": {"First": {"Type": "Pass", "End": true}}}';
const SECOND = '{"StartAt": "Second", "States": {"Second": {"Type": "Pass", "End": true}}}';

test("a full quota is an alert and nothing stored is damaged", async ({ page, baseURL }) => {
  await ready(page);
  await runToEnd(page, "SUCCEEDED"); // Orders["001"]
  await definition(page).fill(FIRST);
  await saved(page);

  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(baseURL).origin;
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 1 });
  // A big edit cannot be stored: the autosave fails with QuotaExceededError.
  await definition(page).fill(SECOND + " ".repeat(200_000));
  await expect(page.getByRole("alert")).toContainText(/full/i, { timeout: 10_000 });

  // Still full: reload. What was stored before is intact.
  await ready(page, { reload: true });
  await expect(definition(page)).toHaveValue(FIRST);
  await showTable(page, "Orders");
  await expect(page.locator('[data-table="Orders"]')).toContainText("Orders (1)");

  // Room again: the page saves and runs as before.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin });
  await definition(page).fill(SECOND);
  await saved(page);
  await runToEnd(page, "SUCCEEDED");
  await ready(page, { reload: true });
  await expect(definition(page)).toHaveValue(SECOND);
});
