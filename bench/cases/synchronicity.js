// synchronicity: one Synchronizer, the implementation module wrapped once; blocking calls,
// `.aio`, and `.future()`.
import { asyncScenarios, BATCH, checksum, expectEqual, measure, measureStartup, runCase, syncScenarios } from "../lib/harness.js";

const IMPL = new URL("../impl/add.mjs", import.meta.url);
const load = () => import("synchronicity-js");

async function open() {
  const { Synchronizer } = await load();
  const synchronizer = new Synchronizer();
  const api = synchronizer.wrapModule(IMPL);
  expectEqual(api.add(1, 2), 3, "add(1, 2)");
  return { api, close: () => synchronizer.close() };
}

runCase({
  ...syncScenarios(async (name) => {
    const { api, close } = await open();
    return { call: api[name], close };
  }),

  ...asyncScenarios(async () => {
    const { api, close } = await open();
    return { add: (a, b) => api.add.aio(a, b), close };
  }),

  async futures(cfg) {
    const { api, close } = await open();
    const batch = () => {
      const futures = [];
      for (let i = 0; i < BATCH; i++) futures.push(api.add.future(i, 1));
      return checksum(futures.map((future) => future.result()));
    };
    expectEqual(batch(), (BATCH * (BATCH + 1)) / 2, "sum of a batch");
    const result = await measure((n) => {
      for (let i = 0; i < n; i++) batch();
    }, cfg, BATCH);
    return { ...result, close };
  },

  async startup() {
    return measureStartup(load, ({ Synchronizer }) => {
      const synchronizer = new Synchronizer();
      return synchronizer.wrapModule(IMPL).add(1, 2);
    });
  },
});
