// comlink: a worker exposes { add, echo }; the main thread calls them through an async proxy.
import { BATCH, checksum, expectEqual, measure, measureStartup, runCase } from "../lib/harness.js";

const WORKER = new URL("../workers/comlink-worker.mjs", import.meta.url);

async function load() {
  const [{ Worker }, { wrap }, { default: nodeEndpoint }] = await Promise.all([
    import("node:worker_threads"),
    import("comlink/dist/esm/comlink.mjs"),
    import("comlink/dist/esm/node-adapter.mjs"),
  ]);
  return { Worker, wrap, nodeEndpoint };
}

function start({ Worker, wrap, nodeEndpoint }) {
  const worker = new Worker(WORKER);
  return { remote: wrap(nodeEndpoint(worker)), close: () => worker.terminate() };
}

async function open() {
  const handle = start(await load());
  expectEqual(await handle.remote.add(1, 2), 3, "add(1, 2)");
  return handle;
}

runCase({
  async "async-seq"(cfg) {
    const { remote, close } = await open();
    const result = await measure(async (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += await remote.add(i, 1);
      return sum;
    }, cfg);
    return { ...result, close };
  },

  async "async-concurrent"(cfg) {
    const { remote, close } = await open();
    const batch = async () => {
      const promises = [];
      for (let i = 0; i < BATCH; i++) promises.push(remote.add(i, 1));
      return checksum(await Promise.all(promises));
    };
    expectEqual(await batch(), (BATCH * (BATCH + 1)) / 2, "sum of a batch");
    const result = await measure(async (n) => {
      for (let i = 0; i < n; i++) await batch();
    }, cfg, BATCH);
    return { ...result, close };
  },

  async startup() {
    return measureStartup(load, (lib) => start(lib).remote.add(1, 2));
  },
});
