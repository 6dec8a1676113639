// make-synchronized: proxies the whole implementation module; its functions block.
import { expectEqual, measureStartup, runCase, syncScenarios } from "../lib/harness.js";

const IMPL = new URL("../impl/add.mjs", import.meta.url);
const load = () => import("make-synchronized");

async function open() {
  const { makeSynchronized } = await load();
  const module = makeSynchronized(IMPL);
  expectEqual(module.add(1, 2), 3, "add(1, 2)");
  return module;
}

runCase({
  ...syncScenarios(async (name) => ({ call: (await open())[name] })),

  async startup() {
    return measureStartup(load, ({ makeSynchronized }) => makeSynchronized(IMPL).add(1, 2));
  },
});
