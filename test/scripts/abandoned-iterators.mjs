#!/usr/bin/env -S node --expose-gc
// Opens generators, drops them without return(), and checks that GC closes them in the worker.
import { Synchronizer } from "synchronicity-js";

if (typeof globalThis.gc !== "function") {
  const { spawnSync } = await import("node:child_process");
  const result = spawnSync(process.execPath, ["--expose-gc", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/generators.js", import.meta.url));

(function open() {
  for (let i = 0; i < 100; i++) api.tracked(10).next();
  for (let i = 0; i < 100; i++) void api.tracked.aio(10).next();
})();
await new Promise((resolve) => setTimeout(resolve, 100));
const openBefore = api.openCount();
for (let i = 0; i < 20 && api.openCount() > 0; i++) {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const stats = await synchronizer.diagnostics();
console.log(JSON.stringify({ openBefore, openAfter: api.openCount(), handlesAfter: stats.worker.handles }));
await synchronizer.close();
