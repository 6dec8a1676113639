// synckit: createSyncFn(workerFile) per function; each worker file runs one async function.
import { BIG_STRING, expectEqual, measure, measureStartup, runCase } from "../lib/harness.js";

const ADD_WORKER = new URL("../workers/synckit-add.mjs", import.meta.url).pathname;
const ECHO_WORKER = new URL("../workers/synckit-echo.mjs", import.meta.url).pathname;
const load = () => import("synckit");

runCase({
  async "sync-add"(cfg) {
    const { createSyncFn } = await load();
    const add = createSyncFn(ADD_WORKER);
    expectEqual(add(1, 2), 3, "add(1, 2)");
    return measure((n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += add(i, 1);
      return sum;
    }, cfg);
  },

  async "sync-echo"(cfg) {
    const { createSyncFn } = await load();
    const echo = createSyncFn(ECHO_WORKER);
    expectEqual(echo(BIG_STRING), BIG_STRING, "echo(1 MiB)");
    return measure((n) => {
      let length = 0;
      for (let i = 0; i < n; i++) length += echo(BIG_STRING).length;
      return length;
    }, cfg);
  },

  async startup() {
    return measureStartup(load, ({ createSyncFn }) => createSyncFn(ADD_WORKER)(1, 2));
  },
});
