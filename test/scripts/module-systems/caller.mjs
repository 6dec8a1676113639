// An ES module caller wrapping a CommonJS and an ES module implementation.
import { createRequire } from "node:module";
import { Synchronizer, TimeoutError } from "synchronicity-js";

const require = createRequire(import.meta.url);
const synchronizer = new Synchronizer();
const cjs = synchronizer.wrapModule(require.resolve("./impl.cjs"));
const esm = synchronizer.wrapModule(new URL("./impl.mjs", import.meta.url));
const relative = synchronizer.wrapModule("./impl.mjs");

const results = {
  cjsKind: cjs.kind,
  cjsSquare: cjs.square(3),
  cjsSquareAio: await cjs.square.aio(4),
  esmKind: esm.kind,
  esmSquare: esm.square(5),
  relativeSquare: relative.square(6),
  cjsCallIdSet: typeof cjs.callId() === "number",
  esmCallIdSet: typeof esm.callId() === "number",
  timeoutIsLibraryClass: false,
};
try {
  cjs.square.with({ timeout: 50 })(7, 5000);
} catch (error) {
  results.timeoutIsLibraryClass = error instanceof TimeoutError;
}
console.log(JSON.stringify(results));
