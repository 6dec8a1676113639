// The raw async baseline: a hand-written worker and its own message port, replies matched to
// promises by id. The floor for an async round trip through postMessage.
import { BATCH, checksum, expectEqual, measure, measureStartup, runCase } from "../lib/harness.js";

const WORKER = new URL("../workers/raw-async-worker.mjs", import.meta.url);
const load = () => import("node:worker_threads");

function start({ Worker }) {
  const worker = new Worker(WORKER);
  const pending = new Map();
  let nextId = 1;
  worker.on("message", ({ id, value }) => {
    const resolve = pending.get(id);
    pending.delete(id);
    resolve(value);
  });
  const call = (fn, ...args) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      worker.postMessage({ id, fn, args });
    });
  return { call, close: () => worker.terminate() };
}

async function open() {
  const raw = start(await load());
  expectEqual(await raw.call("add", 1, 2), 3, "add(1, 2)");
  return raw;
}

runCase({
  async "async-seq"(cfg) {
    const { call, close } = await open();
    const result = await measure(async (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += await call("add", i, 1);
      return sum;
    }, cfg);
    return { ...result, close };
  },

  async "async-concurrent"(cfg) {
    const { call, close } = await open();
    const batch = async () => {
      const promises = [];
      for (let i = 0; i < BATCH; i++) promises.push(call("add", i, 1));
      return checksum(await Promise.all(promises));
    };
    expectEqual(await batch(), (BATCH * (BATCH + 1)) / 2, "sum of a batch");
    const result = await measure(async (n) => {
      for (let i = 0; i < n; i++) await batch();
    }, cfg, BATCH);
    return { ...result, close };
  },

  async startup() {
    return measureStartup(load, (lib) => start(lib).call("add", 1, 2));
  },
});
