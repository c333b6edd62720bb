// Runs one benchmark case in Node and prints one JSON line:
// {"engine", "workflow", "n", "ms", "rssMiB", "status", "output"}.
// usage: node run.mjs <statebox-wasm|aws-local-stepfunctions> <loop|map> <n> <pkg-dir> [<warm-up n>]
// With a warm-up n, the same workflow first runs once at that n in this process (untimed), as
// the native bench (crates/playground/examples/asl_bench.rs) does: JIT start-up is not measured.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [engine, workflow, nText, pkgDir, warmText] = process.argv.slice(2);
const n = Number(nText);
const here = path.dirname(new URL(import.meta.url).pathname);
const definition = readFileSync(path.join(here, `${workflow}.json`), "utf8");
const inputOf = (n) => (workflow === "loop" ? { n } : { items: Array.from({ length: n }, (_, i) => i + 1) });

async function runStatebox(input) {
  const require = createRequire(path.join(pkgDir, "x.js"));
  const { Workspace } = require(path.join(pkgDir, "statebox_wasm.js"));
  const ws = new Workspace();
  // The 25,000-event and 262,144-byte caps are lifted for measurement only.
  const lifted = JSON.stringify({ maxHistoryEvents: Number.MAX_SAFE_INTEGER, maxPayloadBytes: Number.MAX_SAFE_INTEGER });
  // The input is text before the clock starts, as the native bench reads it from a file.
  const inputText = JSON.stringify(input);
  const start = performance.now();
  const out = JSON.parse(ws.run(definition, inputText, lifted));
  return { ms: performance.now() - start, out };
}

async function runAwsLocal(input) {
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

const runOnce = engine === "statebox-wasm" ? runStatebox : runAwsLocal;
if (warmText) {
  const warm = await runOnce(inputOf(Number(warmText)));
  if (warm.out.status !== "SUCCEEDED") throw new Error(`the warm-up run: ${JSON.stringify(warm.out)}`);
}
const { ms, out } = await runOnce(inputOf(n));
const rssMiB = process.resourceUsage().maxRSS / 1024;
const summary = out.status === "SUCCEEDED" ? JSON.stringify(out.output).slice(0, 60) : `${out.error}: ${String(out.cause).slice(0, 80)}`;
console.log(JSON.stringify({ engine, workflow, n, ms, rssMiB, status: out.status, output: summary }));
