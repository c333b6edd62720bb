// An earlier page's data opens in this one: before the page loads, the IndexedDB database
// "statebox" is created at version 2 exactly as the previous page wrote it (object stores
// tables, items, streams, tokens, meta; out-of-line string keys; JSON text values, laid out
// by crates/idb/src/records.rs), then the page shows the table and its item.
import { test, expect } from "@playwright/test";
import { ready, showTable, runToEnd } from "./helpers.mjs";

// Written by the version-2 layout for CreateTable "Legacy" and one PutItem.
const RECORDS = {
  "tables": {
    "Legacy": "{\"name\":\"Legacy\",\"definition\":{\"name\":\"Legacy\",\"key\":{\"hash\":{\"name\":\"Id\",\"kind\":\"S\"},\"range\":null},\"attributes\":[{\"name\":\"Id\",\"kind\":\"S\"}],\"indexes\":[],\"billing\":\"PayPerRequest\",\"throughput\":{\"read\":0,\"write\":0},\"stream\":null,\"last_stream\":null,\"ttl\":null,\"tags\":[],\"deletion_protection\":false,\"table_class\":null,\"created_millis\":1704067200000,\"pay_per_request_since\":1704067200000,\"table_id\":\"6d7e938a-8eb2-599f-2715-1d64b33edafc\"}}"
  },
  "items": {
    "Legacy\u0000{\"Id\":{\"S\":\"from-v2\"}}": "{\"table\":\"Legacy\",\"item\":{\"Id\":{\"S\":\"from-v2\"},\"Note\":{\"S\":\"written by the old page\"}}}"
  },
  "meta": {
    "engine": "{\"sequence\":1}"
  }
};

async function writeVersion2(page) {
  // A blank page of the same origin, before the app ever loads.
  await page.route("**/blank.html", (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>blank</title>" }));
  await page.goto("/blank.html");
  await page.evaluate(async (records) => {
    await new Promise((resolve, reject) => {
      const open = indexedDB.open("statebox", 2);
      open.onupgradeneeded = () => {
        const db = open.result;
        for (const store of ["tables", "items", "streams", "tokens", "meta"]) db.createObjectStore(store);
      };
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(["tables", "items", "meta"], "readwrite");
        for (const [key, value] of Object.entries(records.tables)) tx.objectStore("tables").put(value, key);
        for (const [key, value] of Object.entries(records.items)) tx.objectStore("items").put(value, key);
        for (const [key, value] of Object.entries(records.meta)) tx.objectStore("meta").put(value, key);
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    });
  }, RECORDS);
}

test("a version-2 database from the previous page opens with its table and item", async ({ page }) => {
  await writeVersion2(page);
  await ready(page);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await showTable(page, "Legacy");
  await expect(page.locator('[data-table="Legacy"]')).toContainText("Legacy (1)");
  await expect(page.locator('[role=grid][aria-label="Items"] td[title="S: from-v2"]')).not.toHaveCount(0);
  await expect(page.locator('[role=grid][aria-label="Items"]')).toContainText("written by the old page");
  // The stored tables are not a first visit: no sample was added.
  await expect(page.locator('[data-table="Orders"]')).toHaveCount(0);

  // The migrated workspace takes new writes and keeps them.
  await page.getByRole("textbox", { name: "Definition", exact: true }).fill(JSON.stringify({
    StartAt: "Put",
    States: {
      Put: {
        Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", End: true,
        Parameters: { TableName: "Legacy", Item: { Id: { S: "after-upgrade" } } },
      },
    },
  }));
  await runToEnd(page, "SUCCEEDED");
  await ready(page, { reload: true });
  await showTable(page, "Legacy");
  await expect(page.locator('[data-table="Legacy"]')).toContainText("Legacy (2)");
  await expect(page.locator('[role=grid][aria-label="Items"]')).toContainText("after-upgrade");
  await expect(page.locator('[role=grid][aria-label="Items"]')).toContainText("from-v2");
});
