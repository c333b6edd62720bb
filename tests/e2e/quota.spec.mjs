// A full storage quota: the page says so in a role=alert message, and the data stays
// consistent after a reload.
//
// How the quota is filled: Chromium's Storage.overrideQuotaForOrigin (DevTools protocol)
// answers but changes nothing in Debian's Chromium here (navigator.storage.estimate() keeps
// the disk's quota and writes succeed), so the worker is served with a prelude that makes
// IndexedDB's put/add throw the DOMException "QuotaExceededError" a full disk gives, while
// a BroadcastChannel from the page says the disk is full. The worker's own code is
// unchanged: the prelude then imports the real worker.js.
import { test, expect } from "@playwright/test";
import { ready, saved, definition, runToEnd, showTable } from "./helpers.mjs";

const FIRST = '{"StartAt": "First", "States": {"First": {"Type": "Pass", "End": true}}}';
const SECOND = '{"StartAt": "Second", "States": {"Second": {"Type": "Pass", "End": true}}}';

const PRELUDE = `
let full = false;
new BroadcastChannel("statebox-test-quota").onmessage = (e) => { full = e.data; };
for (const name of ["put", "add"]) {
  const real = IDBObjectStore.prototype[name];
  IDBObjectStore.prototype[name] = function (...args) {
    if (full) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    return real.apply(this, args);
  };
}
await import("./worker.js?real");
`;

async function setFull(page, full) {
  await page.evaluate((f) => new BroadcastChannel("statebox-test-quota").postMessage(f), full);
  await page.waitForTimeout(100);
}

test("a full quota is an alert and nothing stored is damaged", async ({ page }) => {
  await page.route("**/worker.js", (route) =>
    route.fulfill({ contentType: "text/javascript", body: PRELUDE }));
  await ready(page);
  await runToEnd(page, "SUCCEEDED"); // Orders["001"]
  await definition(page).fill(FIRST);
  await saved(page);

  await setFull(page, true);
  // The autosave fails: the alert says the storage is full.
  await definition(page).fill(SECOND);
  await expect(page.getByRole("alert")).toContainText(/full/i, { timeout: 10_000 });
  await expect(page.locator("[data-save]")).toHaveAttribute("data-save", "unsaved");
  // A run's writes fail the same way, and say so.
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText(/full/i, { timeout: 10_000 });
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeEnabled();

  // Reload while still full: what was stored before is intact and consistent.
  await ready(page, { reload: true });
  await setFull(page, true);
  await expect(definition(page)).toHaveValue(FIRST);
  await showTable(page, "Orders");
  await expect(page.locator('[data-table="Orders"]')).toContainText("Orders (1)");
  await expect(page.locator('[role=grid][aria-label="Items"] td[title="S: 001"]')).not.toHaveCount(0);

  // Room again: the page saves and runs as before.
  await setFull(page, false);
  await definition(page).fill(SECOND);
  await saved(page);
  await runToEnd(page, "SUCCEEDED");
  await ready(page, { reload: true });
  await expect(definition(page)).toHaveValue(SECOND);
});
