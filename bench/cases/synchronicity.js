// synchronicity: one Synchronizer, the implementation module wrapped once; blocking calls,
// `.aio`, and `.future()`.
import {
  asyncScenarios, BATCH, checksum, expectEqual, expectItems, expectPattern, ITEMS, measure, measureStartup, patternBytes, runCase, syncScenarios,
} from "../lib/harness.js";

import { measureCpuBatch } from "../lib/cpu-batch.js";

const IMPL = new URL("../impl/add.mjs", import.meta.url);
const CPU_IMPL = new URL("../impl/cpu.mjs", import.meta.url);
const load = () => import("synchronicity-js");

async function open() {
  const { Synchronizer } = await load();
  const synchronizer = new Synchronizer();
  const api = synchronizer.wrapModule(IMPL);
  expectEqual(api.add(1, 2), 3, "add(1, 2)");
  return { api, close: () => synchronizer.close() };
}

const blocking = syncScenarios(async (name) => {
  const { api, close } = await open();
  return { call: api[name], close };
});

runCase({
  ...blocking,

  // variant "pool": a pool of 2 threads (option threads); "single": the default single worker.
  async "pool-cpu"(cfg) {
    const { Synchronizer } = await load();
    const synchronizer = new Synchronizer(cfg.variant === "pool" ? { threads: { max: 2, min: 2 } } : {});
    const api = synchronizer.wrapModule(CPU_IMPL);
    const result = await measureCpuBatch((n) => api.work.aio(n), cfg);
    return { ...result, close: () => synchronizer.close() };
  },

  // variant "readahead": a blocking for...of with readAhead 1000; "lockstep": one round trip per item.
  async generator(cfg) {
    const { api, close } = await open();
    const items = cfg.variant === "lockstep" ? api.items : api.items.with({ readAhead: 1000 });
    const run = () => {
      let count = 0;
      let sum = 0;
      for (const item of items(ITEMS)) {
        count++;
        sum += item;
      }
      expectItems(count, sum, "items()");
    };
    run();
    const result = await measure((n) => {
      for (let i = 0; i < n; i++) run();
    }, cfg, ITEMS);
    return { ...result, close };
  },

  // variant "shared": the opt-in zero-copy path, a view of a SharedArrayBuffer (shared, not copied).
  async buffer(cfg) {
    if (cfg.variant !== "shared") return blocking.buffer(cfg);
    const { api, close } = await open();
    const bytes = patternBytes(true);
    const back = api.echo(bytes);
    expectPattern(back, "echo(shared view)");
    if (!(back.buffer instanceof SharedArrayBuffer)) throw new Error("the shared view came back as a copy");
    const result = await measure((n) => {
      let length = 0;
      for (let i = 0; i < n; i++) length += api.echo(bytes).length;
      return length;
    }, cfg);
    return { ...result, close };
  },

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
