// The Node side of `cargo xtask bench jsonata`: times each expression of expressions.json
// against the data, with the reference implementation (`jsonata` from npm, pinned in the
// repository's package.json) or statebox-jsonata's wasm build, exactly as the native bench
// (bench/jsonata/engine/src/main.rs) times itself: parsed once (untimed), evaluated for
// 100 ms untimed (warm-up), then batches of k evaluations with k doubled until a batch takes
// 20 ms; the median of 7 batches divided by k. Each result is checked against the native
// one (numbers to 15 significant digits). Prints a JSON line per expression:
// {"name", "us", "status", "same"}.
// usage: node run.mjs <jsonata-js|statebox-wasm> <expressions.json> <data.json> <native-results.json> [<pkg-dir>]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [engine, listPath, dataPath, nativePath, pkgDir] = process.argv.slice(2);
const list = JSON.parse(readFileSync(listPath, "utf8"));
const dataText = readFileSync(dataPath, "utf8");
const data = JSON.parse(dataText);
const native = JSON.parse(readFileSync(nativePath, "utf8"));
const require = createRequire(import.meta.url);

function same(a, b) {
  if (typeof a === "number" && typeof b === "number") return a === b || a.toExponential(14) === b.toExponential(14);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && same(a[k], b[k]));
  }
  return a === b;
}

async function perCallUs(batch) {
  const warm = performance.now();
  while (performance.now() - warm < 100) await batch(1);
  let k = 1;
  for (;;) {
    const start = performance.now();
    await batch(k);
    if (performance.now() - start >= 20 || k >= 1 << 24) break;
    k *= 2;
  }
  const times = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    await batch(k);
    times.push(((performance.now() - start) * 1000) / k);
  }
  times.sort((x, y) => x - y);
  return times[3];
}

// Each engine: prepare(expr) -> { result(): value | undefined | {error}, batch(k) }.
function jsonataJs(expr) {
  const jsonata = require("jsonata");
  const compiled = jsonata(expr);
  return {
    async result() {
      try {
        const r = await compiled.evaluate(data);
        return r === undefined ? undefined : JSON.parse(JSON.stringify(r));
      } catch (e) {
        return { error: e.code };
      }
    },
    // evaluate() returns a promise since jsonata 2.0: awaited each time, as a caller must.
    async batch(k) {
      for (let i = 0; i < k; i++) await compiled.evaluate(data);
    },
  };
}

function statebox(expr) {
  const { Bench } = require(path.join(path.resolve(pkgDir), "jsonata_bench.js"));
  const bench = new Bench(expr, dataText);
  return {
    async result() {
      const text = bench.result();
      return text === "undefined" ? undefined : JSON.parse(text);
    },
    async batch(k) {
      bench.run(k);
    },
  };
}

const prepare = engine === "statebox-wasm" ? statebox : jsonataJs;
for (const { name, expr } of list) {
  let line;
  try {
    const e = prepare(expr);
    const result = await e.result();
    const nativeText = native[name];
    const expected = nativeText === undefined || nativeText === "undefined" ? undefined : JSON.parse(nativeText);
    const isSame = nativeText !== undefined && same(expected, result);
    if (result && typeof result === "object" && "error" in result && Object.keys(result).length === 1) {
      line = { name, status: `error ${result.error}`, same: isSame };
    } else {
      line = { name, us: await perCallUs((k) => e.batch(k)), status: "ok", same: isSame };
    }
  } catch (e) {
    line = { name, status: `error ${String(e && e.message).slice(0, 100)}`, same: false };
  }
  console.log(JSON.stringify(line));
}
