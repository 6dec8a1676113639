// A single-file script that forgets `if (!synchronizer.isWorker)`: the worker's copy of the script
// runs the blocking call again, which must fail loudly with advice, never hang.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const f = synchronizer.wrap(import.meta, async function f(x) {
  return x ** 2;
});

console.log("main work starts");
console.log("f(42) =", f(42));
