// The seed README's first example as one file: wrap a function in place, call it at top level.
// The worker imports this same file; `isWorker` keeps the main work from running there again.
import { Synchronizer } from "synchronicity-js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const synchronizer = new Synchronizer();

const f = synchronizer.wrap(import.meta, async function f(x) {
  await sleep(100);
  return x ** 2;
});

const ticks = synchronizer.wrap(import.meta, async function* ticks(n) {
  for (let i = 0; i < n; i++) yield i;
});

if (!synchronizer.isWorker) {
  console.log("f(42) =", f(42));
  console.log("f.aio(7) =", await f.aio(7));
  console.log("futures:", [1, 2, 3].map((i) => f.future(i)).map((future) => future.result()).join(", "));
  console.log("ticks:", [...ticks(3)].join(", "));
}
