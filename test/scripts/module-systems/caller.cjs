// A CommonJS caller, as a plugin or CLI written in CommonJS would be: require() only, on Node 20
// too (no require(esm) there). It wraps a CommonJS and an ES module implementation, both ways.
const path = require("node:path");
const { Synchronizer, TimeoutError } = require("synchronicity-js");

const synchronizer = new Synchronizer();
const cjs = synchronizer.wrapModule(require.resolve("./impl.cjs"));
const esm = synchronizer.wrapModule(path.join(__dirname, "impl.mjs"));
const relative = synchronizer.wrapModule("./impl.cjs");

async function main() {
  const results = {
    cjsKind: cjs.kind,
    cjsSquare: cjs.square(3),
    cjsSquareAio: await cjs.square.aio(4),
    esmKind: esm.kind,
    esmSquare: esm.square(5),
    relativeSquare: relative.square(6),
    // currentCall() sees the call whichever module system the implementation uses: one copy of the
    // helpers in the worker.
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
}
void main();
