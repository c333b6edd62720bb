// Runs one benchmark case in Node and prints one JSON line:
// {"engine", "workflow", "n", "ms", "rssMiB", "status", "output"}.
// usage: node run.mjs <statebox-wasm|aws-local-stepfunctions> <loop|map> <n> <pkg-dir>
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [engine, workflow, nText, pkgDir] = process.argv.slice(2);
const n = Number(nText);
const here = path.dirname(new URL(import.meta.url).pathname);
const definition = readFileSync(path.join(here, `${workflow}.json`), "utf8");
const input = workflow === "loop" ? { n } : { items: Array.from({ length: n }, (_, i) => i + 1) };

async function runStatebox() {
  const require = createRequire(path.join(pkgDir, "x.js"));
  const { Workspace } = require(path.join(pkgDir, "statebox_wasm.js"));
  const ws = new Workspace();
  const start = performance.now();
  // The 25,000-event and 262,144-byte caps are lifted for measurement only.
  const lifted = { maxHistoryEvents: Number.MAX_SAFE_INTEGER, maxPayloadBytes: Number.MAX_SAFE_INTEGER };
  const out = JSON.parse(ws.run(definition, JSON.stringify(input), JSON.stringify(lifted)));
  return { ms: performance.now() - start, out };
}

async function runAwsLocal() {
  const require = createRequire(path.join(pkgDir, "x.js"));
  const { StateMachine } = require("aws-local-stepfunctions");
  const sm = new StateMachine(JSON.parse(definition));
  const start = performance.now();
  try {
    const output = await sm.run(input).result;
    return { ms: performance.now() - start, out: { status: "SUCCEEDED", output } };
  } catch (e) {
    return { ms: performance.now() - start, out: { status: "FAILED", error: String(e && e.name), cause: String(e && e.message) } };
  }
}

const { ms, out } = engine === "statebox-wasm" ? await runStatebox() : await runAwsLocal();
const rssMiB = process.resourceUsage().maxRSS / 1024;
const summary = out.status === "SUCCEEDED" ? JSON.stringify(out.output).slice(0, 60) : `${out.error}: ${String(out.cause).slice(0, 80)}`;
console.log(JSON.stringify({ engine, workflow, n, ms, rssMiB, status: out.status, output: summary }));
