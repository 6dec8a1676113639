// An ES module using a CommonJS library that wraps in place (and the ESM build of the package,
// which must see the same in-place table as the library's CommonJS copy).
import { Synchronizer } from "synchronicity-js";
import lib from "./in-place-cjs-lib.cjs";

const mine = new Synchronizer();
const twice = mine.wrap(import.meta, async function twice(x) {
  return 2 * x;
});

if (!mine.isWorker) {
  console.log(JSON.stringify({ cube: lib.cube(3), cubeAio: await lib.cube.aio(4), twice: twice(5), libWorker: lib.synchronizer.isWorker }));
}
