// piscina: a thread pool; each call is a task `run({ a, b }, { name: "add" })`.
// Two configurations (cfg.variant):
//   "default": new Piscina({ filename }), the pool as it comes (threads sized by the machine,
//              one task per worker at a time).
//   "single":  one thread that is never retired and runs up to BATCH tasks at once: the same
//              shape as synchronicity's single worker running async functions concurrently.
import { asyncScenarios, BATCH, expectEqual, measureStartup, runCase } from "../lib/harness.js";

import { measureCpuBatch } from "../lib/cpu-batch.js";

const WORKER = new URL("../workers/piscina-worker.mjs", import.meta.url).href;
const CPU_WORKER = new URL("../workers/piscina-cpu.mjs", import.meta.url).href;
const load = () => import("piscina");

const OPTIONS = {
  default: {},
  single: { minThreads: 1, maxThreads: 1, idleTimeout: Infinity, concurrentTasksPerWorker: BATCH },
};

function start({ Piscina }, variant = "default") {
  const options = OPTIONS[variant];
  if (options === undefined) throw new Error(`unknown piscina variant ${variant}`);
  const pool = new Piscina({ filename: WORKER, ...options });
  const add = (a, b) => pool.run({ a, b }, { name: "add" });
  return { add, close: () => pool.destroy() };
}

async function open(cfg) {
  const handle = start(await load(), cfg.variant);
  expectEqual(await handle.add(1, 2), 3, "add(1, 2)");
  return handle;
}

runCase({
  ...asyncScenarios((cfg) => open(cfg)),

  // Two threads, kept alive, one task per thread at a time (piscina's default for CPU work).
  async "pool-cpu"(cfg) {
    const { Piscina } = await load();
    const pool = new Piscina({ filename: CPU_WORKER, minThreads: 2, maxThreads: 2, idleTimeout: Infinity });
    const result = await measureCpuBatch((n) => pool.run({ n }), cfg);
    return { ...result, close: () => pool.destroy() };
  },

  async startup(cfg) {
    return measureStartup(load, (lib) => start(lib, cfg.variant).add(1, 2));
  },
});
