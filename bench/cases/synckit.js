// synckit: createSyncFn(workerFile) per function; each worker file runs one async function.
import { measureStartup, runCase, syncScenarios } from "../lib/harness.js";

const ADD_WORKER = new URL("../workers/synckit-add.mjs", import.meta.url).pathname;
const WORKERS = {
  add: ADD_WORKER,
  echo: new URL("../workers/synckit-echo.mjs", import.meta.url).pathname,
  list: new URL("../workers/synckit-list.mjs", import.meta.url).pathname,
};
const load = () => import("synckit");

runCase({
  ...syncScenarios(async (name) => {
    const { createSyncFn } = await load();
    return { call: createSyncFn(WORKERS[name]) };
  }),

  async startup() {
    return measureStartup(load, ({ createSyncFn }) => createSyncFn(ADD_WORKER)(1, 2));
  },
});
