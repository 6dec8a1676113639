// comlink: a worker exposes { add, echo }; the main thread calls them through an async proxy.
import { asyncScenarios, expectEqual, measureStartup, runCase } from "../lib/harness.js";

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
  ...asyncScenarios(async () => {
    const { remote, close } = await open();
    return { add: (a, b) => remote.add(a, b), close };
  }),

  async startup() {
    return measureStartup(load, (lib) => start(lib).remote.add(1, 2));
  },
});
