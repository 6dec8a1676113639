// make-synchronized: proxies the whole implementation module; its functions block.
import { BIG_STRING, expectEqual, measure, measureStartup, runCase } from "../lib/harness.js";

const IMPL = new URL("../impl/add.mjs", import.meta.url);
const load = () => import("make-synchronized");

async function open() {
  const { makeSynchronized } = await load();
  const module = makeSynchronized(IMPL);
  expectEqual(module.add(1, 2), 3, "add(1, 2)");
  return module;
}

runCase({
  async "sync-add"(cfg) {
    const module = await open();
    const add = module.add;
    return measure((n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += add(i, 1);
      return sum;
    }, cfg);
  },

  async "sync-echo"(cfg) {
    const module = await open();
    const echo = module.echo;
    expectEqual(echo(BIG_STRING), BIG_STRING, "echo(1 MiB)");
    return measure((n) => {
      let length = 0;
      for (let i = 0; i < n; i++) length += echo(BIG_STRING).length;
      return length;
    }, cfg);
  },

  async startup() {
    return measureStartup(load, ({ makeSynchronized }) => makeSynchronized(IMPL).add(1, 2));
  },
});
