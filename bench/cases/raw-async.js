// The raw async baseline: a hand-written worker and its own message port, replies matched to
// promises by id. The floor for an async round trip through postMessage.
import { asyncScenarios, expectEqual, measureStartup, runCase } from "../lib/harness.js";

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
  ...asyncScenarios(async () => {
    const { call, close } = await open();
    return { add: (a, b) => call("add", a, b), close };
  }),

  async startup() {
    return measureStartup(load, (lib) => start(lib).call("add", 1, 2));
  },
});
