// A suite as its authors run it: every file in suite/ with its own SDK clients, twelve files
// at once (`node --test --test-concurrency=12`), against one `statebox serve`. The files end
// in `.suite.mjs` so that `node --test tests/clients-js/` does not also run them alone.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./server.mjs";

const SUITE = fileURLToPath(new URL("./suite/", import.meta.url));
const FILES = readdirSync(SUITE)
  .filter((name) => name.endsWith(".suite.mjs"))
  .map((name) => join(SUITE, name));

let server;

before(async () => {
  server = await startServer();
});

after(() => server?.stop());

test(`${FILES.length} test files in parallel against one server`, { timeout: 100_000 }, async (t) => {
  assert.ok(FILES.length >= 12, `only ${FILES.length} suite files`);
  // The outer runner marks its children with NODE_TEST_CONTEXT; this one is a runner itself.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ["--test", "--test-concurrency=12", "--test-reporter=tap", "--test-timeout=60000", ...FILES],
    { env: { ...env, STATEBOX_URL: server.url }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(output)?.[1] ?? NaN);
  const [passed, failed] = [count("pass"), count("fail")];
  t.diagnostic(`inner suite: ${passed} passed, ${failed} failed`);
  const failures = output
    .split("\n")
    .filter((line) => /^\s*not ok /.test(line) || /^\s*(error|code|name|message):/.test(line))
    .slice(0, 40)
    .join("\n");
  assert.equal(failed, 0, failures || output.slice(-3000));
  assert.ok(passed >= 24, `only ${passed} tests passed`);
  // Every test the files hold ran and passed: none skipped, none left to do.
  assert.equal(passed, count("tests"), output.slice(-3000));
  assert.equal(count("skipped") + count("todo"), 0, output.slice(-3000));
  assert.equal(code, 0, output.slice(-3000));
});
