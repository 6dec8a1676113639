// A single-file script that keeps its main work out of the worker with import.meta.main (Node
// 22.18+ and 24.2+): the worker imports this file as a module, not as the program's entry point.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const f = synchronizer.wrap(import.meta, async function f(x) {
  return x ** 2;
});

if (import.meta.main) {
  console.log("f(42) =", f(42));
}
