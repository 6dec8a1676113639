// Object lifetime under garbage collection: release after GC, never during a call, and a
// 100,000-object churn that leaves the worker's handle table and memory where they started.
import { Synchronizer } from "synchronicity-js";

if (typeof globalThis.gc !== "function") {
  const { spawnSync } = await import("node:child_process");
  const result = spawnSync(process.execPath, ["--expose-gc", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}

const synchronizer = new Synchronizer({ execArgv: ["--expose-gc"] });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/objects.js", import.meta.url));
const settle = async () => {
  for (let i = 0; i < 5; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

// Warm up, then the baseline.
api.makeCounter().bump();
await settle();
api.collectGarbage();
const before = await synchronizer.diagnostics();

// A proxy referenced only by its call in flight must survive GC until the call is done.
const inFlight = (() => new api.DBConnection("inflight://"))().selfAsync.aio();
await settle();
const survivor = await inFlight;
const inFlightSurvived = survivor.url === "inflight://";

// Churn: 100,000 objects created (in batches, async) and dropped. In a function of its own: a
// suspended async frame can keep its last batch alive in a dead register.
async function churn() {
  for (let batch = 0; batch < 100; batch++) {
    const counters = await Promise.all(Array.from({ length: 1000 }, () => api.makeCounter.aio()));
    if (counters.some((c) => c.bump() !== 1)) throw new Error("bump failed");
    if (batch % 10 === 9) await settle();
  }
}
await churn();
await settle();
await settle();
api.collectGarbage();
await settle();
const after = await synchronizer.diagnostics();
console.log(
  JSON.stringify({
    inFlightSurvived,
    handlesBefore: before.worker.handles,
    handlesAfterChurn: after.worker.handles,
    liveCountersAfter: api.liveCounters(),
    heapGrowthMiB: Math.round(((after.worker.heapUsed - before.worker.heapUsed) / 2 ** 20) * 10) / 10,
    callerHandlesAfter: after.caller.handles,
  }),
);
await synchronizer.close();
