// Shared steps of the page's end-to-end tests: waiting for the workspace to open, the
// workflows they run, and reading the page through its contract (UI.md: roles, names and
// data attributes).
import { expect } from "@playwright/test";

/** Opens the page (or reloads it) and waits until the worker has opened the workspace. */
export async function ready(page, { reload = false } = {}) {
  if (reload) await page.reload();
  else await page.goto("/");
  await page.locator('[data-save]:not([data-save="opening"])').waitFor({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Run" })).toBeEnabled();
}

/** Waits until the autosave has stored every edit. */
export async function saved(page) {
  await expect(page.locator("[data-save]")).toHaveAttribute("data-save", "saved", { timeout: 10_000 });
}

export const status = (page) => page.locator("[data-execution-status]");
export const eventRows = (page) => page.locator('table[aria-label="Events"] tr[data-event-id]');
/** How many events the run has so far (the status line's count; past 100 the table
 * renders only the rows in view). */
export async function eventCount(page) {
  const text = (await page.locator(".status-line").textContent().catch(() => "")) ?? "";
  const m = text.match(/(\d+) events?/);
  return m ? Number(m[1]) : 0;
}
export const definition = (page) => page.getByRole("textbox", { name: "Definition", exact: true });
export const input = (page) => page.getByRole("textbox", { name: "Input", exact: true });

/** Runs the workflow and waits for a final status and for the run's answer (Run is
 * enabled again once the worker has stored the run). */
export async function runToEnd(page, expected = /SUCCEEDED|FAILED|TIMED_OUT|ABORTED/, timeout = 30_000) {
  const run = page.getByRole("button", { name: "Run" });
  await run.click();
  await expect(status(page)).toHaveAttribute("data-execution-status", expected, { timeout });
  await expect(run).toBeEnabled({ timeout });
}

/** Shows the Tables panel and the table `name`. */
export async function showTable(page, name) {
  await page.getByRole("tab", { name: "Tables" }).click();
  await page.locator(`[data-table="${name}"]`).click();
}

/** A Pass/Choice loop of `iterations` rounds: 4 events a round plus 6. */
export function passLoop(iterations) {
  return JSON.stringify({
    StartAt: "Init",
    States: {
      Init: { Type: "Pass", Result: { i: 0 }, Next: "Count" },
      Count: { Type: "Pass", Parameters: { "i.$": "States.MathAdd($.i, 1)" }, Next: "Check" },
      Check: {
        Type: "Choice",
        Choices: [{ Variable: "$.i", NumericLessThan: iterations, Next: "Count" }],
        Default: "Done",
      },
      Done: { Type: "Succeed" },
    },
  }, null, 2);
}

/** A loop that adds 1 to Orders["counter"].Hits each round (a DynamoDB write per round),
 * until the history's 25,000-event cap: long enough to Stop or to close the page mid-run. */
export function counterLoop() {
  return JSON.stringify({
    StartAt: "Init",
    States: {
      Init: { Type: "Pass", Result: { i: 0 }, Next: "Bump" },
      Bump: {
        Type: "Task",
        Resource: "arn:aws:states:::dynamodb:updateItem",
        Parameters: {
          TableName: "Orders",
          Key: { OrderId: { S: "counter" } },
          UpdateExpression: "ADD Hits :one",
          ExpressionAttributeValues: { ":one": { N: "1" } },
        },
        ResultPath: null,
        Next: "Count",
      },
      Count: { Type: "Pass", Parameters: { "i.$": "States.MathAdd($.i, 1)" }, Next: "Check" },
      Check: {
        Type: "Choice",
        Choices: [{ Variable: "$.i", NumericLessThan: 1000000, Next: "Bump" }],
        Default: "Done",
      },
      Done: { Type: "Succeed" },
    },
  }, null, 2);
}
